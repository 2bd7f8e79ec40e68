import Foundation
import Testing
import TestSupport
@testable import Engine

/// Varying-scale BitNet32-F16 (repacked to bn32r codes + block scales): batched prefill runs the bn32r gemm and
/// gives the logits of token-by-token prefill (the bn32r gemv) bit for bit, and the same greedy tokens, at 1 and 2
/// threads and with batches that split the prompt.
@Suite struct BN32PrefillTests {
    @Test func batchedEqualsTokenByToken() throws {
        let dir = try TestEnvironment.makeTempDir("engine-bn32-prefill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, varying) = try FormatModelTests.varyingBitNet32(dir)
        let ref = try SynthFixtures.session(varying)
        #expect(ref.model.weights.layers.flatMap(\.matrices).allSatisfy { $0.blockScales != nil })
        ref.prefillBatchSize = 1
        let p = BatchedPrefillTests.prompt(23, vocab: ref.model.weights.tokenEmbedding.rows)
        let (refLogits, gemmByStep) = try FormatModelTests.calls(Self.gemmIDs) { try ref.logits(after: p) }
        #expect(gemmByStep == 0, "token by token must not use the gemm")
        let refTokens = try ref.generate(promptTokens: p, options: GenerateOptions(maxTokens: 8)).generatedTokens
        #expect(refTokens.count == 8)
        for threads in [1, 2] {
            for batch in [64, 5] {
                let s = try SynthFixtures.session(varying, threads: threads)
                s.prefillBatchSize = batch
                let (logits, gemmCalls) = try FormatModelTests.calls(Self.gemmIDs) { try s.logits(after: p) }
                if threads == 1 { #expect(gemmCalls > 0, "batched prefill should run the bn32r gemm") }
                #expect(BatchedPrefillTests.bits(logits) == BatchedPrefillTests.bits(refLogits), "threads \(threads) batch \(batch)")
                let r = try s.generate(promptTokens: p, options: GenerateOptions(maxTokens: 8))
                #expect(r.generatedTokens == refTokens, "threads \(threads) batch \(batch)")
            }
        }
    }

    static let gemmIDs = ["bn32r_i8_gemm.scalar", "bn32r_i8_gemm.avx2", "bn32r_i8_gemm.avxvnni", "bn32r_i8_gemm.avx512vnni"]
}
