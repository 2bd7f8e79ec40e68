import Foundation
import Testing
import TestSupport
@testable import Engine

/// SmolLM2-135M-Instruct Q4_1 (a real llama model) against llama.cpp's greedy tokens (fixtures/goldens, made by
/// Tests/scripts/engine_goldens.py).
@Suite struct LlamaGoldenTests {
    static let modelURL = TestEnvironment.testData("models/SmolLM2-135M-Instruct.Q4_1.gguf")

    static func session() throws -> (Session, GoldenFile) {
        let url = try #require(Self.modelURL, "SmolLM2 test model missing (run scripts/setup-testdata.sh)")
        var options = ModelOptions()
        options.parity = .llamaCpp
        options.contextSize = 512
        options.threads = 2
        return (Session(model: try Model.load(url: url, options: options)), try GoldenFile.load("smollm2-135m-q4_1.json"))
    }

    /// The tokenizer reproduces llama.cpp's prompt ids.
    @Test(.enabled(if: TestEnvironment.shouldRun(needs: modelURL != nil)))
    func promptTokensEqualLlamaCpp() throws {
        let (session, golden) = try Self.session()
        #expect(golden.cases.count >= 4 && golden.tokens == 32)
        for c in golden.cases {
            if let prompt = c.prompt {
                let ids = session.model.tokenizer?.encode(prompt, addSpecial: true, parseSpecial: false).map(Int.init)
                #expect(ids == c.prompt_tokens, "prompt tokens of \(prompt)")
            }
        }
    }

    /// The prompt's logits are llama.cpp's to the bit: the five largest of the first step, recorded by
    /// engine_goldens.py from llama.cpp's float32 logits, equal the engine's exactly (ids and values).
    @Test(.enabled(if: TestEnvironment.shouldRun(needs: modelURL != nil)))
    func firstStepTopLogitsEqualLlamaCppBitForBit() throws {
        let (session, golden) = try Self.session()
        for c in golden.cases {
            let top = try #require(c.first_step_top5, "golden without first_step_top5")
            let logits = try session.logits(after: c.prompt_tokens)
            for pair in top {
                let id = Int(pair[0])
                #expect(logits[id] == Float(pair[1]), "prompt \(c.prompt ?? ""): logit of \(id)")
            }
            let order = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
            #expect(Array(order.prefix(top.count)) == top.map { Int($0[0]) }, "prompt \(c.prompt ?? "")")
        }
    }

    /// All 32 greedy tokens of every prompt equal llama.cpp's (its x86 float pipeline is reproduced bit for bit:
    /// see docs/engine.md, "llama.cpp parity").
    @Test(.enabled(if: TestEnvironment.shouldRun(needs: modelURL != nil)))
    func all32GreedyTokensEqualLlamaCpp() throws {
        let (session, golden) = try Self.session()
        #expect(golden.cases.count >= 5 && golden.tokens == 32)
        for c in golden.cases {
            let r = try session.generate(promptTokens: c.prompt_tokens, options: GenerateOptions(maxTokens: golden.tokens))
            #expect(r.generatedTokens == c.generated_tokens, "prompt \(c.prompt ?? "")")
        }
    }
}
