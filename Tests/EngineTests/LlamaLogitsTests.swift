import Foundation
import Testing
import TestSupport
@testable import Engine

/// First-step logits of SmolLM2 against the values llama.cpp printed into the golden file.
@Suite struct LlamaLogitsTests {
    @Test(.enabled(if: TestEnvironment.shouldRun(needs: LlamaGoldenTests.modelURL != nil)))
    func firstStepTopLogitsMatchLlamaCpp() throws {
        let url = try #require(LlamaGoldenTests.modelURL)
        let golden = try GoldenFile.load("smollm2-135m-q4_1.json")
        var options = ModelOptions()
        options.parity = .llamaCpp
        options.contextSize = 64
        let session = Session(model: try Model.load(url: url, options: options))
        let c = golden.cases[0]
        let logits = try session.logits(after: c.prompt_tokens)
        for pair in try #require(c.first_step_top5) {
            let id = Int(pair[0])
            // llama.cpp and this engine sum in different orders: agreement to 1e-2 absolute on logits of ~15.
            #expect(abs(Double(logits[id]) - pair[1]) < 1e-2, "logit of \(id): \(logits[id]) vs \(pair[1])")
        }
        #expect(Sampler.argmax(logits) == Int(c.first_step_top5![0][0]))
    }
}
