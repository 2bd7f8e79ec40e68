/// Activation buffers for a batch of up to `capacity` tokens (token t's row at `t·width`), allocated once per
/// session and reused by every batched prefill.
final class BatchScratch {
    let capacity: Int
    let x, h, q, att, o, down: UnsafeMutablePointer<Float>   // capacity × embedding
    let k, v: UnsafeMutablePointer<Float>                    // capacity × kvDim
    let gate, up: UnsafeMutablePointer<Float>                // capacity × feed-forward
    /// RoPE angles of the batch's positions (slot t = token t).
    let rope: RopeTable

    init(capacity: Int, config c: ModelConfig) {
        self.capacity = capacity
        rope = RopeTable(dims: c.ropeDimensionCount, capacity: capacity)
        func buf(_ width: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: capacity * width)
            p.initialize(repeating: 0, count: capacity * width)
            return p
        }
        let e = c.embeddingLength
        x = buf(e); h = buf(e); q = buf(e); att = buf(e); o = buf(e); down = buf(e)
        k = buf(c.kvDim); v = buf(c.kvDim)
        gate = buf(c.feedForwardLength); up = buf(c.feedForwardLength)
    }

    deinit { for p in [x, h, q, att, o, down, k, v, gate, up] { p.deallocate() } }
}
