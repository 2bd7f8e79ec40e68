import Foundation
import Testing
import CKernels

/// Packs ternary rows into the I2_S layout as documented (independently of the C code): code = t + 1;
/// byte j of a 128-weight block holds weights j, j+32, j+64, j+96 in bits 7:6, 5:4, 3:2, 1:0.
func packI2S(_ t: [Int], n: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: t.count / 4)
    for base in stride(from: 0, to: t.count, by: 128) {
        for j in 0..<32 {
            let c = (0..<4).map { UInt8(t[base + j + 32 * $0] + 1) }
            out[base / 4 + j] = c[0] << 6 | c[1] << 4 | c[2] << 2 | c[3]
        }
    }
    return out
}

@Suite struct I2STests {
    @Test func handComputedSmallRow() {
        // one block: weight i = +1 for i ≡ 0 (mod 3), −1 for i ≡ 1, 0 otherwise; q_i = i − 64
        let t = (0..<128).map { [1, -1, 0][$0 % 3] }
        let q = (0..<128).map { Int8($0 - 64) }
        let w = packI2S(t, n: 128)
        var out: [Int32] = [0]
        for path in Paths.available {
            Paths.with(path) { ck_i2s_gemv(w, 128, 0, 1, q, &out) }
            #expect(out == directDots(t, q, n: 128, rows: 1, offset: 1))
        }
        // byte 0 holds weights 0, 32, 64, 96: t = +1, 0, −1, +1 -> codes 2, 1, 0, 2 -> 0b10_01_00_10
        #expect(w[0] == 0b1001_0010)
    }

    @Test(arguments: [(128, 1), (384, 3), (1152, 5), (2560, 7), (6912, 13)])
    func gemvAllPathsEqualDirectSum(n: Int, rows: Int) {
        var rng = Rng(UInt64(n * 31 + rows))
        let t = rng.ternary(n * rows)
        let w = packI2S(t, n: n)
        let q = rng.int8s(n)
        let expected = directDots(t, q, n: n, rows: rows, offset: 1)
        let results = Paths.each { () -> [Int32] in
            var out = [Int32](repeating: -1, count: rows)
            ck_i2s_gemv(w, n, 0, rows, q, &out)
            return out
        }
        for r in results { #expect(r == expected) }
        // a sub-range writes only its rows
        let sub = Paths.each { () -> [Int32] in
            var out = [Int32](repeating: -7, count: rows)
            ck_i2s_gemv(w, n, 1, rows, q, &out)
            return out
        }
        for r in sub { #expect(r[0] == -7 && Array(r[1...]) == Array(expected[1...])) }
    }

    @Test func extremeCodesAndActivationsDoNotOverflow() {
        // code 3 everywhere (never written by converters, but must not break the int16 partial sums)
        let n = 128 * 40, rows = 5
        let w = [UInt8](repeating: 0xff, count: rows * n / 4)
        for qv in [Int8.min, Int8.max] {
            let q = [Int8](repeating: qv, count: n)
            let results = Paths.each { () -> [Int32] in
                var out = [Int32](repeating: 0, count: rows)
                ck_i2s_gemv(w, n, 0, rows, q, &out)
                return out
            }
            for r in results { #expect(r == [Int32](repeating: Int32(3 * n) * Int32(qv), count: rows)) }
        }
    }

    @Test(arguments: [1, 3, 4, 6, 9])
    func gemmEqualsGemvPerTokenOnEveryPath(ntok: Int) {
        let n = 640, rows = 11
        var rng = Rng(UInt64(ntok))
        let w = packI2S(rng.ternary(n * rows), n: n)
        let ldq = n + 16
        let q = rng.int8s(ldq * ntok)
        let expected: [Int32] = Paths.with(Paths.scalar) {
            var all = [Int32]()
            for t in 0..<ntok {
                var out = [Int32](repeating: 0, count: rows)
                Array(q[(t * ldq)..<(t * ldq + n)]).withUnsafeBufferPointer { ck_i2s_gemv(w, n, 0, rows, $0.baseAddress, &out) }
                all += Array(out[2..<rows])
            }
            return all
        }
        let results = Paths.each { () -> [Int32] in
            var out = [Int32](repeating: 0, count: rows * ntok)
            ck_i2s_gemm(w, n, 2, rows, q, ldq, ntok, &out, rows)
            return (0..<ntok).flatMap { Array(out[($0 * rows + 2)..<($0 * rows + rows)]) }
        }
        for r in results { #expect(r == expected) }
    }

    @Test func floatWrapperAppliesBitnetFormulaLeftToRight() {
        let n = 256, rows = 300
        var rng = Rng(99)
        let w = packI2S(rng.ternary(n * rows), n: n)
        let x = rng.floats(n, -2, 2)
        var q = [Int8](repeating: 0, count: n)
        var s: Float = 0
        let qsum = ck_quantize_i8_s(x, &q, n, &s)
        var sums = [Int32](repeating: 0, count: rows), out = [Float](repeating: 0, count: rows)
        ck_i2s_gemv(w, n, 0, rows, q, &sums)
        let beta: Float = 0.7321
        ck_i2s_gemv_f32(w, n, 0, rows, q, qsum, s, beta, &out)
        for r in 0..<rows {
            let a = Float(sums[r]) - Float(qsum)
            #expect(out[r] == a / s * beta)
        }
    }
}
