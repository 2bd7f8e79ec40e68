import CKernels
import Foundation
import ModelInspector
import Testing
import TestSupport
@testable import Engine

/// `--head screened`: greedy tokens are the exact head's; the screen's bound holds; exact rows equal the full gemv.
@Suite struct ScreenedHeadTests {
    static func session(_ url: URL, head: HeadPrecision, threads: Int = 1) throws -> Session {
        try Int8HeadTests.session(url, head: head, threads: threads)
    }

    /// Greedy tokens with the screened head equal the exact head's, token for token, at 1, 2 and 3 threads, with
    /// the screen actually used (and with every token forced onto the fallback); top-k sampling is screened too and
    /// gives the exact head's tokens; sampling without top-k and `logits(after:)` run the exact head.
    static func expectExactTokens(_ url: URL, prompt: [Int], tokens: Int) throws {
        let exact = try session(url, head: .exact)
        let want = try exact.generate(promptTokens: prompt, options: GenerateOptions(maxTokens: tokens)).generatedTokens
        for threads in [1, 2, 3] {
            let s = try session(url, head: .screened, threads: threads)
            let r = try s.generate(promptTokens: prompt, options: GenerateOptions(maxTokens: tokens))
            #expect(r.generatedTokens == want, "threads \(threads)")
            let stats = try #require(r.headScreening)
            #expect(stats.tokens == want.count && stats.fallbacks == 0)
            #expect(stats.maxCandidates >= 1 && stats.maxCandidates < s.model.weights.output.rows)
            let receipt = Receipt(result: r, session: s, tool: ToolIdentity(version: "test"), deterministic: true, seed: nil)
            #expect(receipt.options?.head == "screened" && receipt.options?.head_tokens_exact == true)
            #expect(receipt.options?.head_candidates_max == stats.maxCandidates && receipt.options?.head_logit_cosine == nil)
        }
        let s = try session(url, head: .screened, threads: 2)
        #expect(s.model.bytesPerToken < exact.model.bytesPerToken)
        #expect(try s.probeHeadCosine() == nil)
        s.transformer.screener?.cap = 0   // every token falls back to the whole exact head
        let forced = try s.generate(promptTokens: prompt, options: GenerateOptions(maxTokens: tokens))
        #expect(forced.generatedTokens == want && forced.headScreening?.fallbacks == want.count)
        #expect(try s.logits(after: prompt) == (try exact.logits(after: prompt)))
        // sampling: top-k (here 40, 5, 1; the sampler cuts to the k largest before its softmax) is screened for the
        // k largest and gives the exact head's tokens; without a top-k cut the whole exact head runs
        s.transformer.screener?.cap = Int.max
        for (topK, seed) in [(40, UInt64(11)), (5, 12), (1, 13), (0, 14)] {
            var sampling = SamplingOptions()
            sampling.greedy = false
            sampling.temperature = 1.5   // a flat distribution: the draws reach deep into the top-k
            sampling.topK = topK
            sampling.seed = seed
            let options = GenerateOptions(maxTokens: tokens, sampling: sampling)
            let sampled = try s.generate(promptTokens: prompt, options: options)
            #expect(sampled.headScreening?.tokens == (topK > 0 ? tokens : 0), "top-k \(topK)")
            #expect(sampled.headScreening?.fallbacks == 0)
            #expect(sampled.generatedTokens == (try exact.generate(promptTokens: prompt, options: options).generatedTokens), "top-k \(topK)")
        }
        // more candidates than the budget two tokens in a row: the rest of the generation runs the exact head
        s.transformer.screener?.topKBudget = 0
        var flat = SamplingOptions()
        flat.greedy = false; flat.temperature = 1.5; flat.topK = 40; flat.seed = 15
        let options = GenerateOptions(maxTokens: tokens, sampling: flat)
        let stopped = try s.generate(promptTokens: prompt, options: options)
        #expect(stopped.headScreening?.tokens == 2 && stopped.generatedTokens.count == tokens)
        #expect(stopped.generatedTokens == (try exact.generate(promptTokens: prompt, options: options).generatedTokens))
    }

    @Test(arguments: [(SyntheticModel.Architecture.bitnetB158, SyntheticModel.WeightFormat.i2_s),
                      (.bitnet, .i2_s), (.bitnetB158, .f32)])
    func syntheticGreedyTokensAreTheExactHeads(_ arch: SyntheticModel.Architecture, _ format: SyntheticModel.WeightFormat) throws {
        try Self.expectExactTokens(try SynthFixtures.model(arch, format), prompt: [1, 2, 3, 4, 5], tokens: 12)
    }

    /// SmolLM2-135M (a trained model) with its tied Q8_0 head rewritten as F16 by the PyPI gguf package.
    @Test(.enabled(if: TestEnvironment.shouldRun(needs: LlamaGoldenTests.modelURL != nil && TestEnvironment.python != nil)))
    func realModelGreedyTokensAreTheExactHeads() throws {
        let src = try #require(LlamaGoldenTests.modelURL, "SmolLM2 test model missing")
        let dir = try TestEnvironment.makeTempDir("screened")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dst = dir.appendingPathComponent("smollm2-f16-head.gguf")
        let out = try #require(try Subprocess.python("screened_f16_head.py", [src.path, dst.path]), "test venv missing")
        #expect(out.status == 0, "\(out.stderr)")
        let s = try Self.session(dst, head: .screened)
        #expect(s.model.weights.output.format == .f16)
        let ids = try #require(s.model.tokenizer).encode("The capital of France is", addSpecial: true, parseSpecial: false).map(Int.init)
        try Self.expectExactTokens(dst, prompt: ids, tokens: 16)
    }

    /// A quantized head (SmolLM2's Q8_0) is refused with one clear error, as for int8.
    @Test(.enabled(if: TestEnvironment.shouldRun(needs: LlamaGoldenTests.modelURL != nil)))
    func quantizedHeadIsRefused() throws {
        let url = try #require(LlamaGoldenTests.modelURL)
        #expect(throws: EngineError.self) { try Self.session(url, head: .screened) }
    }
}
