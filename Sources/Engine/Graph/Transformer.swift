/// Runs the model graph one token at a time over the KV cache. Scratch buffers are allocated once; the per-token
/// float work runs in CKernels (`Ops`, `Attention`), the matrices through the dispatcher.
final class Transformer: @unchecked Sendable {
    let config: ModelConfig
    let weights: ModelWeights
    let dispatcher: Dispatcher
    let cache: KVCache
    var position = 0
    /// llama.cpp's float numerics for RoPE and attention (`Ops.rope` fused, `Attention` per batch size).
    let llamaCppFloat: Bool

    /// The one-token step's buffers: a batch of one, whose RoPE row 0 holds the current position's angles.
    let s: BatchScratch
    /// Attention working memory of the one-token step.
    let attention: Attention.Scratch
    /// Parts each kv head's query group is split into for threaded decode attention (`Attention.parts`).
    let attentionParts: Int
    /// Batched-prefill buffers (allocated on first use, then reused).
    var batch: BatchScratch?
    /// Attention scratch of each prefill task (made on the first batched prefill).
    var prefillAttention: [Attention.Scratch] = []
    private(set) var logits: [Float]
    /// `--head screened`: `screenTopK` is set while decoding needs only the k largest logits (Session.generate: 1 for
    /// greedy, the sampler's top-k when it keeps few); the logits are then exact wherever they can be among the k
    /// largest and below them elsewhere (`HeadScreener`). 0: the whole exact head.
    let screener: HeadScreener?
    var screenTopK = 0
    /// Each layer's matrix groups with their output buffers, built once (no array per token).
    private let jobs: [LayerJobs]

    struct LayerJobs {
        let qkv, o, gateUp, down: [(MatVec, UnsafeMutablePointer<Float>)]
    }

    /// The final normed hidden state of the last token (the output head's input), a copy.
    var h: [Float] { Array(UnsafeBufferPointer(start: s.h, count: config.embeddingLength)) }

    init(config: ModelConfig, weights: ModelWeights, dispatcher: Dispatcher, contextSize: Int, llamaCppFloat: Bool = false,
         screenedHead: ScreenedHead? = nil) {
        screener = screenedHead.map(HeadScreener.init)
        self.llamaCppFloat = llamaCppFloat
        self.config = config
        self.weights = weights
        self.dispatcher = dispatcher
        cache = KVCache(layers: config.blockCount, capacity: contextSize, dim: config.kvDim)
        s = BatchScratch(capacity: 1, config: config)
        attention = Attention.Scratch(positions: contextSize, config: config)
        attentionParts = Attention.parts(group: config.headCount / config.headCountKV, kvHeads: config.headCountKV,
                                         threads: dispatcher.threads)
        logits = .init(repeating: 0, count: weights.output.rows)
        let sc = s
        jobs = weights.layers.map { w in
            LayerJobs(qkv: [(w.q, sc.q), (w.k, sc.k), (w.v, sc.v)], o: [(w.o, sc.o)],
                      gateUp: [(w.gate, sc.gate), (w.up, sc.up)], down: [(w.down, sc.down)])
        }
    }

    func reset() { position = 0 }

