import CKernels
import Foundation
@testable import Engine
@testable import GGUF
import Testing

/// The IQ2_S batched-prefill kernel (`ck_iq2_s_q8_K_gemm`: grid vectors looked up once per row, then every token)
/// writes for every token exactly the bits of the llama.cpp x86 transcription `IQ2SKernelTests.reference`, on every
/// path, for awkward token counts and row ranges, and leaves the other rows alone; a model's batched prefill gives
/// the logits of token-by-token prefill.
@Suite(.serialized) struct IQ2SGemmTests {
    /// Rows 1..<6 of 7: two row pairs and a single row; tokens: fewer than four, four and a rest.
    @Test(arguments: [(768, 1), (768, 2), (2560, 3), (768, 4), (6912, 7)])
    func everyTokenEqualsTheReferenceOnEveryPath(n: Int, tokens: Int) throws {
        var g = IQ2SKernelTests.Rng(state: UInt64(31 * n + tokens))
        let rows = 7, row0 = 1, row1 = 6
        var w: [UInt8] = []
        for _ in 0..<(rows * n / 256) {
            w += IQ2SKernelTests.half(0.0005 + 0.002 * g.unit()) + (0..<80).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        }
        let ys = (0..<tokens).map { _ in IQ2SKernelTests.activations(n, &g) }
        let rowBytes = n / 256 * 82
        let ref = ys.map { y in (0..<rows).map { r in IQ2SKernelTests.reference(w[(r * rowBytes)..<((r + 1) * rowBytes)], y) } }
        defer { ck_set_thread_path(0) }
        for p in IQ2SKernelTests.paths {
            ck_set_thread_path(p)
            var out = [Float](repeating: .nan, count: tokens * rows)
            ys.flatMap { $0 }.withUnsafeBufferPointer { all in
                let pointers = (0..<tokens).map { UnsafePointer(all.baseAddress! + $0 * (n / 256)) as UnsafePointer<ck_block_q8_K>? }
                pointers.withUnsafeBufferPointer { ck_iq2_s_q8_K_gemm(w, n, row0, row1, $0.baseAddress!, tokens, &out, rows) }
            }
            for t in 0..<tokens {
                for r in 0..<rows {
                    let v = out[t * rows + r]
                    if r < row0 || r >= row1 { #expect(v.isNaN, "row \(r) outside the range was written") }
                    else { #expect(v.bitPattern == ref[t][r].bitPattern, "path \(p) token \(t) row \(r): \(v) vs \(ref[t][r])") }
                }
            }
        }
    }

    /// The largest values the 16-bit form holds: every scale nibble 15 and every group the grid entry of eight 43s
    /// (w16 = ±1333), q = ±127, signs all set in one block and clear in the next.
    @Test func extremeBlocksStayExact() throws {
        let all43 = try #require(IQ2SGrid.table.firstIndex(of: 0x2b2b_2b2b_2b2b_2b2b))
        let hi = UInt8(all43 >> 8)
        var block: [UInt8] = IQ2SKernelTests.half(0.01) + [UInt8](repeating: UInt8(all43 & 0xff), count: 32)
        block += [UInt8](repeating: 0xff, count: 32) + [UInt8](repeating: hi | hi << 2 | hi << 4 | hi << 6, count: 8)
        block += [UInt8](repeating: 0xff, count: 8)
        var second = block
        for i in 34..<66 { second[i] = 0 }
        let n = 512, w = block + second
        let ys: [[ck_block_q8_K]] = [1, -1, 3].map { sign in
            var y = [ck_block_q8_K](repeating: ck_block_q8_K(), count: 2)
            ck_quantize_q8_K((0..<n).map { i in Float(sign) * (i % 3 == 0 ? -1 : 1) }, &y, n)
            return y
        }
        defer { ck_set_thread_path(0) }
        for p in IQ2SKernelTests.paths {
            ck_set_thread_path(p)
            var out = [Float](repeating: .nan, count: 3)
            ys.flatMap { $0 }.withUnsafeBufferPointer { all in
                let pointers = (0..<3).map { UnsafePointer(all.baseAddress! + 2 * $0) as UnsafePointer<ck_block_q8_K>? }
                pointers.withUnsafeBufferPointer { ck_iq2_s_q8_K_gemm(w, n, 0, 1, $0.baseAddress!, 3, &out, 1) }
            }
            for t in 0..<3 {
                let ref = IQ2SKernelTests.reference(w[...], ys[t])
                #expect(out[t].bitPattern == ref.bitPattern && ref != 0, "path \(p) token \(t): \(out[t]) vs \(ref)")
            }
        }
    }

    /// A whole IQ2_S model: batched prefill (the GEMM) gives token-by-token prefill's logits bit for bit and the same
    /// greedy tokens, at 1, 2 and 3 threads, with batches that split the prompt.
    @Test func modelPrefillBatchedEqualsTokenByToken() throws {
        let url = try SynthFixtures.model(.bitnetB158, .iq2_s)
        let ref = try SynthFixtures.session(url)
        ref.prefillBatchSize = 1
        let p = BatchedPrefillTests.prompt(21, vocab: ref.model.weights.tokenEmbedding.rows)
        let refLogits = BatchedPrefillTests.bits(try ref.logits(after: p))
        let refTokens = try ref.generate(promptTokens: p, options: GenerateOptions(maxTokens: 6)).generatedTokens
        #expect(refTokens.count == 6)
        #expect(ref.model.weights.layers.flatMap(\.matrices).allSatisfy { $0.format == .iq2_s })
        for threads in [1, 2, 3] {
            for batch in [64, 5] {
                let s = try SynthFixtures.session(url, threads: threads)
                s.prefillBatchSize = batch
                #expect(BatchedPrefillTests.bits(try s.logits(after: p)) == refLogits, "threads \(threads) batch \(batch)")
                #expect(try s.generate(promptTokens: p, options: GenerateOptions(maxTokens: 6)).generatedTokens == refTokens)
            }
        }
    }

    @Test func kernelIdsNameEachPath() {
        for name in ["iq2_s_q8_K_gemm.avx2", "iq2_s_q8_K_gemm.avx512vnni"] { #expect(ck_kernel_index(name) >= 0, "\(name)") }
    }
}
