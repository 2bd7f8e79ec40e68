/// Activation buffers of the one-token step, allocated once per session.
final class TokenScratch {
    let x, h, q, att, o, down: UnsafeMutablePointer<Float>   // embedding
    let k, v: UnsafeMutablePointer<Float>                    // kvDim
    let gate, up: UnsafeMutablePointer<Float>                // feed-forward

    init(config c: ModelConfig) {
        func buf(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        let e = c.embeddingLength
        x = buf(e); h = buf(e); q = buf(e); att = buf(e); o = buf(e); down = buf(e)
        k = buf(c.kvDim); v = buf(c.kvDim)
        gate = buf(c.feedForwardLength); up = buf(c.feedForwardLength)
    }

    deinit { for p in [x, h, q, att, o, down, k, v, gate, up] { p.deallocate() } }
}