    /// Feeds `token` at the next position; computes logits when `wantLogits`. `inBatch`: the token belongs to a
    /// batch of two or more (a prompt), which selects llama.cpp's batched attention numerics.
    func step(_ token: Int, wantLogits: Bool, inBatch: Bool = false) throws {
        let c = config
        guard token >= 0, token < weights.tokenEmbedding.rows else {
            throw EngineError(.badInput, "token id \(token) is outside the vocabulary (\(weights.tokenEmbedding.rows))")
        }
        guard position < cache.capacity else {
            throw EngineError(.badInput, "context is full (\(cache.capacity) tokens)")
        }
        let e = c.embeddingLength, f = c.feedForwardLength, kv = c.kvDim, pos = position, s = self.s
        let neox = c.architecture.ropeNeox
        weights.tokenEmbedding.row(token, into: s.x)
        s.rope.fill(0, position: pos, base: c.ropeFreqBase)
        let angles = s.rope.row(0)
        for (l, w) in weights.layers.enumerated() {
            Ops.rmsNorm(s.x, w.attnNorm, eps: c.rmsEpsilon, s.h, count: e)
            let job = jobs[l]
            dispatcher.run(job.qkv, input: s.h)
            Ops.scale(s.q, count: e, by: w.qScale)
            Ops.scale(s.k, count: kv, by: w.kScale)
            Ops.scale(s.v, count: kv, by: w.vScale)
            Ops.rope(s.q, heads: c.headCount, headDim: c.headDim, table: angles, neox: neox, fused: llamaCppFloat)
            Ops.rope(s.k, heads: c.headCountKV, headDim: c.headDim, table: angles, neox: neox, fused: llamaCppFloat)
            cache.store(layer: l, position: pos, key: s.k, value: s.v)
            attend(layer: l, positions: pos + 1, batched: inBatch)
            if let sub = w.attnSubNorm { Ops.rmsNorm(s.att, sub, eps: c.rmsEpsilon, s.att, count: e) }
            dispatcher.run(job.o, input: s.att)
            Ops.scale(s.o, count: e, by: w.oScale)
            Ops.addResidual(s.o, into: s.x, count: e)
            Ops.rmsNorm(s.x, w.ffnNorm, eps: c.rmsEpsilon, s.h, count: e)
            dispatcher.run(job.gateUp, input: s.h)
            Ops.scale(s.gate, count: f, by: w.gateScale)
            Ops.scale(s.up, count: f, by: w.upScale)
            Ops.gatedActivation(s.gate, s.up, count: f, c.activation)
            if let sub = w.ffnSubNorm { Ops.rmsNorm(s.gate, sub, eps: c.rmsEpsilon, s.gate, count: f) }
            dispatcher.run(job.down, input: s.gate)
            Ops.scale(s.down, count: e, by: w.downScale)
            Ops.addResidual(s.down, into: s.x, count: e)
        }
        position += 1
        guard wantLogits else { return }
        computeLogits()
    }

    /// Attention of the one-token state over `positions` cached positions into `s.att`: split by kv head and query part
    /// over the dispatcher's threads once the context is long enough to pay for it (same bits either way).
    private func attend(layer l: Int, positions n: Int, batched: Bool) {
        let c = config, s = self.s
        guard dispatcher.threads > 1, c.headCount > 1, n >= Attention.parallelFromPositions else {
            Attention.run(q: s.q, cache: cache, layer: l, positions: n, config: c, batched: batched,
                          llamaCpp: llamaCppFloat, scratch: attention, out: s.att)
            return
        }
        let scratches = attentionScratches()
        // kv heads × parts of their query groups, as many tasks per thread (5 kv heads on 2 threads: 10 tasks, not 3 + 2)
        let parts = attentionParts, size = c.headCount / c.headCountKV / parts
        dispatcher.forEachTask(c.headCountKV * parts) { task, thread in
            let part = task % parts
            Attention.run(q: s.q, cache: cache, layer: l, positions: n, config: c, kvHead: task / parts,
                          heads: (part * size)..<((part + 1) * size), batched: batched, llamaCpp: llamaCppFloat,
                          scratch: scratches[thread], out: s.att)
        }
    }

    /// logits = output(RMSNorm(x)); screened (exact for the `screenTopK` largest only) while `screenTopK` > 0.
    func computeLogits() {
        let c = config, e = c.embeddingLength, h = s.h
        Ops.rmsNorm(s.x, weights.outputNorm, eps: c.rmsEpsilon, h, count: e)
        if screenTopK > 0, let screener {
            if logits.withUnsafeMutableBufferPointer({ screener.run(h, logits: $0.baseAddress!, dispatcher: dispatcher, topK: screenTopK) }) { return }
            logits.withUnsafeMutableBufferPointer { lp in dispatcher.run([(weights.output, lp.baseAddress!)], input: h) }
            screener.head.releaseExactPages()   // the fallback read the whole float head
            return
        }
        logits.withUnsafeMutableBufferPointer { lp in dispatcher.run([(weights.output, lp.baseAddress!)], input: h) }
    }
}
