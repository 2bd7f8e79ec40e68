import CKernels
import Foundation
import Testing

/// `ck_q8_head_gemv` (the int8 output head, split layout) against a double-precision sum computed here (exact integer
/// block sums times the f16 scales, within 2^-20 · Σ|d_w·d_y·S_b|), and every SIMD path equal to the scalar one bit for
/// bit (they share the float order). Codes in [-127, 127] as the Q8_0 quantizers write them, plus -128 (the AVX2 sign
/// trick and the VNNI bias must both handle it).
@Suite struct HeadQ8Tests {
    @Test(arguments: [1, 3, 4, 5, 7, 8, 9, 15, 16, 80, 81])
    func everyPathMatchesTheDoubleSumAndScalarBits(blocks nb: Int) {
        var rng = Rng(UInt64(91 + nb))
        let rows = 13, n = nb * 32
        func block(_ d: Float, min: Int = -127) -> ck_block_q8_0 {
            var b = ck_block_q8_0()
            b.d = ck_f32_to_f16(d)
            withUnsafeMutableBytes(of: &b.qs) { p in
                for i in 0..<32 { p[i] = UInt8(bitPattern: Int8(Int(rng.next() % UInt64(128 - min)) + min)) }
            }
            return b
        }
        let w = (0..<(rows * nb)).map { _ in block(rng.float(-0.02, 0.02), min: -128) }
        let y = (0..<nb).map { _ in block(rng.float(0.001, 0.05)) }
        var codes = [Int8](repeating: 0, count: rows * n), scales = [UInt16](repeating: 0, count: rows * nb)
        for r in 0..<rows {
            codes.withUnsafeMutableBufferPointer { c in
                scales.withUnsafeMutableBufferPointer { s in
                    Array(w[(r * nb)..<((r + 1) * nb)]).withUnsafeBufferPointer {
                        ck_q8_head_split($0.baseAddress!, nb, c.baseAddress! + r * n, s.baseAddress! + r * nb)
                    }
                }
            }
        }
        func ints(_ b: ck_block_q8_0) -> [Int32] { withUnsafeBytes(of: b.qs) { $0.map { Int32(Int8(bitPattern: $0)) } } }
        var truth = [Double](repeating: 0, count: rows), bound = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            for b in 0..<nb {
                let x = w[r * nb + b], s = zip(ints(x), ints(y[b])).reduce(Int32(0)) { $0 + $1.0 * $1.1 }
                let term = Double(ck_f16_to_f32(x.d)) * Double(ck_f16_to_f32(y[b].d)) * Double(s)
                truth[r] += term
                bound[r] += abs(term)
            }
        }
        var scalar: [UInt32] = []
        for path in Paths.available {
            var out = [Float](repeating: .nan, count: rows)
            Paths.with(path) { ck_q8_head_gemv(codes, scales, n, 0, rows, y, &out) }
            for r in 0..<rows {
                #expect(abs(Double(out[r]) - truth[r]) <= bound[r] * 0x1p-20 + 1e-30, "path \(path) row \(r)")
            }
            if scalar.isEmpty { scalar = out.map(\.bitPattern) } else { #expect(out.map(\.bitPattern) == scalar, "path \(path)") }
        }
        #expect(ck_q8_head_fits(n) == 1 && ck_q8_head_fits(Int(CK_HEAD_MAX_BLOCKS) * 32 + 32) == 0)
    }
}
