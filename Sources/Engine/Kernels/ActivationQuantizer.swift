import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Encodes an f32 row for the dot kernels (Swift reference; the numerics follow the engines named per case).
enum ActivationQuantizer {
    /// `reusing`: a row of the same format and length whose buffers are overwritten (the decode loop keeps one per
    /// format, so a token allocates nothing here); otherwise a new row.
    static func quantize(_ x: UnsafePointer<Float>, count n: Int, as format: ActivationFormat,
                         reusing old: QuantizedRow? = nil) -> QuantizedRow {
        let r: QuantizedRow
        if let old, old.format == format, old.count == n { r = old } else { r = QuantizedRow(format: format, count: n) }
        switch format {
        case .f32, .f16, .bf16, .int8PerToken: fill(r, x, n)
        case .q8_K:
            q8K(x, n, r)
            if r.blocks == nil { r.blocks = .allocate(byteCount: n / 256 * MemoryLayout<ck_block_q8_K>.stride, alignment: 64) }
            ck_quantize_q8_K(x, r.blocks!.assumingMemoryBound(to: ck_block_q8_K.self), n)
        case .q8_0:
            q8(x, n, r, withSums: false)
            if r.blocks == nil { r.blocks = .allocate(byteCount: n / 32 * MemoryLayout<ck_block_q8_0>.stride, alignment: 64) }
            ck_quantize_q8_0(x, r.blocks!.assumingMemoryBound(to: ck_block_q8_0.self), n, Int32(CK_Q8_X86))
        case .q8_1:
            q8(x, n, r, withSums: true)
            if r.blocks == nil { r.blocks = .allocate(byteCount: n / 32 * MemoryLayout<ck_block_q8_1>.stride, alignment: 64) }
            ck_quantize_q8_1(x, r.blocks!.assumingMemoryBound(to: ck_block_q8_1.self), n, Int32(CK_Q8_X86))
        }
        return r
    }

    /// `a` with `count` elements (kept, unshared, when it already has them: then no allocation).
    private static func sized<T: Numeric>(_ a: inout [T], _ count: Int) {
        if a.count != count { a = [T](repeating: 0, count: count) }
    }

    /// The float and per-token int8 encodings, written into `r`'s buffers (allocated on first use).
    private static func fill(_ r: QuantizedRow, _ x: UnsafePointer<Float>, _ n: Int) {
        switch r.format {
        case .int8PerToken:
            perToken(x, n, r)
        default:
            if r.values.count != n { r.values = [Float](repeating: 0, count: n) }
            let f = r.format
            r.values.withUnsafeMutableBufferPointer { v in
                switch f {
                case .f16: for i in 0..<n { v[i] = roundToHalf(x[i]) }
                case .bf16: for i in 0..<n { v[i] = roundToBF16(x[i]) }
                default: for i in 0..<n { v[i] = x[i] }
                }
            }
        }
    }

    /// bitnet.cpp quantize_row_i8_s (CKernels ck_quantize_i8_s): s = float(127 / max|x|) with the max in double
    /// floored at 1e-5, q = nearest_int(x·s) clamped to [-128, 127].
    private static func perToken(_ x: UnsafePointer<Float>, _ n: Int, _ r: QuantizedRow) {
        if r.codes.count != n { r.codes = [Int8](repeating: 0, count: n) }
        var s: Float = 0
        r.codeSum = r.codes.withUnsafeMutableBufferPointer { ck_quantize_i8_s(x, $0.baseAddress!, n, &s) }
        if r.scales.count == 1 { r.scales[0] = s } else { r.scales = [s] }
    }

    /// llama.cpp quantize_row_q8_K_ref: per 256 values, signed max m, iscale = -127/m, q = min(127, nearest_int(iscale·x)), d = 1/iscale.
    private static func q8K(_ x: UnsafePointer<Float>, _ n: Int, _ r: QuantizedRow) {
        let nb = n / 256
        sized(&r.codes, n); sized(&r.scales, nb); sized(&r.sums, nb * 16)
        r.codes.withUnsafeMutableBufferPointer { codes in
            r.scales.withUnsafeMutableBufferPointer { d in
                r.sums.withUnsafeMutableBufferPointer { bs in
                    for b in 0..<nb {
                        let xb = x + b * 256
                        var amax: Float = 0, mx: Float = 0
                        for j in 0..<256 { let a = abs(xb[j]); if a > amax { amax = a; mx = xb[j] } }
                        if amax == 0 {
                            for j in 0..<256 { codes[b * 256 + j] = 0 }
                            for g in 0..<16 { bs[b * 16 + g] = 0 }
                            d[b] = 0
                            continue
                        }
                        let iscale = -127.0 / mx
                        for j in 0..<256 { codes[b * 256 + j] = Int8(min(127, nearestInt(iscale * xb[j]))) }
                        for g in 0..<16 {
                            var s: Int32 = 0
                            for j in 0..<16 { s += Int32(codes[b * 256 + g * 16 + j]) }
                            bs[b * 16 + g] = Float(s)
                        }
                        d[b] = 1 / iscale
                    }
                }
            }
        }
    }

    /// llama.cpp quantize_row_q8_0 / q8_1 as its AVX2 path computes them: d = max/127 (stored f16),
    /// q = round-half-even(x · 127/max); q8_1 also stores f16(d · Σq).
    private static func q8(_ x: UnsafePointer<Float>, _ n: Int, _ r: QuantizedRow, withSums: Bool) {
        let nb = n / 32
        sized(&r.codes, n); sized(&r.scales, nb); sized(&r.sums, withSums ? nb : 0)
        r.codes.withUnsafeMutableBufferPointer { codes in
            r.scales.withUnsafeMutableBufferPointer { d in
                r.sums.withUnsafeMutableBufferPointer { s in
                    for b in 0..<nb {
                        let xb = x + b * 32
                        var amax: Float = 0
                        for j in 0..<32 { amax = max(amax, abs(xb[j])) }
                        let dd = amax / 127
                        let id: Float = amax != 0 ? 127 / amax : 0
                        var sum: Int32 = 0
                        for j in 0..<32 {
                            let q = Int8((xb[j] * id).rounded(.toNearestOrEven))
                            codes[b * 32 + j] = q
                            sum += Int32(q)
                        }
                        d[b] = roundToHalf(dd)
                        if withSums { s[b] = roundToHalf(dd * Float(sum)) }
                    }
                }
            }
        }
    }
}
