import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Causal grouped-query attention over the f16 cache, as llama.cpp computes it without flash attention:
/// q rounded to f16 for K·q, softmax in f32 (sum in double), probabilities rounded to f16 for V·p; the dots and
/// the exp follow llama.cpp's x86 AVX-512 kernels (`GGMLMath`). With `llamaCpp`, the dots follow the kernel
/// llama.cpp picks for the batch: tinyBLAS when the token is part of a batch of two or more (`batched`, a prompt),
/// ggml_vec_dot_f16 for a one-token batch (decode; tinyBLAS declines n < 2), which sums in another order.
/// Without it every dot is the tinyBLAS one (the engine's numerics before llama.cpp parity covered decode).
enum Attention {
    static func run(q: UnsafePointer<Float>, cache: KVCache, layer: Int, positions n: Int, config c: ModelConfig,
                    batched: Bool = false, llamaCpp: Bool = false, out: UnsafeMutablePointer<Float>) {
        let tiny = !llamaCpp || batched
        let hd = c.headDim, group = c.headCount / c.headCountKV, kvDim = c.kvDim
        let scale = 1 / sqrtf(Float(hd))
        var scores = [Float](repeating: 0, count: n)
        var q16 = [Float](repeating: 0, count: hd)
        // One kv head's keys and values for positions 0..<n, widened to f32 once and shared by the `group`
        // query heads that read them (f16 → f32 is exact, so every dot sees the same values as before).
        var kf = [Float](repeating: 0, count: n * hd), vf = [Float](repeating: 0, count: n * hd)
        cache.withLayer(layer) { keys, values in
            for kvh in 0..<c.headCountKV {
                widen(keys, kvh: kvh, positions: n, headDim: hd, kvDim: kvDim, into: &kf)
                widen(values, kvh: kvh, positions: n, headDim: hd, kvDim: kvDim, into: &vf)
                for h in kvh * group ..< (kvh + 1) * group {
                    for d in 0..<hd { q16[d] = roundToHalf(q[h * hd + d]) }
                    let qp = q16
                    kf.withUnsafeBufferPointer { kb in
                        let k = kb.baseAddress!
                        for t in 0..<n {
                            let kp = k + t * hd
                            scores[t] = (tiny ? GGMLMath.dot16({ kp[$0] }, { qp[$0] }, count: hd)
                                              : GGMLMath.vecDotF16({ kp[$0] }, { qp[$0] }, count: hd, padded: false)) * scale
                        }
                    }
                    scores.withUnsafeMutableBufferPointer { GGMLMath.softmax($0.baseAddress!, count: n) }
                    for t in 0..<n { scores[t] = roundToHalf(scores[t]) }
                    let o = out + h * hd
                    let p = scores
                    vf.withUnsafeBufferPointer { vb in
                        let v = vb.baseAddress!
                        for d in 0..<hd {
                            let vp = v + d
                            o[d] = tiny ? GGMLMath.dot16({ vp[$0 * hd] }, { p[$0] }, count: n)
                                        : GGMLMath.vecDotF16({ vp[$0 * hd] }, { p[$0] }, count: n, padded: true)
                        }
                    }
                }
            }
        }
    }

    /// Rows `kvh` of the cache for positions 0..<n, widened to f32 with CKernels (F16C where present).
    private static func widen(_ cache: UnsafePointer<Float16>, kvh: Int, positions n: Int, headDim hd: Int,
                              kvDim: Int, into out: inout [Float]) {
        cache.withMemoryRebound(to: UInt16.self, capacity: n * kvDim) { bits in
            out.withUnsafeMutableBufferPointer { o in
                for t in 0..<n { ck_f16_to_f32_row(bits + t * kvDim + kvh * hd, o.baseAddress! + t * hd, hd) }
            }
        }
    }
}
