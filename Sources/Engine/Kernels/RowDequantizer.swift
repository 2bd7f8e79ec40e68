import CKernels
import GGUF

/// Reference dequantization of one row to f32 (embedding lookups, tests).
enum RowDequantizer {
    static func row(_ format: WeightFormat, _ p: UnsafeRawPointer, count n: Int, interleave: Int, tensorScale: Float,
                    into y: UnsafeMutablePointer<Float>) {
        switch format {
        case .f32: for i in 0..<n { y[i] = p.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
        case .f16:
            // F16C rows (bit-exact with the scalar conversion) when the row is 2-byte aligned, as GGUF data is
            if Int(bitPattern: p) % 2 == 0 {
                ck_f16_to_f32_row(p.assumingMemoryBound(to: UInt16.self), y, n)
            } else {
                for i in 0..<n { y[i] = loadHalf(p, 2 * i) }
            }
        case .bf16: for i in 0..<n { y[i] = bf16ToFloat(p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .q8_0:
            for b in 0..<(n / 32) {
                let bp = p + b * 34, d = loadHalf(bp, 0)
                for j in 0..<32 { y[b * 32 + j] = Float(bp.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
            }
        case .q4_0:
            for b in 0..<(n / 32) {
                let bp = p + b * 18, d = loadHalf(bp, 0)
                for j in 0..<16 {
                    let v = bp.load(fromByteOffset: 2 + j, as: UInt8.self)
                    y[b * 32 + j] = Float(Int(v & 15) - 8) * d
                    y[b * 32 + j + 16] = Float(Int(v >> 4) - 8) * d
                }
            }
        case .q4_1:
            for b in 0..<(n / 32) {
                let bp = p + b * 20, d = loadHalf(bp, 0), m = loadHalf(bp, 2)
                for j in 0..<16 {
                    let v = bp.load(fromByteOffset: 4 + j, as: UInt8.self)
                    y[b * 32 + j] = Float(v & 15) * d + m
                    y[b * 32 + j + 16] = Float(v >> 4) * d + m
                }
            }
        case .q6_K:
            var q = [Int8](repeating: 0, count: 256)
            for b in 0..<(n / 256) {
                let bp = p + b * 210
                let d = loadHalf(bp, 208)
                q.withUnsafeMutableBufferPointer { Q6K.decode(bp, into: $0.baseAddress!) }
                for j in 0..<256 {
                    let sc = Float(bp.load(fromByteOffset: 192 + j / 16, as: Int8.self))
                    y[b * 256 + j] = d * sc * Float(q[j])
                }
            }
        case .tq2_0, .tq1_0:
            var w = [Int8](repeating: 0, count: 256)
            let bb = format.blockBytes
            for b in 0..<(n / 256) {
                let bp = p + b * bb
                w.withUnsafeMutableBufferPointer {
                    if format == .tq2_0 { TernaryDecode.tq2(bp, into: $0.baseAddress!) } else { TernaryDecode.tq1(bp, into: $0.baseAddress!) }
                }
                let d = loadHalf(bp, bb - 2)
                for j in 0..<256 { y[b * 256 + j] = Float(w[j]) * d }
            }
        case .bitnet32_f16:
            for b in 0..<(n / 32) {
                let bp = p + b * 10, d = loadHalf(bp, 8)
                for i in 0..<32 {
                    let c = (bp.load(fromByteOffset: i / 4, as: UInt8.self) >> UInt8(2 * (i % 4))) & 3
                    y[b * 32 + i] = Float(c == 3 ? 0 : Int(c) - 1) * d
                }
            }
        case .iq2_s:
            // The GGUF layer's reference decoder (ggml's dequantize_row_iq2_s order); n % 256 == 0 is checked at load.
            let v = (try? TensorCodec.dequantize(UnsafeRawBufferPointer(start: p, count: n / 256 * 82), format: .iq2_s, count: n)) ?? []
            for j in 0..<n { y[j] = j < v.count ? v[j] : 0 }
        case .tl1, .tl2:
            // Never reached: TL layouts tile whole matrices and are repacked to I2_S when the model loads.
            preconditionFailure("TL1/TL2 rows are not addressable; the binder repacks them to I2_S")
        case .i2_s:
            var w = [Int8](repeating: 0, count: n)
            w.withUnsafeMutableBufferPointer { TernaryDecode.i2s(p, n, interleave: interleave, into: $0.baseAddress!) }
            for j in 0..<n { y[j] = Float(w[j]) * tensorScale }
        }
    }
}

/// Q6_K: ql[128], qh[64], scales[16] (int8), d (f16); 6-bit codes minus 32.
enum Q6K {
    /// Decodes the 256 codes of one block into `q` (values -32..31), in element order.
    static func decode(_ bp: UnsafeRawPointer, into q: UnsafeMutablePointer<Int8>) {
        let b = bp.assumingMemoryBound(to: UInt8.self)
        for half in 0..<2 {
            let ql = b + half * 64, qh = b + 128 + half * 32, o = half * 128
            for l in 0..<32 {
                q[o + l] = Int8(Int(ql[l] & 0xF) | (Int((qh[l] >> 0) & 3) << 4)) - 32
                q[o + l + 32] = Int8(Int(ql[l + 32] & 0xF) | (Int((qh[l] >> 2) & 3) << 4)) - 32
                q[o + l + 64] = Int8(Int(ql[l] >> 4) | (Int((qh[l] >> 4) & 3) << 4)) - 32
                q[o + l + 96] = Int8(Int(ql[l + 32] >> 4) | (Int((qh[l] >> 6) & 3) << 4)) - 32
            }
        }
    }
}
