#if canImport(Glibc)
import Glibc
#endif

/// Causal grouped-query attention over the f16 cache, as llama.cpp computes it without flash attention:
/// q rounded to f16 for K·q, softmax in f32 (sum in double), probabilities rounded to f16 for V·p.
enum Attention {
    static func run(q: UnsafePointer<Float>, cache: KVCache, layer: Int, positions n: Int, config c: ModelConfig,
                    out: UnsafeMutablePointer<Float>) {
        let hd = c.headDim, group = c.headCount / c.headCountKV, kvDim = c.kvDim
        let scale = 1 / sqrtf(Float(hd))
        var scores = [Float](repeating: 0, count: n)
        var q16 = [Float](repeating: 0, count: hd)
        cache.withLayer(layer) { keys, values in
            for h in 0..<c.headCount {
                let kvh = h / group
                for d in 0..<hd { q16[d] = roundToHalf(q[h * hd + d]) }
                var mx = -Float.infinity
                for t in 0..<n {
                    let kp = keys + t * kvDim + kvh * hd
                    var s: Float = 0
                    for d in 0..<hd { s += Float(kp[d]) * q16[d] }
                    s *= scale
                    scores[t] = s
                    mx = max(mx, s)
                }
                var sum = 0.0
                for t in 0..<n { let e = expf(scores[t] - mx); sum += Double(e); scores[t] = e }
                let inv = Float(1.0 / sum)
                for t in 0..<n { scores[t] = roundToHalf(scores[t] * inv) }
                let o = out + h * hd
                for d in 0..<hd {
                    var s: Float = 0
                    for t in 0..<n { s += Float(values[t * kvDim + kvh * hd + d]) * scores[t] }
                    o[d] = s
                }
            }
        }
    }
}
