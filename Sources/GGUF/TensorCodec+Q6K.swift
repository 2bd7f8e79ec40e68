/// Q6_K encoder: ggml's reference quantizer (quantize_row_q6_K_ref in ggml-quants.c), the one llama.cpp's
/// `llama-quantize` uses without an importance matrix. Per 256-weight super-block: 16 groups of 16 weights,
/// each with a 6-bit signed quant range [-32, 31] and an int8 group scale; one f16 super-scale `d`.
/// Byte layout (210 bytes): ql[128] (low 4 bits), qh[64] (high 2 bits), scales[16] (int8), d (f16).
///
/// Every step is f32 arithmetic in the reference's order so the bytes match ggml exactly.
extension TensorCodec {
    public static func quantizeQ6_K(_ x: [Float]) -> [UInt8] {
        precondition(x.count % 256 == 0)
        var out = [UInt8](repeating: 0, count: x.count / 256 * 210)
        var levels = [Int32](repeating: 0, count: 256)
        var groupScales = [Float](repeating: 0, count: 16)
        x.withUnsafeBufferPointer { xs in
            for b in 0 ..< xs.count / 256 {
                let base = b * 256, o = b * 210
                var maxScale: Float = 0, maxAbsScale: Float = 0
                for g in 0 ..< 16 {
                    let s = bestGroupScale(xs, base + 16 * g, &levels, 16 * g)
                    groupScales[g] = s
                    if abs(s) > maxAbsScale { maxAbsScale = abs(s); maxScale = s }
                }
                if maxAbsScale < 1e-15 { continue }                       // all-zero block: every byte 0
                let iscale: Float = -128 / maxScale
                let dh = HalfFloat.fromFloat(1 / iscale)
                out[o + 208] = UInt8(dh & 0xFF); out[o + 209] = UInt8(dh >> 8)
                let d = HalfFloat.toFloat(dh)
                for g in 0 ..< 16 {
                    let q = Int8(min(127, nearestInt(iscale * groupScales[g])))
                    out[o + 192 + g] = UInt8(bitPattern: q)
                    let dg = d * Float(q)
                    if dg == 0 { continue }                                 // keeps the group's first-pass levels
                    for i in 0 ..< 16 {
                        let l = max(-32, min(31, nearestInt(xs[base + 16 * g + i] / dg)))
                        levels[16 * g + i] = l + 32
                    }
                }
                for half in 0 ..< 2 {
                    let j = half * 128, ql = o + half * 64, qh = o + 128 + half * 32
                    for l in 0 ..< 32 {
                        let q = (0 ..< 4).map { levels[j + l + 32 * $0] }
                        out[ql + l] = UInt8((q[0] & 0xF) | (q[2] & 0xF) << 4)
                        out[ql + l + 32] = UInt8((q[1] & 0xF) | (q[3] & 0xF) << 4)
                        out[qh + l] = UInt8((q[0] >> 4) | (q[1] >> 4) << 2 | (q[2] >> 4) << 4 | (q[3] >> 4) << 6)
                    }
                }
            }
        }
        return out
    }

    /// ggml's nearest_int: round half to even (the 1.5·2^23 trick), for |v| well below 2^22.
    @inline(__always)
    static func nearestInt(_ v: Float) -> Int32 { Int32(v.rounded(.toNearestOrEven)) }

    /// make_qx_quants(16, 32, x, L, rmse_type 1): the group scale minimising the x²-weighted squared error over
    /// 19 candidate inverse scales −(32 + 0.1·k)/max (k = −9…9), writing the levels (l + 32) to `levels`.
    private static func bestGroupScale(_ xs: UnsafeBufferPointer<Float>, _ start: Int, _ levels: inout [Int32], _ lo: Int) -> Float {
        let n = 16, nmax: Float = 32
        var maxV: Float = 0, amax: Float = 0
        for i in 0 ..< n {
            let ax = abs(xs[start + i])
            if ax > amax { amax = ax; maxV = xs[start + i] }
        }
        if amax < 1e-15 {
            for i in 0 ..< n { levels[lo + i] = 0 }
            return 0
        }
        func level(_ iscale: Float, _ v: Float) -> Int32 { max(-32, min(31, nearestInt(iscale * v))) }
        func sums(_ iscale: Float) -> (lx: Float, l2: Float) {
            var sumlx: Float = 0, suml2: Float = 0
            for i in 0 ..< n {
                let v = xs[start + i], l = Float(level(iscale, v)), w = v * v
                sumlx += w * v * l
                suml2 += w * l * l
            }
            return (sumlx, suml2)
        }
        var iscale = -nmax / maxV
        for i in 0 ..< n { levels[lo + i] = level(iscale, xs[start + i]) + 32 }
        let first = sums(iscale)
        var scale: Float = first.l2 != 0 ? first.lx / first.l2 : 0
        var best = scale * first.lx
        for k in -9 ... 9 where k != 0 {
            iscale = -(nmax + 0.1 * Float(k)) / maxV
            let s = sums(iscale)
            if s.l2 > 0 && s.lx * s.lx > best * s.l2 {
                for i in 0 ..< n { levels[lo + i] = level(iscale, xs[start + i]) + 32 }
                scale = s.lx / s.l2
                best = scale * s.lx
            }
        }
        return scale
    }
}
