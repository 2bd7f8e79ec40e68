import CKernels
import Foundation
@testable import Engine
import ModelInspector
import Testing

/// `ck_tq_q8K_x86_gemv` (TQ2_0/TQ1_0 × Q8_K for `--parity llama.cpp`) equals, bit for bit on every path, the Swift
/// lane-by-lane emulation of llama.cpp's x86 dot (`X86TernaryQ8K`), with a different scale per block, every TQ1_0 byte
/// value and awkward row counts; a row range writes only its rows; the batched form (`ck_tq_q8K_x86_gemm`) gives every
/// token the gemv's bits, and a llama.cpp-parity TQ model's batched prefill equals token-by-token prefill.
@Suite(.serialized) struct TQX86LanesTests {
    static func blocks(_ format: WeightFormat, rows: Int, nb: Int, _ g: inout SplitMix64) -> [UInt8] {
        var w: [UInt8] = []
        for i in 0..<(rows * nb) {
            let codes = format == .tq2_0 ? 64 : 52
            // TQ1_0 bytes must be < 243 (valid base-3 digits); walk every value 0..242 across the blocks
            let body = (0..<codes).map { k in format == .tq2_0 ? UInt8(truncatingIfNeeded: g.next()) : UInt8((i * 52 + k) % 243) }
            let d = Float16(Float(g.next() % 1000 + 1) * 1e-4).bitPattern
            w += body + [UInt8(d & 0xff), UInt8(d >> 8)]
        }
        return w
    }

    @Test(arguments: [WeightFormat.tq2_0, .tq1_0])
    func everyPathEqualsTheLaneEmulation(format: WeightFormat) throws {
        var g = SplitMix64(state: format == .tq2_0 ? 5 : 6)
        let nb = 10, n = nb * 256, rows = 13
        let w = Self.blocks(format, rows: rows, nb: nb, &g)
        let x = (0..<n).map { _ in Float(Int(g.next() % 4001) - 2000) / 500 }
        let q = x.withUnsafeBufferPointer { ActivationQuantizer.quantize($0.baseAddress!, count: n, as: .q8_K) }
        let scratch = UnsafeMutablePointer<Int8>.allocate(capacity: 256)
        defer { scratch.deallocate() }
        let rowBytes = nb * format.blockBytes
        let ref = w.withUnsafeBytes { p in (0..<rows).map { X86TernaryQ8K.dot(format, p.baseAddress! + $0 * rowBytes, q, scratch: scratch) } }
        #expect(ref.allSatisfy { $0.isFinite && $0 != 0 })
        let y = q.blocks!.assumingMemoryBound(to: ck_block_q8_K.self)
        defer { ck_set_thread_path(0) }
        let results = IQ2SKernelTests.paths.map { p -> [Float] in
            ck_set_thread_path(p)
            var out = [Float](repeating: .nan, count: rows)
            w.withUnsafeBytes { ck_tq_q8K_x86_gemv($0.baseAddress!, format == .tq1_0 ? 1 : 0, n, 2, rows, y, &out) }
            return out
        }
        for (p, out) in zip(IQ2SKernelTests.paths, results) {
            #expect(out[0].isNaN && out[1].isNaN, "rows outside the range")
            #expect(out[2...].map(\.bitPattern) == ref[2...].map(\.bitPattern), "path \(p)")
        }
        // the batched-prefill form: every token's outputs are the gemv's bits (up to eight tokens per pass, then a rest)
        for tokens in [2, 8, 11] {
            let xs = (0..<tokens).map { t in (0..<n).map { i in x[(i * 7 + t * 131) % n] * (t % 2 == 0 ? 1 : -0.5) } }
            let rowsQ = xs.map { v in v.withUnsafeBufferPointer { ActivationQuantizer.quantize($0.baseAddress!, count: n, as: .q8_K) } }
            let ptrs = rowsQ.map { UnsafePointer($0.blocks!.assumingMemoryBound(to: ck_block_q8_K.self)) as UnsafePointer<ck_block_q8_K>? }
            for p in IQ2SKernelTests.paths {
                ck_set_thread_path(p)
                var batched = [Float](repeating: .nan, count: tokens * rows)
                w.withUnsafeBytes { wb in
                    ptrs.withUnsafeBufferPointer { ck_tq_q8K_x86_gemm(wb.baseAddress!, format == .tq1_0 ? 1 : 0, n, 1, rows, $0.baseAddress!, tokens, &batched, rows) }
                }
                for t in 0..<tokens {
                    var one = [Float](repeating: .nan, count: rows)
                    w.withUnsafeBytes { ck_tq_q8K_x86_gemv($0.baseAddress!, format == .tq1_0 ? 1 : 0, n, 1, rows, ptrs[t]!, &one) }
                    #expect(batched[(t * rows)..<(t * rows + rows)].map(\.bitPattern) == one.map(\.bitPattern), "path \(p) tokens \(tokens) token \(t)")
                    #expect(batched[t * rows].isNaN)
                }
            }
        }
        let ids = format == .tq2_0 ? ["tq2_0_q8_K_x86lanes.scalar", "tq2_0_q8_K_x86lanes.avx2"]
                                   : ["tq1_0_q8_K_x86lanes.scalar", "tq1_0_q8_K_x86lanes.avx2"]
        for id in ids { #expect(ck_kernel_index(id) >= 0) }
    }

    @Test(arguments: [SyntheticModel.WeightFormat.tq2_0, .tq1_0])
    func llamaParityPrefillBatchedEqualsTokenByToken(format: SyntheticModel.WeightFormat) throws {
        let url = try SynthFixtures.model(.bitnet, format, seed: 7)
        let ref = try SynthFixtures.session(url, parity: .llamaCpp)
        ref.prefillBatchSize = 1
        let p = BatchedPrefillTests.prompt(19, vocab: ref.model.weights.tokenEmbedding.rows)
        let want = BatchedPrefillTests.bits(try ref.logits(after: p))
        for threads in [1, 2, 3] {
            let s = try SynthFixtures.session(url, parity: .llamaCpp, threads: threads)
            s.prefillBatchSize = 64
            #expect(BatchedPrefillTests.bits(try s.logits(after: p)) == want, "\(format) threads \(threads)")
        }
    }
}
