import CKernels

/// Causal grouped-query attention over the f16 cache, as llama.cpp computes it without flash attention:
/// q rounded to f16 for K·q, softmax in f32 (sum in double), probabilities rounded to f16 for V·p; the dots and
/// the exp follow llama.cpp's x86 AVX-512 kernels. With `llamaCpp`, the dots follow the kernel llama.cpp picks
/// for the batch: tinyBLAS when the token is part of a batch of two or more (`batched`, a prompt),
/// ggml_vec_dot_f16 for a one-token batch (decode; tinyBLAS declines n < 2), which sums in another order.
/// Without it every dot is the tinyBLAS one (the engine's numerics before llama.cpp parity covered decode).
/// Computed by `ck_g_attention` (attention.c) in a scratch buffer allocated once (`Attention.Scratch`).
enum Attention {
    /// Working memory of one attention call for up to `positions` positions; one per thread that runs attention.
    final class Scratch: @unchecked Sendable {
        let positions: Int
        let buffer: UnsafeMutablePointer<Float>

        init(positions: Int, config c: ModelConfig) {
            self.positions = positions
            let n = ck_g_attention_scratch_floats(positions, c.headCount, c.headCountKV, c.headDim)
            buffer = .allocate(capacity: n)
            buffer.initialize(repeating: 0, count: n)
        }

        deinit { buffer.deallocate() }
    }

    /// Every query head of the layer.
    static func run(q: UnsafePointer<Float>, cache: KVCache, layer: Int, positions n: Int, config c: ModelConfig,
                    batched: Bool = false, llamaCpp: Bool = false, scratch: Scratch, out: UnsafeMutablePointer<Float>) {
        call(q: q, cache: cache, layer: layer, positions: n, config: c, kvHeads: 0..<c.headCountKV, firstHead: 0,
             heads: c.headCount, batched: batched, llamaCpp: llamaCpp, scratch: scratch, out: out)
    }

    /// Query heads `heads` (inside kv head `kvHead`'s group) only: every query head's scores, softmax and V·p are its
    /// own (the value rows are widened per head), so any split of the heads over threads gives the same bits.
    static func run(q: UnsafePointer<Float>, cache: KVCache, layer: Int, positions n: Int, config c: ModelConfig,
                    kvHead: Int, heads: Range<Int>, batched: Bool = false, llamaCpp: Bool = false, scratch: Scratch,
                    out: UnsafeMutablePointer<Float>) {
        call(q: q, cache: cache, layer: layer, positions: n, config: c, kvHeads: kvHead..<(kvHead + 1),
             firstHead: kvHead * (c.headCount / c.headCountKV) + heads.lowerBound, heads: heads.count, batched: batched,
             llamaCpp: llamaCpp, scratch: scratch, out: out)
    }

    /// `ck_g_attention` for query heads firstHead ..< firstHead + heads against kv heads `kvHeads`.
    private static func call(q: UnsafePointer<Float>, cache: KVCache, layer: Int, positions n: Int, config c: ModelConfig,
                             kvHeads: Range<Int>, firstHead h0: Int, heads: Int, batched: Bool, llamaCpp: Bool,
                             scratch: Scratch, out: UnsafeMutablePointer<Float>) {
        precondition(n <= scratch.positions && n <= cache.capacity)
        let (keys, values) = cache.layer(layer)
        let vecdot: Int32 = llamaCpp && !batched ? 1 : 0, hd = c.headDim, kv0 = kvHeads.lowerBound
        ck_g_attention(q + h0 * hd, keys + kv0 * hd, values + kv0 * hd, n, c.kvDim, heads, kvHeads.count, hd, vecdot,
                       out + h0 * hd, scratch.buffer)
    }

    /// How many parts each kv head's group of query heads is split into so that the tasks (kv heads × parts) divide
    /// evenly over `threads`: the smallest divisor of the group that does, else one task per query head.
    static func parts(group: Int, kvHeads: Int, threads: Int) -> Int {
        (1...max(1, group)).first { group % $0 == 0 && (kvHeads * $0) % max(1, threads) == 0 } ?? max(1, group)
    }

    /// From this many positions on, one-token attention is split over the dispatcher's threads by kv head and query
    /// part (`parts`; below it
    /// the whole call is a few microseconds, about what handing work to the pool costs).
    static let parallelFromPositions = 32
}
