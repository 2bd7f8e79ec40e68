import Foundation
import Testing
import CKernels

/// Float dots: the scalar path sums in double; SIMD paths must stay within (n/32 + 16)·2^-23·Σ|w·x|.
@Suite struct FloatDotTests {
    static let sizes = [1, 7, 15, 16, 17, 31, 100, 1000, 2561]

    func tolerance(_ n: Int) -> Float { Float(n / 32 + 16) * Float(1.0 / 8_388_608.0) }

    @Test(arguments: sizes)
    func dotsAgreeWithDoubleReferenceOnEveryPath(n: Int) {
        var rng = Rng(UInt64(n))
        let a = rng.floats(n, -2, 2), b = rng.floats(n, -2, 2)
        let h = a.map { ck_f32_to_f16($0) }
        let bf = a.map { UInt16($0.bitPattern >> 16) }
        let refF32 = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let refF16 = zip(h, b).reduce(0.0) { $0 + Double(ck_f16_to_f32($1.0)) * Double($1.1) }
        let refBF = zip(bf, b).reduce(0.0) { $0 + Double(ck_bf16_to_f32($1.0)) * Double($1.1) }
        let mag = zip(a, b).reduce(Float(0)) { $0 + abs($1.0 * $1.1) } * 1.01
        let results = Paths.each { (ck_dot_f32(a, b, n), ck_dot_f16_f32(h, b, n), ck_dot_bf16_f32(bf, b, n)) }
        for (i, r) in results.enumerated() {
            let tol = i == 0 ? Float(2.0 / 8_388_608.0) : tolerance(n)
            #expect(close(r.0, Float(refF32), tol: tol, scale: mag))
            #expect(close(r.1, Float(refF16), tol: tol, scale: mag))
            #expect(close(r.2, Float(refBF), tol: tol, scale: mag))
        }
    }

    @Test(arguments: [(33, 5), (2560, 9), (100, 4)])
    func gemvAndGemmMatchTheSingleDot(n: Int, rows: Int) {
        var rng = Rng(UInt64(n + rows))
        let w = rng.floats(n * rows, -1, 1)
        let w16 = w.map { ck_f32_to_f16($0) }, wbf = w.map { UInt16($0.bitPattern >> 16) }
        let ntok = 6, ldx = n + 3
        let x = rng.floats(ldx * ntok, -1, 1)
        for path in Paths.available {
            Paths.with(path) {
                var o32 = [Float](repeating: 0, count: rows), o16 = o32, obf = o32
                ck_f32_gemv(w, n, 1, rows, x, &o32)
                ck_f16_gemv(w16, n, 1, rows, x, &o16)
                ck_bf16_gemv(wbf, n, 1, rows, x, &obf)
                var og = [Float](repeating: 0, count: rows * ntok)
                ck_f16_gemm(w16, n, 1, rows, x, ldx, ntok, &og, rows)
                for r in 1..<rows {
                    let wr = Array(w[(r * n)..<(r * n + n)]), hr = Array(w16[(r * n)..<(r * n + n)])
                    let mag = zip(wr, x).reduce(Float(0)) { $0 + abs($1.0 * $1.1) } * 1.01 + 1e-30
                    #expect(close(o32[r], ck_dot_f32(wr, x, n), tol: 2 * tolerance(n), scale: mag))
                    #expect(close(o16[r], ck_dot_f16_f32(hr, x, n), tol: 2 * tolerance(n), scale: mag))
                    #expect(close(obf[r], ck_dot_bf16_f32(Array(wbf[(r * n)..<(r * n + n)]), x, n), tol: 2 * tolerance(n), scale: mag))
                    for t in 0..<ntok {
                        let xt = Array(x[(t * ldx)..<(t * ldx + n)])
                        let magt = zip(wr, xt).reduce(Float(0)) { $0 + abs($1.0 * $1.1) } * 1.01 + 1e-30
                        #expect(close(og[t * rows + r], ck_dot_f16_f32(hr, xt, n), tol: 2 * tolerance(n), scale: magt))
                    }
                }
                #expect(o32[0] == 0 && o16[0] == 0 && og[0] == 0) // row 0 outside the range: untouched
            }
        }
    }

    @Test func handComputedDot() {
        let a: [Float] = [1, 2, 3], b: [Float] = [4, -5, 6]
        for r in Paths.each({ ck_dot_f32(a, b, 3) }) { #expect(r == 12) }
        let h = a.map { ck_f32_to_f16($0) }
        for r in Paths.each({ ck_dot_f16_f32(h, b, 3) }) { #expect(r == 12) }
    }
}
