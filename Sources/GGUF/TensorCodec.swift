/// Reference (clear, not fast) decoding of tensor data to Float, and encodings the writer and
/// `synth` need. The engine's fast paths live in CKernels; these are their truth.
public enum TensorCodec {
    /// Options for layouts the bytes alone do not pin down.
    public struct Options: Sendable {
        /// I2_S block interleave: 128 (x86 converters, the official files) or 64 (ARM converters).
        public var i2sInterleave: Int
        public init(i2sInterleave: Int = 128) { self.i2sInterleave = i2sInterleave }
    }

    public static let dequantizable: Set<TensorFormat> = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q6_k, .tq1_0, .tq2_0, .i2_s, .bitnet32_f16, .iq2_s]

    /// Decodes `count` values of `format` from `bytes`.
    public static func dequantize(_ bytes: UnsafeRawBufferPointer, format: TensorFormat, count: Int,
                                  options: Options = Options()) throws -> [Float] {
        let t = format.traits
        guard let need = t.byteSize(elements: count, rowLength: count % t.blockSize == 0 ? t.blockSize : count),
              bytes.count >= need else {
            throw GGUFError(.invalidArgument, at: nil, "\(bytes.count) bytes cannot hold \(count) values of \(t.name)")
        }
        var out = [Float](repeating: 0, count: count)
        func f16(_ o: Int) -> Float { HalfFloat.toFloat(bytes.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian) }
        func u8(_ o: Int) -> UInt8 { bytes[o] }
        switch format {
        case .f32:
            for i in 0 ..< count { out[i] = Float(bitPattern: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian) }
        case .f16:
            for i in 0 ..< count { out[i] = f16(2 * i) }
        case .bf16:
            for i in 0 ..< count { out[i] = HalfFloat.bf16ToFloat(bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) }
        case .q8_0:
            for b in 0 ..< count / 32 {
                let o = b * 34, d = f16(o)
                for j in 0 ..< 32 { out[b * 32 + j] = d * Float(Int8(bitPattern: u8(o + 2 + j))) }
            }
        case .q4_0:
            for b in 0 ..< count / 32 {
                let o = b * 18, d = f16(o)
                for j in 0 ..< 16 {
                    let q = u8(o + 2 + j)
                    out[b * 32 + j] = Float(Int(q & 0xF) - 8) * d
                    out[b * 32 + j + 16] = Float(Int(q >> 4) - 8) * d
                }
            }
        case .q4_1:
            for b in 0 ..< count / 32 {
                let o = b * 20, d = f16(o), m = f16(o + 2)
                for j in 0 ..< 16 {
                    let q = u8(o + 4 + j)
                    out[b * 32 + j] = Float(q & 0xF) * d + m
                    out[b * 32 + j + 16] = Float(q >> 4) * d + m
                }
            }
        case .q6_k:
            dequantizeQ6K(bytes, count, &out)
        case .iq2_s:
            dequantizeIQ2S(bytes, count, &out)
        case .tq2_0:
            for b in 0 ..< count / 256 {
                let o = b * 66, d = f16(o + 64)
                for half in 0 ..< 2 {
                    for l in 0 ..< 4 {
                        for m in 0 ..< 32 {
                            let q = (u8(o + half * 32 + m) >> (2 * l)) & 3
                            out[b * 256 + half * 128 + l * 32 + m] = Float(Int(q) - 1) * d
                        }
                    }
                }
            }
        case .tq1_0:
            for b in 0 ..< count / 256 {
                let trits = tq1Trits(bytes, block: b)
                let d = f16(b * 54 + 52)
                for i in 0 ..< 256 { out[b * 256 + i] = Float(Int(trits[i]) - 1) * d }
            }
        case .i2_s:
            let codes = try i2sCodes(bytes, count: count, interleave: options.i2sInterleave)
            let scale = Float(bitPattern: bytes.loadUnaligned(fromByteOffset: count / 4, as: UInt32.self).littleEndian)
            for i in 0 ..< count { out[i] = Float(ternary(codes[i])) * scale }
        case .bitnet32_f16:
            for b in 0 ..< count / 32 {
                let o = b * 10, d = f16(o + 8)
                for i in 0 ..< 32 {
                    let code = (u8(o + i / 4) >> (2 * UInt8(i % 4))) & 3
                    out[b * 32 + i] = Float(ternary(code)) * d
                }
            }
        default:
            throw GGUFError(.invalidArgument, at: nil, "no reference decoder for \(t.name)")
        }
        return out
    }

    /// Code (0, 1, 2) → ternary value (-1, 0, +1); the unused code 3 decodes as 0.
    @inline(__always)
    static func ternary(_ code: UInt8) -> Int8 { code == 3 ? 0 : Int8(code) - 1 }

    private static func dequantizeQ6K(_ bytes: UnsafeRawBufferPointer, _ count: Int, _ out: inout [Float]) {
        for b in 0 ..< count / 256 {
            let o = b * 210
            let d = HalfFloat.toFloat(bytes.loadUnaligned(fromByteOffset: o + 208, as: UInt16.self).littleEndian)
            for n in 0 ..< 2 {
                let ql = o + n * 64, qh = o + 128 + n * 32, sc = o + 192 + n * 8, y = b * 256 + n * 128
                for l in 0 ..< 32 {
                    let h = Int(bytes[qh + l])
                    let q1 = Int(bytes[ql + l] & 0xF) | ((h >> 0) & 3) << 4
                    let q2 = Int(bytes[ql + l + 32] & 0xF) | ((h >> 2) & 3) << 4
                    let q3 = Int(bytes[ql + l] >> 4) | ((h >> 4) & 3) << 4
                    let q4 = Int(bytes[ql + l + 32] >> 4) | ((h >> 6) & 3) << 4
                    let s = l / 16
                    func scale(_ k: Int) -> Float { Float(Int8(bitPattern: bytes[sc + s + k])) }
                    out[y + l] = d * scale(0) * Float(q1 - 32)
                    out[y + l + 32] = d * scale(2) * Float(q2 - 32)
                    out[y + l + 64] = d * scale(4) * Float(q3 - 32)
                    out[y + l + 96] = d * scale(6) * Float(q4 - 32)
                }
            }
        }
    }

    /// The 256 trits (0, 1, 2) of TQ1_0 block `block`, in weight order.
    static func tq1Trits(_ bytes: UnsafeRawBufferPointer, block: Int) -> [UInt8] {
        let pow3: [UInt8] = [1, 3, 9, 27, 81, 243]
        let o = block * 54
        func trit(_ q: UInt8, _ n: Int) -> UInt8 { UInt8((UInt16(q &* pow3[n]) * 3) >> 8) }
        var t = [UInt8]()
        t.reserveCapacity(256)
        for n in 0 ..< 5 { for m in 0 ..< 32 { t.append(trit(bytes[o + m], n)) } }
        for n in 0 ..< 5 { for m in 0 ..< 16 { t.append(trit(bytes[o + 32 + m], n)) } }
        for n in 0 ..< 4 { for j in 0 ..< 4 { t.append(trit(bytes[o + 48 + j], n)) } }
        return t
    }

    /// The 2-bit codes of an I2_S tensor in weight order.
    static func i2sCodes(_ bytes: UnsafeRawBufferPointer, count: Int, interleave: Int) throws -> [UInt8] {
        guard interleave == 128 || interleave == 64 else {
            throw GGUFError(.invalidArgument, at: nil, "I2_S interleave must be 128 or 64, not \(interleave)")
        }
        guard count % interleave == 0 else {
            throw GGUFError(.invalidArgument, at: nil, "I2_S tensor of \(count) weights is not a multiple of the \(interleave)-weight block")
        }
        let group = interleave / 4
        var codes = [UInt8](repeating: 0, count: count)
        for i in 0 ..< count {
            let block = i / interleave, e = i % interleave
            let byte = bytes[block * group + e % group]
            codes[i] = (byte >> (6 - 2 * UInt8(e / group))) & 3
        }
        return codes
    }
}
