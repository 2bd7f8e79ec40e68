import Foundation
import ModelInspector
import Testing
import TestSupport
@testable import Engine

/// Batched prefill (each layer's matrices over the whole prompt) against token-by-token prefill: the same logits
/// bit for bit and the same greedy tokens, at 1, 2 and 3 threads and with batches that split the prompt.
@Suite struct BatchedPrefillTests {
    static func prompt(_ n: Int, vocab: Int) -> [Int] { (0..<n).map { ($0 * 7919 + 13) % vocab } }
    static func bits(_ x: [Float]) -> [UInt32] { x.map(\.bitPattern) }

    /// TQ1_0/TQ2_0 both re-encoded as I2_S at load (the default) and kept as stored (`--repack none`).
    @Test(arguments: zip([SyntheticModel.WeightFormat.i2_s, .tq2_0, .tq1_0, .tq2_0, .tq1_0, .f16],
                         [true, true, true, false, false, true]))
    func batchedEqualsTokenByToken(format: SyntheticModel.WeightFormat, repack: Bool) throws {
        let url = try SynthFixtures.model(.bitnetB158, format)
        let ref = try SynthFixtures.session(url, repack: repack)
        ref.prefillBatchSize = 1
        let p = Self.prompt(23, vocab: ref.model.weights.tokenEmbedding.rows)
        let refLogits = Self.bits(try ref.logits(after: p))
        let refTokens = try ref.generate(promptTokens: p, options: GenerateOptions(maxTokens: 8)).generatedTokens
        #expect(refTokens.count == 8)
        // the I2_S layers take the GEMM path (kernel counters are process-wide, so this is checked on the matrices);
        // TQ1_0/TQ2_0 are re-encoded as I2_S at load by default (ModelOptions.repackTernary); as stored and F16 keep
        // the row kernels
        let mats = ref.model.weights.layers.flatMap(\.matrices)
        #expect(mats.allSatisfy { Dispatcher.usesI2SGemm($0) } == (format == .i2_s || (repack && format != .f16)))
        for threads in [1, 2, 3] {
            for batch in [64, 5] {
                let s = try SynthFixtures.session(url, threads: threads, repack: repack)
                s.prefillBatchSize = batch
                #expect(Self.bits(try s.logits(after: p)) == refLogits, "\(format) threads \(threads) batch \(batch)")
                let r = try s.generate(promptTokens: p, options: GenerateOptions(maxTokens: 8))
                #expect(r.generatedTokens == refTokens, "\(format) threads \(threads) batch \(batch)")
            }
        }
    }

    /// A real llama model in Q4_1 (llama.cpp numerics): same logits and tokens batched and token by token.
    @Test(.enabled(if: TestEnvironment.shouldRun(needs: LlamaGoldenTests.modelURL != nil)))
    func smolLM2Q4_1BatchedEqualsTokenByToken() throws {
        let url = try #require(LlamaGoldenTests.modelURL, "SmolLM2 test model missing (run scripts/setup-testdata.sh)")
        var o = ModelOptions()
        o.parity = .llamaCpp
        o.contextSize = 128
        o.threads = 2
        let model = try Model.load(url: url, options: o)
        let p = Self.prompt(19, vocab: model.weights.tokenEmbedding.rows)
        let ref = Session(model: model), fast = Session(model: model)
        ref.prefillBatchSize = 1
        fast.prefillBatchSize = 8
        #expect(Self.bits(try fast.logits(after: p)) == Self.bits(try ref.logits(after: p)))
        let a = try ref.generate(promptTokens: p, options: GenerateOptions(maxTokens: 6)).generatedTokens
        let b = try fast.generate(promptTokens: p, options: GenerateOptions(maxTokens: 6)).generatedTokens
        #expect(a == b && a.count == 6)
    }
}
