/// Encoders. The ternary ones reproduce ggml's reference quantizers (quantize_row_tq1_0_ref,
/// quantize_row_tq2_0_ref) and bitnet.cpp's quantize_i2_s byte for byte.
extension TensorCodec {
    public static func encodeF32(_ x: [Float]) -> [UInt8] {
        var out = [UInt8](); out.reserveCapacity(x.count * 4)
        for v in x { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    public static func encodeF16(_ x: [Float]) -> [UInt8] {
        var out = [UInt8](); out.reserveCapacity(x.count * 2)
        for v in x { withUnsafeBytes(of: HalfFloat.fromFloat(v).littleEndian) { out += $0 } }
        return out
    }

    public static func encodeBF16(_ x: [Float]) -> [UInt8] {
        var out = [UInt8](); out.reserveCapacity(x.count * 2)
        for v in x { withUnsafeBytes(of: HalfFloat.floatToBF16(v).littleEndian) { out += $0 } }
        return out
    }

    /// ggml quantize_row_q8_0_ref: d = max|x| / 127, q = round(x / d).
    public static func quantizeQ8_0(_ x: [Float]) -> [UInt8] {
        precondition(x.count % 32 == 0)
        var out = [UInt8](); out.reserveCapacity(x.count / 32 * 34)
        for b in 0 ..< x.count / 32 {
            let blk = x[b * 32 ..< b * 32 + 32]
            let amax = blk.map(abs).max() ?? 0
            let d = amax / 127, id: Float = d != 0 ? 1 / d : 0
            withUnsafeBytes(of: HalfFloat.fromFloat(d).littleEndian) { out += $0 }
            for v in blk { out.append(UInt8(bitPattern: Int8((v * id).rounded()))) }
        }
        return out
    }

    /// ggml quantize_row_tq2_0_ref: per 256-weight block d = max|x|, codes round(x/d) + 1.
    public static func quantizeTQ2_0(_ x: [Float]) -> [UInt8] {
        precondition(x.count % 256 == 0)
        var out = [UInt8](); out.reserveCapacity(x.count / 256 * 66)
        for b in 0 ..< x.count / 256 {
            let base = b * 256
            let d = (0 ..< 256).map { abs(x[base + $0]) }.max() ?? 0
            let id: Float = d != 0 ? 1 / d : 0
            for half in 0 ..< 2 {
                for m in 0 ..< 32 {
                    var q = 0
                    for n in 0 ..< 4 { q += (Int((x[base + half * 128 + m + n * 32] * id).rounded()) + 1) << (2 * n) }
                    out.append(UInt8(truncatingIfNeeded: q))
                }
            }
            withUnsafeBytes(of: HalfFloat.fromFloat(d).littleEndian) { out += $0 }
        }
        return out
    }

    /// ggml quantize_row_tq1_0_ref: 5 trits per byte (base-3 fixed point, rounded up), then 4 per byte.
    public static func quantizeTQ1_0(_ x: [Float]) -> [UInt8] {
        precondition(x.count % 256 == 0)
        var out = [UInt8](); out.reserveCapacity(x.count / 256 * 54)
        for b in 0 ..< x.count / 256 {
            let base = b * 256
            let d = (0 ..< 256).map { abs(x[base + $0]) }.max() ?? 0
            let id: Float = d != 0 ? 1 / d : 0
            func trit(_ i: Int) -> Int { Int((x[base + i] * id).rounded()) + 1 }
            func pack(_ q: Int) -> UInt8 { UInt8((q * 256 + 242) / 243) }
            for m in 0 ..< 32 { out.append(pack((0 ..< 5).reduce(0) { $0 * 3 + trit(m + $1 * 32) })) }
            for m in 0 ..< 16 { out.append(pack((0 ..< 5).reduce(0) { $0 * 3 + trit(160 + m + $1 * 16) })) }
            for j in 0 ..< 4 { out.append(pack((0 ..< 4).reduce(0) { $0 * 3 + trit(240 + j + $1 * 4) } * 3)) }
            withUnsafeBytes(of: HalfFloat.fromFloat(d).littleEndian) { out += $0 }
        }
        return out
    }

    /// bitnet.cpp quantize_i2_s: code = sign(x) + 1 (|x| < 1e-6 → 0), one f32 scale = max|x| at byte n/4,
    /// in a 32-byte tail (the rest of the tail is zero here; bitnet.cpp leaves it unspecified).
    public static func quantizeI2S(_ x: [Float], interleave: Int = 128) throws -> [UInt8] {
        var maxAbs = 0.0
        for v in x { maxAbs = max(maxAbs, Double(abs(v))) }
        let codes = x.map { v -> UInt8 in abs(v) < 1e-6 ? 1 : (Double(v) * maxAbs > 0 ? 2 : 0) }
        return try packI2S(codes: codes, scale: Float(maxAbs), interleave: interleave)
    }

    /// I2_S from ternary values and the tensor scale β.
    public static func encodeI2S(values: [Int8], scale: Float, interleave: Int = 128) throws -> [UInt8] {
        try packI2S(codes: values.map { UInt8($0 + 1) }, scale: scale, interleave: interleave)
    }

    static func packI2S(codes: [UInt8], scale: Float, interleave: Int) throws -> [UInt8] {
        let n = codes.count
        guard interleave == 128 || interleave == 64, n % interleave == 0 else {
            throw GGUFError(.invalidArgument, at: nil, "I2_S needs a multiple of \(interleave) weights (interleave 128 or 64), got \(n)")
        }
        let group = interleave / 4
        var out = [UInt8](repeating: 0, count: n / 4 + 32)
        for i in 0 ..< n {
            let e = i % interleave
            out[(i / interleave) * group + e % group] |= codes[i] << (6 - 2 * UInt8(e / group))
        }
        withUnsafeBytes(of: scale.bitPattern.littleEndian) { for k in 0 ..< 4 { out[n / 4 + k] = $0[k] } }
        return out
    }

    /// TQ2_0 from ternary values and one scale: the bytes `quantizeTQ2_0` gives for `values × scale`
    /// (each block's d = scale, or 0 for an all-zero block), computed directly.
    public static func encodeTQ2_0(values: [Int8], scale: Float) -> [UInt8] {
        precondition(values.count % 256 == 0)
        var out = [UInt8](repeating: 0, count: values.count / 256 * 66)
        values.withUnsafeBufferPointer { v in
            for b in 0 ..< v.count / 256 {
                let base = b * 256, o = b * 66
                var nonzero = false
                for half in 0 ..< 2 {
                    for m in 0 ..< 32 {
                        var q = 0
                        for n in 0 ..< 4 {
                            let x = v[base + half * 128 + m + n * 32]
                            nonzero = nonzero || x != 0
                            q |= Int(x + 1) << (2 * n)
                        }
                        out[o + half * 32 + m] = UInt8(q)
                    }
                }
                let d = HalfFloat.fromFloat(nonzero ? abs(scale) : 0)
                out[o + 64] = UInt8(d & 0xFF); out[o + 65] = UInt8(d >> 8)
            }
        }
        return out
    }

    /// TQ1_0 from ternary values and one scale (same bytes as `quantizeTQ1_0` of `values × scale`).
    public static func encodeTQ1_0(values: [Int8], scale: Float) -> [UInt8] {
        precondition(values.count % 256 == 0)
        var out = [UInt8](repeating: 0, count: values.count / 256 * 54)
        values.withUnsafeBufferPointer { v in
            for b in 0 ..< v.count / 256 {
                let base = b * 256, o = b * 54
                var nonzero = false
                func t(_ i: Int) -> Int { let x = v[base + i]; nonzero = nonzero || x != 0; return Int(x + 1) }
                func pack(_ q: Int) -> UInt8 { UInt8((q * 256 + 242) / 243) }
                for m in 0 ..< 32 { out[o + m] = pack(t(m) * 81 + t(m + 32) * 27 + t(m + 64) * 9 + t(m + 96) * 3 + t(m + 128)) }
                for m in 0 ..< 16 {
                    out[o + 32 + m] = pack(t(160 + m) * 81 + t(176 + m) * 27 + t(192 + m) * 9 + t(208 + m) * 3 + t(224 + m))
                }
                for j in 0 ..< 4 { out[o + 48 + j] = pack((t(240 + j) * 27 + t(244 + j) * 9 + t(248 + j) * 3 + t(252 + j)) * 3) }
                let d = HalfFloat.fromFloat(nonzero ? abs(scale) : 0)
                out[o + 52] = UInt8(d & 0xFF); out[o + 53] = UInt8(d >> 8)
            }
        }
        return out
    }

    /// BitNet.rs BitNet32-F16: per 32 weights, 8 bytes of 2-bit codes (LSB first) and an f16 scale.
    public static func encodeBitNet32F16(values: [Int8], scale: Float) -> [UInt8] {
        precondition(values.count % 32 == 0)
        var out = [UInt8](); out.reserveCapacity(values.count / 32 * 10)
        for b in 0 ..< values.count / 32 {
            var codes = [UInt8](repeating: 0, count: 8)
            for i in 0 ..< 32 { codes[i / 4] |= UInt8(values[b * 32 + i] + 1) << (2 * UInt8(i % 4)) }
            out += codes
            withUnsafeBytes(of: HalfFloat.fromFloat(scale).littleEndian) { out += $0 }
        }
        return out
    }
}
