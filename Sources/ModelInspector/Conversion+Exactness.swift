import GGUF

/// The exactness rules of `convert`.
///
/// - A scale applies to the weights of its block; the scale of a block whose weights are all 0 carries no
///   information (it multiplies zeros) and is ignored when deciding whether scales agree.
/// - One scale per tensor (I2_S, TL1, TL2): every informative block scale of the input must be the same
///   (bit for bit); otherwise the conversion is refused.
/// - f16 block scales (TQ1_0, TQ2_0, BitNet32-F16): each output block takes the scale of the input block
///   covering it (input blocks smaller than the output block must agree); the scale must be exactly
///   representable in f16, else the conversion is refused. Every output block, all-zero ones included, stores
///   that scale (ggml's own quantizer would store 0 for an all-zero block).
extension Conversion {
    static func informativeScales(_ w: TernaryWeights, in range: Range<Int>) -> [Float] {
        var out = [Float]()
        var b = range.lowerBound / w.scaleBlock * w.scaleBlock
        while b < range.upperBound {
            let lo = max(b, range.lowerBound), hi = min(b + w.scaleBlock, range.upperBound)
            if w.values[lo ..< hi].contains(where: { $0 != 0 }) { out.append(w.scale(at: lo)) }
            b += w.scaleBlock
        }
        return out
    }

    static func agreed(_ scales: [Float], fallback: Float) -> Float? {
        guard let first = scales.first else { return fallback }
        return scales.allSatisfy { $0.bitPattern == first.bitPattern } ? first : nil
    }

    static func singleScale(_ w: TernaryWeights, tensor: String, target: TensorFormat) throws -> Float {
        let scales = informativeScales(w, in: 0 ..< w.values.count)
        guard let s = agreed(scales, fallback: w.scales.first ?? 0) else {
            let distinct = Set(scales.map(\.bitPattern)).count
            throw Failure("tensor '\(tensor)' has \(distinct) different block scales; \(target.traits.name) holds one scale per tensor, so converting would change weights")
        }
        return s
    }

    /// Encodes block-scaled formats (TQ1_0, TQ2_0, BitNet32-F16), one f16 scale per `block` weights.
    static func encodeBlocks(_ w: TernaryWeights, block: Int, target: TensorFormat, tensor: String) throws -> [UInt8] {
        let n = w.values.count
        var scales = [Float]()
        scales.reserveCapacity(n / block)
        for b in 0 ..< n / block {
            let range = b * block ..< (b + 1) * block
            guard let s = agreed(informativeScales(w, in: range), fallback: w.scale(at: range.lowerBound)) else {
                throw Failure("tensor '\(tensor)' mixes scales inside \(target.traits.name) block \(b) (weights \(range.lowerBound)…); converting would change weights")
            }
            guard HalfFloat.toFloat(HalfFloat.fromFloat(s)).bitPattern == s.bitPattern else {
                throw Failure("tensor '\(tensor)' scale \(s) is not exactly representable in f16, which \(target.traits.name) stores; converting would change weights")
            }
            scales.append(s)
        }
        let t = target.traits
        let scaleOffset = t.bytesPerBlock - 2
        var out = [UInt8]()
        out.reserveCapacity(n / block * t.bytesPerBlock)
        var start = 0
        while start < scales.count {                                // runs of equal scale encode in one call
            var end = start + 1
            while end < scales.count, scales[end].bitPattern == scales[start].bitPattern { end += 1 }
            let values = Array(w.values[start * block ..< end * block])
            switch target {
            case .tq2_0: out += TensorCodec.encodeTQ2_0(values: values, scale: scales[start])
            case .tq1_0: out += TensorCodec.encodeTQ1_0(values: values, scale: scales[start])
            default: out += TensorCodec.encodeBitNet32F16(values: values, scale: scales[start])
            }
            start = end
        }
        for b in scales.indices {                                   // the scale in every block, all-zero ones too
            let h = HalfFloat.fromFloat(scales[b])
            out[b * t.bytesPerBlock + scaleOffset] = UInt8(h & 0xFF)
            out[b * t.bytesPerBlock + scaleOffset + 1] = UInt8(h >> 8)
        }
        return out
    }
}
