/// Swift reference dot products of one weight row with an encoded input row. Integer sums are exact;
/// the float combination follows the engine that the activation format belongs to.
enum DotKernels {
    static func dot(_ w: WeightFormat, _ p: UnsafeRawPointer, _ x: QuantizedRow, interleave: Int, tensorScale: Float,
                    scratch: UnsafeMutablePointer<Int8>) -> Float {
        let n = x.count
        switch (w, x.format) {
        case (.i2_s, .int8PerToken):
            TernaryDecode.i2s(p, n, interleave: interleave, into: scratch)
            let isum = x.codes.withUnsafeBufferPointer { c in
                var s: Int32 = 0
                for i in 0..<n { s &+= Int32(scratch[i]) * Int32(c[i]) }
                return s
            }
            return Float(isum) / x.scales[0] * tensorScale
        case (.tq2_0, .int8PerToken), (.tq1_0, .int8PerToken):
            return ternaryPerToken(w, p, x, scratch)
        case (.tq2_0, .q8_K), (.tq1_0, .q8_K):
            var sumf: Float = 0
            for b in 0..<(n / 256) {
                let bp = p + b * w.blockBytes
                if w == .tq2_0 { TernaryDecode.tq2(bp, into: scratch) } else { TernaryDecode.tq1(bp, into: scratch) }
                var s: Int32 = 0
                for j in 0..<256 { s &+= Int32(scratch[j]) * Int32(x.codes[b * 256 + j]) }
                sumf += Float(s) * (loadHalf(bp, w.blockBytes - 2) * x.scales[b])
            }
            return sumf
        case (.q6_K, .q8_K):
            return q6K(p, x, scratch)
        case (.q8_0, .q8_0), (.q4_0, .q8_0):
            var sumf: Float = 0
            let bb = w.blockBytes
            for b in 0..<(n / 32) {
                let bp = p + b * bb
                var s: Int32 = 0
                if w == .q8_0 {
                    for j in 0..<32 { s &+= Int32(bp.load(fromByteOffset: 2 + j, as: Int8.self)) * Int32(x.codes[b * 32 + j]) }
                } else {
                    for j in 0..<16 {
                        let v = bp.load(fromByteOffset: 2 + j, as: UInt8.self)
                        s &+= Int32(Int(v & 15) - 8) * Int32(x.codes[b * 32 + j])
                        s &+= Int32(Int(v >> 4) - 8) * Int32(x.codes[b * 32 + j + 16])
                    }
                }
                sumf += Float(s) * (loadHalf(bp, 0) * x.scales[b])
            }
            return sumf
        case (.q4_1, .q8_1):
            var sumf: Float = 0
            for b in 0..<(n / 32) {
                let bp = p + b * 20
                var s: Int32 = 0
                for j in 0..<16 {
                    let v = bp.load(fromByteOffset: 4 + j, as: UInt8.self)
                    s &+= Int32(v & 15) * Int32(x.codes[b * 32 + j])
                    s &+= Int32(v >> 4) * Int32(x.codes[b * 32 + j + 16])
                }
                sumf += (loadHalf(bp, 0) * x.scales[b]) * Float(s) + loadHalf(bp, 2) * x.sums[b]
            }
            return sumf
        case (.f32, .f32):
            var s: Float = 0
            for i in 0..<n { s += p.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) * x.values[i] }
            return s
        case (.f16, .f16):
            var s: Float = 0
            for i in 0..<n { s += loadHalf(p, 2 * i) * x.values[i] }
            return s
        case (.bf16, .bf16):
            var s: Float = 0
            for i in 0..<n { s += bf16ToFloat(p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) * x.values[i] }
            return s
        default:
            preconditionFailure("no dot kernel for \(w.name) x \(x.format.rawValue)")
        }
    }

    /// Ternary blocks against a per-token int8 row: integer sums are gathered over runs of blocks with the same
    /// scale d and each run adds float(Σ w·q) / s · d, so a tensor with one scale gives exactly the I2_S result.
    private static func ternaryPerToken(_ w: WeightFormat, _ p: UnsafeRawPointer, _ x: QuantizedRow,
                                        _ scratch: UnsafeMutablePointer<Int8>) -> Float {
        let s = x.scales[0]
        var acc: Float = 0, run: Int32 = 0
        var runD: Float = .nan
        for b in 0..<(x.count / 256) {
            let bp = p + b * w.blockBytes
            if w == .tq2_0 { TernaryDecode.tq2(bp, into: scratch) } else { TernaryDecode.tq1(bp, into: scratch) }
            var isum: Int32 = 0
            for j in 0..<256 { isum &+= Int32(scratch[j]) * Int32(x.codes[b * 256 + j]) }
            let d = loadHalf(bp, w.blockBytes - 2)
            if d != runD {
                if b > 0 { acc += Float(run) / s * runD }
                run = 0; runD = d
            }
            run &+= isum
        }
        if x.count >= 256 { acc += Float(run) / s * runD }
        return acc
    }

    /// ggml_vec_dot_q6_K_q8_K (generic): per 16 values scale·Σq·code in eight int32 lanes, then d·lane sums.
    private static func q6K(_ p: UnsafeRawPointer, _ x: QuantizedRow, _ q: UnsafeMutablePointer<Int8>) -> Float {
        var sums = [Float](repeating: 0, count: 8)
        for b in 0..<(x.count / 256) {
            let bp = p + b * 210
            Q6K.decode(bp, into: q)
            var aux32 = [Int32](repeating: 0, count: 8)
            for g in 0..<16 {
                let sc = Int32(bp.load(fromByteOffset: 192 + g, as: Int8.self))
                for h in 0..<2 {
                    for l in 0..<8 {
                        let i = g * 16 + h * 8 + l
                        aux32[l] &+= sc * (Int32(q[i]) * Int32(x.codes[b * 256 + i]))
                    }
                }
            }
            let d = loadHalf(bp, 208) * x.scales[b]
            for l in 0..<8 { sums[l] += d * Float(aux32[l]) }
        }
        var s: Float = 0
        for l in 0..<8 { s += sums[l] }
        return s
    }
}
