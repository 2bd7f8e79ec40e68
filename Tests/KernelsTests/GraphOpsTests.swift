import Testing
import CKernels

/// CKernels graph ops (graph.c, attention.c) equal the engine's Swift reference (GraphReference.swift) bit for
/// bit, on every path this CPU has.
@Suite struct GraphOpsTests {
    static let sizes = [1, 7, 16, 17, 63, 64, 65, 130, 1000]

    /// nil when `got` and `want` have the same bits, else the first difference.
    func mismatch(_ got: [Float], _ want: [Float]) -> String? {
        guard got.count == want.count else { return "count \(got.count) != \(want.count)" }
        guard let i = got.indices.first(where: { got[$0].bitPattern != want[$0].bitPattern }) else { return nil }
        return "index \(i): \(got[i]) (\(String(got[i].bitPattern, radix: 16))) != \(want[i]) (\(String(want[i].bitPattern, radix: 16)))"
    }

    @Test func expfMatchesReference() {
        var rng = Rng(11)
        var xs = rng.floats(4000, -110, 95)
        xs += rng.floats(500, -160, -80) + rng.floats(200, 87, 90) + rng.floats(300, -1, 1)
        xs += [0, -0.0, .infinity, -.infinity, .nan, 88.7, 88.8, -87.3, -103.9, -104.1, -149, -150, 1e-30, -1e-30]
        let want = xs.map { RefMath.expf($0).bitPattern }
        for got in Paths.each({ xs.map { ck_g_expf($0).bitPattern } }) {
            #expect(got == want, "first difference at x = \(xs[got.indices.first { got[$0] != want[$0] } ?? 0])")
        }
        for got in Paths.each({ () -> [UInt32] in
            var y = [Float](repeating: 0, count: xs.count)
            ck_g_expf_row(xs, &y, xs.count)
            return y.map(\.bitPattern)
        }) {
            #expect(got == want, "row: first difference at x = \(xs[got.indices.first { got[$0] != want[$0] } ?? 0])")
        }
    }

