import CKernels
import Foundation
import Testing

/// `ck_q8_0_head_gemv` (the int8 output head) on every path against a double-precision sum computed here:
/// exact integer block sums times the f16 scales, within 2^-20 · Σ|d_w·d_y·S_b| (codes in [-127, 127], as the
/// Q8_0 quantizers write them).
@Suite struct HeadQ8Tests {
    @Test(arguments: [1, 3, 4, 5, 7, 80])
    func everyPathMatchesTheDoubleSum(blocks nb: Int) {
        var rng = Rng(UInt64(91 + nb))
        let rows = 13, n = nb * 32
        func block(_ d: Float) -> ck_block_q8_0 {
            var b = ck_block_q8_0()
            b.d = ck_f32_to_f16(d)
            withUnsafeMutableBytes(of: &b.qs) { p in
                for i in 0..<32 { p[i] = UInt8(bitPattern: Int8(Int(rng.next() % 255) - 127)) }
            }
            return b
        }
        let w = (0..<(rows * nb)).map { _ in block(rng.float(-0.02, 0.02)) }
        let y = (0..<nb).map { _ in block(rng.float(0.001, 0.05)) }
        func codes(_ b: ck_block_q8_0) -> [Int32] { withUnsafeBytes(of: b.qs) { $0.map { Int32(Int8(bitPattern: $0)) } } }
        var truth = [Double](repeating: 0, count: rows), bound = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            for b in 0..<nb {
                let x = w[r * nb + b], s = zip(codes(x), codes(y[b])).reduce(Int32(0)) { $0 + $1.0 * $1.1 }
                let term = Double(ck_f16_to_f32(x.d)) * Double(ck_f16_to_f32(y[b].d)) * Double(s)
                truth[r] += term
                bound[r] += abs(term)
            }
        }
        for path in Paths.available {
            var out = [Float](repeating: .nan, count: rows)
            Paths.with(path) { ck_q8_0_head_gemv(w, n, 0, rows, y, &out) }
            for r in 0..<rows {
                #expect(abs(Double(out[r]) - truth[r]) <= bound[r] * 0x1p-20 + 1e-30, "path \(path) row \(r)")
            }
        }
    }
}
