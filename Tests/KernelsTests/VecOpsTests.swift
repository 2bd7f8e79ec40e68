import Foundation
import Testing
import CKernels

@Suite struct VecOpsTests {
    func ulpClose(_ a: Float, _ b: Double, ulps: Float) -> Bool {
        abs(Double(a) - b) <= Double(ulps * Float(b).ulp) + 1e-37
    }

    @Test(arguments: [1, 9, 64, 2560, 2561])
    func rmsnormMatchesDoubleReference(n: Int) {
        var rng = Rng(UInt64(n))
        let x = rng.floats(n, -3, 3), w = rng.floats(n, 0.5, 1.5)
        let ms = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(n)
        let scale = 1 / (ms + 1e-5).squareRoot()
        for out in Paths.each({ () -> [Float] in
            var o = [Float](repeating: 0, count: n)
            ck_rmsnorm(x, w, &o, n, 1e-5)
            return o
        }) {
            for i in 0..<n { #expect(ulpClose(out[i], Double(x[i]) * scale * Double(w[i]), ulps: 4)) }
        }
        // in place, no weight
        var y = x
        ck_rmsnorm(y, nil, &y, n, 1e-5)
        for i in 0..<n { #expect(ulpClose(y[i], Double(x[i]) * scale, ulps: 4)) }
    }

    @Test(arguments: [1, 5, 8, 100, 4097])
    func softmaxMatchesDoubleReference(n: Int) {
        var rng = Rng(UInt64(n) + 100)
        let x = rng.floats(n, -30, 30)
        let m = x.max()!
        let e = x.map { exp(Double($0 - m)) }, s = e.reduce(0, +)
        for out in Paths.each({ () -> [Float] in var y = x; ck_softmax(&y, n); return y }) {
            for i in 0..<n { #expect(abs(Double(out[i]) - e[i] / s) <= 1e-6 * (e[i] / s) + 1e-30) }
            #expect(abs(out.reduce(0.0) { $0 + Double($1) } - 1) < 1e-5)
        }
    }

    @Test func ropeHandComputedAndSameBitsOnEveryPath() {
        // pos 0 is the identity; pos p rotates pair i by p·base^(-2i/d)
        let headDim = 8, nDims = 8
        var cs = [Float](repeating: 0, count: nDims)
        ck_rope_cache(0, nDims, 10000, &cs)
        #expect(Array(cs[0..<4]) == [1, 1, 1, 1] && Array(cs[4..<8]) == [0, 0, 0, 0])
        ck_rope_cache(3, nDims, 10000, &cs)
        let ts = powf(10000, -2.0 / 8)
        #expect(cs[0] == cosf(3) && cs[4] == sinf(3) && cs[1] == cosf(3 * ts) && cs[5] == sinf(3 * ts))
        let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        var neox = x, normal = x
        Paths.with(Paths.scalar) {
            ck_rope_apply(&neox, 1, headDim, nDims, cs, Int32(CK_ROPE_NEOX))
            ck_rope_apply(&normal, 1, headDim, nDims, cs, Int32(CK_ROPE_NORMAL))
        }
        #expect(neox[0] == 1 * cs[0] - 5 * cs[4] && neox[4] == 1 * cs[4] + 5 * cs[0])
        #expect(normal[0] == 1 * cs[0] - 2 * cs[4] && normal[1] == 1 * cs[4] + 2 * cs[0])
        #expect(normal[2] == 3 * cs[1] - 4 * cs[5])

        var rng = Rng(9)
        let heads = 5, hd = 128
        let big = rng.floats(heads * hd, -2, 2)
        for dims in [128, 64, 24] {
            var c = [Float](repeating: 0, count: dims)
            ck_rope_cache(17, dims, 500000, &c)
            for style in [CK_ROPE_NEOX, CK_ROPE_NORMAL] {
                let results = Paths.each { () -> [Float] in
                    var y = big
                    ck_rope_apply(&y, heads, hd, dims, c, Int32(style))
                    return y
                }
                for r in results { #expect(r.map(\.bitPattern) == results[0].map(\.bitPattern)) }
                // dims beyond n_dims are untouched; norms of rotated pairs are preserved
                for h in 0..<heads { #expect(Array(results[0][(h * hd + dims)..<(h * hd + hd)]) == Array(big[(h * hd + dims)..<(h * hd + hd)])) }
            }
        }
    }

    @Test(arguments: [1, 7, 8, 33, 6912])
    func activationsMatchReference(n: Int) {
        var rng = Rng(UInt64(n) + 7)
        var g = rng.floats(n, -12, 12)
        if n > 3 { g[0] = -100; g[1] = 100; g[2] = 0 }
        let u = rng.floats(n, -2, 2)
        let silu = g.map { Double($0) / (1 + exp(-Double($0))) }
        for (s, sm, r, rm) in Paths.each({ () -> ([Float], [Float], [Float], [Float]) in
            var a = [Float](repeating: 0, count: n), b = a, c = a, d = a
            ck_silu(g, &a, n); ck_silu_mul(g, u, &b, n); ck_relu2(g, &c, n); ck_relu2_mul(g, u, &d, n)
            return (a, b, c, d)
        }) {
            for i in 0..<n {
                #expect(abs(Double(s[i]) - silu[i]) <= 4e-7 * abs(silu[i]) + 1e-30, "\(g[i])")
                #expect(abs(Double(sm[i]) - silu[i] * Double(u[i])) <= 6e-7 * abs(silu[i] * Double(u[i])) + 1e-30)
                let relu = max(g[i], 0)
                #expect(r[i] == relu * relu)
                #expect(rm[i] == relu * relu * u[i])
            }
        }
    }

    @Test func elementwiseOpsAreExactOnEveryPath() {
        var rng = Rng(12)
        let n = 1003
        let a = rng.floats(n), b = rng.floats(n)
        let h = b.map { ck_f32_to_f16($0) }
        for (m, s, sc, ax, ah) in Paths.each({ () -> ([Float], [Float], [Float], [Float], [Float]) in
            var m = [Float](repeating: 0, count: n), s = m
            ck_mul_f32(a, b, &m, n); ck_add_f32(a, b, &s, n)
            var sc = a; ck_scale_f32(&sc, 0.3, n)
            var ax = a; ck_axpy_f32(&ax, 0.7, b, n)
            var ah = a; ck_axpy_f16(&ah, 0.7, h, n)
            return (m, s, sc, ax, ah)
        }) {
            for i in 0..<n {
                #expect(m[i] == a[i] * b[i] && s[i] == a[i] + b[i] && sc[i] == a[i] * 0.3)
                #expect(ax[i] == a[i] + 0.7 * b[i] && ah[i] == a[i] + 0.7 * ck_f16_to_f32(h[i]))
            }
        }
    }
}
