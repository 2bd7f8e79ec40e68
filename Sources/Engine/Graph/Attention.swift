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
        cache.withLayer(layer) { keys, values in
            for h in 0..<c.headCount {
                let kvh = h / group
                for d in 0..<hd { q16[d] = roundToHalf(q[h * hd + d]) }
                let qp = q16
                for t in 0..<n {
                    let kp = keys + t * kvDim + kvh * hd
                    scores[t] = (tiny ? GGMLMath.dot16({ Float(kp[$0]) }, { qp[$0] }, count: hd)
                                         : GGMLMath.vecDotF16({ Float(kp[$0]) }, { qp[$0] }, count: hd, padded: false)) * scale
                }
                scores.withUnsafeMutableBufferPointer { GGMLMath.softmax($0.baseAddress!, count: n) }
                for t in 0..<n { scores[t] = roundToHalf(scores[t]) }
                let o = out + h * hd
                let p = scores
                for d in 0..<hd {
                    let vp = values + kvh * hd + d
                    o[d] = tiny ? GGMLMath.dot16({ Float(vp[$0 * kvDim]) }, { p[$0] }, count: n)
                                   : GGMLMath.vecDotF16({ Float(vp[$0 * kvDim]) }, { p[$0] }, count: n, padded: true)
                }
            }
        }
    }
}