    @Test(arguments: sizes)
    func rmsnormMatchesReference(n: Int) {
        var rng = Rng(UInt64(n) &* 31)
        let x = rng.floats(n, -4, 4), w = rng.floats(n, -2, 2)
        var want = [Float](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xp in want.withUnsafeMutableBufferPointer { RefOps.rmsNorm(xp.baseAddress!, w, eps: 1e-5, $0.baseAddress!, count: n) } }
        for got in Paths.each({ () -> [Float] in
            var y = [Float](repeating: 0, count: n)
            ck_g_rmsnorm(x, w, &y, n, 1e-5)
            return y
        }) { #expect(mismatch(got, want) == nil) }
        var inPlace = x
        inPlace.withUnsafeMutableBufferPointer { ck_g_rmsnorm($0.baseAddress!, w, $0.baseAddress!, n, 1e-5) }
        #expect(mismatch(inPlace, want) == nil)
    }

    @Test(arguments: [(64, 64, 10000 as Float), (128, 128, 500000), (64, 32, 10000), (80, 64, 1e6)])
    func ropeMatchesReference(headDim: Int, ropeDims: Int, base: Float) {
        let heads = 3
        for position in [0, 1, 7, 100, 1023, 4095, 70000] {
            for neox in [false, true] {
                for fused in [false, true] {
                    var rng = Rng(UInt64(position * 4 + headDim))
                    let x = rng.floats(heads * headDim, -3, 3)
                    var want = x
                    want.withUnsafeMutableBufferPointer {
                        RefOps.rope($0.baseAddress!, heads: heads, headDim: headDim, ropeDims: ropeDims, position: position,
                                    base: base, neox: neox, fused: fused)
                    }
                    for got in Paths.each({ () -> [Float] in
                        var cs = [Float](repeating: 0, count: ropeDims / 2), sn = cs, y = x
                        ck_g_rope_table(Float(position), ropeDims, base, &cs, &sn)
                        ck_g_rope(&y, heads, headDim, ropeDims, cs, sn, neox ? 1 : 0, fused ? 1 : 0)
                        return y
                    }) { #expect(mismatch(got, want) == nil, "pos \(position) neox \(neox) fused \(fused)") }
                }
            }
        }
    }

    @Test(arguments: sizes + [256, 4097])
    func softmaxMatchesReference(n: Int) {
        var rng = Rng(UInt64(n) + 7)
        var x = rng.floats(n, -30, 30)
        for i in stride(from: 3, to: n, by: 5) { x[i] = -.infinity }   // masked entries
        var want = x
        want.withUnsafeMutableBufferPointer { RefMath.softmax($0.baseAddress!, count: n) }
        #expect(want.allSatisfy { $0.isFinite })
        for got in Paths.each({ () -> [Float] in var y = x; ck_g_softmax(&y, n); return y }) {
            #expect(mismatch(got, want) == nil)
        }
    }

    @Test(arguments: sizes)
    func activationsMatchReference(n: Int) {
        var rng = Rng(UInt64(n) + 99)
        var g = rng.floats(n, -12, 12), u = rng.floats(n, -2, 2)
        if n > 3 { g[1] = 0; g[2] = -0.0; g[3] = -100 }
        var wantS = g, wantR = g, wantG = g
        u.withUnsafeBufferPointer { up in
            wantS.withUnsafeMutableBufferPointer { RefMath.swiglu($0.baseAddress!, up.baseAddress!, count: n) }
            wantR.withUnsafeMutableBufferPointer { RefOps.reluSquared($0.baseAddress!, up.baseAddress!, count: n) }
            wantG.withUnsafeMutableBufferPointer { RefOps.gelu($0.baseAddress!, up.baseAddress!, count: n) }
        }
        for got in Paths.each({ () -> [[Float]] in
            var s = g, r = g, e = g
            ck_g_swiglu(&s, u, n); ck_g_relu2_mul(&r, u, n); ck_g_gelu_mul(&e, u, n)
            return [s, r, e]
        }) {
            #expect(mismatch(got[0], wantS) == nil)
            #expect(mismatch(got[1], wantR) == nil)
            #expect(mismatch(got[2], wantG) == nil)
        }
    }

    @Test(arguments: sizes + [128, 4096])
    func dotsMatchReference(n: Int) {
        var rng = Rng(UInt64(n) + 1234)
        let a = rng.floats(n, -2, 2), b = rng.floats(n, -2, 2)
        let want = [RefMath.dot16({ a[$0] }, { b[$0] }, count: n),
                    RefMath.vecDotF16({ a[$0] }, { b[$0] }, count: n, padded: false),
                    RefMath.vecDotF16({ a[$0] }, { b[$0] }, count: n, padded: true)]
        for got in Paths.each({ [ck_g_dot16(a, b, n), ck_g_vec_dot_f16(a, b, n, 0), ck_g_vec_dot_f16(a, b, n, 1)] }) {
            #expect(mismatch(got, want) == nil)
        }
    }

    @Test func kvStoreRoundsLikeFloat16() {
        var rng = Rng(5)
        let n = 1000
        var k = rng.floats(n, -70000, 70000), v = rng.floats(n, -1e-5, 1e-5)   // overflow and subnormal ranges
        k[0] = 65519; k[1] = 65520; v[0] = 2.98e-8; v[1] = 2.99e-8
        let want = k.map { Float16($0).bitPattern } + v.map { Float16($0).bitPattern }
        for got in Paths.each({ () -> [UInt16] in
            var kd = [UInt16](repeating: 0, count: n), vd = kd
            ck_g_kv_store(k, v, &kd, &vd, n)
            return kd + vd
        }) { #expect(got == want) }
    }

    /// (heads, kv heads, head dim): GQA groups 1, 3 and 4, head dims with and without a 16-lane tail.
    @Test(arguments: [(4, 4, 16), (6, 2, 64), (8, 2, 128), (3, 1, 20)])
    func attentionMatchesReference(heads: Int, kvHeads: Int, headDim: Int) {
        let kvDim = kvHeads * headDim, maxPos = 70
        var rng = Rng(UInt64(heads * 1000 + headDim))
        let keys = rng.floats(maxPos * kvDim, -2, 2).map { Float16($0).bitPattern }
        let values = rng.floats(maxPos * kvDim, -2, 2).map { Float16($0).bitPattern }
        let q = rng.floats(heads * headDim, -3, 3)
        var scratch = [Float](repeating: .nan, count: ck_g_attention_scratch_floats(maxPos, heads, kvHeads, headDim))
        for n in 1...maxPos {
            for tiny in [true, false] {
                let want = RefAttention.run(q: q, keys: keys, values: values, positions: n, heads: heads,
                                            kvHeads: kvHeads, headDim: headDim, tiny: tiny)
                for got in Paths.each({ () -> [Float] in
                    var out = [Float](repeating: .nan, count: heads * headDim)
                    ck_g_attention(q, keys, values, n, kvDim, heads, kvHeads, headDim, tiny ? 0 : 1, &out, &scratch)
                    return out
                }) { #expect(mismatch(got, want) == nil, "n \(n) tiny \(tiny)") }
            }
        }
    }

    /// Each query head on its own (n_head 1 against its kv head) gives the bits of the whole grouped call: what lets the
    /// engine split a kv head's query group over threads (`Attention.parts`).
    @Test func queryHeadsAloneEqualTheGroupedCall() {
        let (heads, kvHeads, headDim, n) = (8, 2, 128, 70)
        let kvDim = kvHeads * headDim, group = heads / kvHeads
        var rng = Rng(77)
        let keys = rng.floats(n * kvDim, -2, 2).map { Float16($0).bitPattern }
        let values = rng.floats(n * kvDim, -2, 2).map { Float16($0).bitPattern }
        let q = rng.floats(heads * headDim, -3, 3)
        var scratch = [Float](repeating: .nan, count: ck_g_attention_scratch_floats(n, heads, kvHeads, headDim))
        for vecdot: Int32 in [0, 1] {
            for got in Paths.each({ () -> [[Float]] in
                var whole = [Float](repeating: .nan, count: heads * headDim), alone = whole
                ck_g_attention(q, keys, values, n, kvDim, heads, kvHeads, headDim, vecdot, &whole, &scratch)
                for h in 0..<heads {
                    let kvh = h / group
                    q.withUnsafeBufferPointer { qp in keys.withUnsafeBufferPointer { kp in values.withUnsafeBufferPointer { vp in
                        alone.withUnsafeMutableBufferPointer { op in
                            ck_g_attention(qp.baseAddress! + h * headDim, kp.baseAddress! + kvh * headDim,
                                           vp.baseAddress! + kvh * headDim, n, kvDim, 1, 1, headDim, vecdot,
                                           op.baseAddress! + h * headDim, &scratch)
                        }
                    } } }
                }
                return [whole, alone]
            }) { #expect(got[0].map(\.bitPattern) == got[1].map(\.bitPattern), "vecdot \(vecdot)") }
        }
    }

    /// The residual add: IEEE a + b for every element on every path (awkward lengths for the vector tail).
    @Test(arguments: [1, 7, 8, 1003, 2560])
    func residualAddIsExactOnEveryPath(n: Int) {
        var rng = Rng(12)
        let a = rng.floats(n, -4, 4), b = rng.floats(n, -4, 4)
        for y in Paths.each({ () -> [Float] in
            var y = [Float](repeating: .nan, count: n)
            ck_add_f32(a, b, &y, n)
            return y
        }) {
            #expect(y == zip(a, b).map { $0 + $1 })
        }
    }
}
