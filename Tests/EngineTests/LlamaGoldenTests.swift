import Foundation
import Testing
import TestSupport
@testable import Engine

/// SmolLM2-135M-Instruct Q4_1 (a real llama model): greedy tokens equal llama.cpp's, 32 per prompt.
@Suite struct LlamaGoldenTests {
    static let modelURL = TestEnvironment.testData("models/SmolLM2-135M-Instruct.Q4_1.gguf")

    @Test(.enabled(if: TestEnvironment.shouldRun(needs: modelURL != nil)))
    func greedyTokensEqualLlamaCpp() throws {
        let url = try #require(Self.modelURL, "SmolLM2 test model missing (run scripts/setup-testdata.sh)")
        let golden = try GoldenFile.load("smollm2-135m-q4_1.json")
        #expect(golden.cases.count >= 4)
        var options = ModelOptions()
        options.parity = .llamaCpp
        options.contextSize = 512
        options.threads = 2
        let model = try Model.load(url: url, options: options)
        let session = Session(model: model)
        for c in golden.cases {
            if let prompt = c.prompt {
                let ids = model.tokenizer?.encode(prompt, addSpecial: true, parseSpecial: false).map(Int.init)
                #expect(ids == c.prompt_tokens, "prompt tokens of \(prompt)")
            }
            let r = try session.generate(promptTokens: c.prompt_tokens,
                                         options: GenerateOptions(maxTokens: golden.tokens))
            #expect(r.generatedTokens == c.generated_tokens, "prompt \(c.prompt ?? "")")
        }
    }
}
