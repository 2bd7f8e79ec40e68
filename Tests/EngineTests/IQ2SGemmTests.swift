import CKernels
import Foundation
@testable import Engine
import Testing

/// The IQ2_S batched-prefill kernel (`ck_iq2_s_q8_K_gemm`: grid vectors looked up once per row, then every token)
/// writes for every token exactly the bits of the llama.cpp x86 transcription `IQ2SKernelTests.reference`, on every
/// path, for awkward token counts and row ranges, and leaves the other rows alone; a model's batched prefill gives
/// the logits of token-by-token prefill.
@Suite(.serialized) struct IQ2SGemmTests {
    @Test(arguments: [(768, 1), (768, 2), (2560, 3), (6912, 7)])
    func everyTokenEqualsTheReferenceOnEveryPath(n: Int, tokens: Int) throws {
        var g = IQ2SKernelTests.Rng(state: UInt64(31 * n + tokens))
        let rows = 6, row0 = 1, row1 = 5
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

    @Test func kernelIdsNameEachPath() {
        for name in ["iq2_s_q8_K_gemm.avx2", "iq2_s_q8_K_gemm.avx512vnni"] { #expect(ck_kernel_index(name) >= 0, "\(name)") }
    }
}
