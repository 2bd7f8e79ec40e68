/// Ternary weights as values and scales, whatever layout stored them.
public struct TernaryWeights: Sendable, Equatable {
    /// -1, 0, +1 per weight, in weight order.
    public var values: [Int8]
    /// One scale per `scaleBlock` weights (one for I2_S; one per 256 for TQ1_0/TQ2_0).
    public var scales: [Float]
    public var scaleBlock: Int

    /// The scale applying to weight `i`.
    public func scale(at i: Int) -> Float { scales[i / scaleBlock] }
}

extension TensorCodec {
    /// Splits a ternary tensor into values and scales (I2_S, TQ1_0, TQ2_0, BitNet32-F16).
    public static func ternary(_ bytes: UnsafeRawBufferPointer, format: TensorFormat, count: Int,
                               options: Options = Options()) throws -> TernaryWeights {
        let t = format.traits
        guard let need = t.byteSize(elements: count, rowLength: count), bytes.count >= need else {
            throw GGUFError(.invalidArgument, at: nil, "\(bytes.count) bytes cannot hold \(count) weights of \(t.name)")
        }
        func f16(_ o: Int) -> Float { HalfFloat.toFloat(bytes.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian) }
        switch format {
        case .i2_s:
            let codes = try i2sCodes(bytes, count: count, interleave: options.i2sInterleave)
            let scale = Float(bitPattern: bytes.loadUnaligned(fromByteOffset: count / 4, as: UInt32.self).littleEndian)
            return TernaryWeights(values: codes.map(ternary), scales: [scale], scaleBlock: max(count, 1))
        case .tq2_0:
            var v = [Int8](); v.reserveCapacity(count)
            var s = [Float]()
            for b in 0 ..< count / 256 {
                let o = b * 66
                var blk = [Int8](repeating: 0, count: 256)
                for half in 0 ..< 2 { for l in 0 ..< 4 { for m in 0 ..< 32 {
                    blk[half * 128 + l * 32 + m] = ternary((bytes[o + half * 32 + m] >> (2 * UInt8(l))) & 3)
                } } }
                v += blk
                s.append(f16(o + 64))
            }
            return TernaryWeights(values: v, scales: s, scaleBlock: 256)
        case .tq1_0:
            var v = [Int8](); v.reserveCapacity(count)
            var s = [Float]()
            for b in 0 ..< count / 256 {
                v += tq1Trits(bytes, block: b).map { Int8($0) - 1 }
                s.append(f16(b * 54 + 52))
            }
            return TernaryWeights(values: v, scales: s, scaleBlock: 256)
        case .bitnet32_f16:
            var v = [Int8](); v.reserveCapacity(count)
            var s = [Float]()
            for b in 0 ..< count / 32 {
                for i in 0 ..< 32 { v.append(ternary((bytes[b * 10 + i / 4] >> (2 * UInt8(i % 4))) & 3)) }
                s.append(f16(b * 10 + 8))
            }
            return TernaryWeights(values: v, scales: s, scaleBlock: 32)
        default:
            throw GGUFError(.invalidArgument, at: nil, "\(t.name) is not a ternary layout this decoder knows")
        }
    }
}
