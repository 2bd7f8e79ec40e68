extension Transformer {
    /// Feeds `tokens` from the current position in batches of up to `batchSize` (1 = token by token with `step`);
    /// computes the logits of the last token. Batched results are bit-identical to token by token: the matrices
    /// of a layer run over the whole batch (`Dispatcher.runBatch`), and everything else (norms, RoPE, the causal
    /// attention over the cache, activations, residuals) runs per token with the same code; the attention of the
    /// batch's tokens runs in parallel once their keys and values are stored.
    /// A prompt of two or more tokens selects llama.cpp's batched attention numerics for all of its tokens
    /// (`inBatch`), in both forms.
    func prefill(_ tokens: [Int], batchSize: Int) throws {
        let inBatch = tokens.count > 1
        guard batchSize > 1 else {
            for (i, t) in tokens.enumerated() { try step(t, wantLogits: i == tokens.count - 1, inBatch: inBatch) }
            return
        }
        var i = 0
        while i < tokens.count {
            let n = min(batchSize, tokens.count - i)
            try stepBatch(tokens[i..<(i + n)], batchSize: batchSize, wantLogits: i + n == tokens.count, inBatch: inBatch)
            i += n
        }
    }

    private func stepBatch(_ tokens: ArraySlice<Int>, batchSize: Int, wantLogits: Bool, inBatch: Bool) throws {
        let c = config, e = c.embeddingLength, f = c.feedForwardLength, kv = c.kvDim, T = tokens.count
        for token in tokens where token < 0 || token >= weights.tokenEmbedding.rows {
            throw EngineError(.badInput, "token id \(token) is outside the vocabulary (\(weights.tokenEmbedding.rows))")
        }
        guard position + T <= cache.capacity else {
            throw EngineError(.badInput, "context is full (\(cache.capacity) tokens)")
        }
        if batch == nil || batch!.capacity < T {
            batch = BatchScratch(capacity: max(T, min(batchSize, cache.capacity)), config: c)
        }
        let s = batch!, pos = position, neox = c.architecture.ropeNeox
        for (t, token) in tokens.enumerated() {
            weights.tokenEmbedding.row(token, into: s.x + t * e)
            s.rope.fill(t, position: pos + t, base: c.ropeFreqBase)
        }
        let scratches = attentionScratches()
        for (l, w) in weights.layers.enumerated() {
            for t in 0..<T { Ops.rmsNorm(s.x + t * e, w.attnNorm, eps: c.rmsEpsilon, s.h + t * e, count: e) }
            dispatcher.runBatch([(w.q, s.q), (w.k, s.k), (w.v, s.v)], input: s.h, tokens: T)
            for t in 0..<T {
                let qp = s.q + t * e, kp = s.k + t * kv, vp = s.v + t * kv, angles = s.rope.row(t)
                Ops.scale(qp, count: e, by: w.qScale)
                Ops.scale(kp, count: kv, by: w.kScale)
                Ops.scale(vp, count: kv, by: w.vScale)
                Ops.rope(qp, heads: c.headCount, headDim: c.headDim, table: angles, neox: neox, fused: llamaCppFloat)
                Ops.rope(kp, heads: c.headCountKV, headDim: c.headDim, table: angles, neox: neox, fused: llamaCppFloat)
                cache.store(layer: l, position: pos + t, key: kp, value: vp)
            }
            // Token t attends to positions ≤ pos + t only, all stored above: the tokens are independent, so they
            // run in parallel (one task per token, one scratch per thread, the same code as decode: same bits).
            let cache = self.cache, llama = llamaCppFloat
            dispatcher.forEachTask(T) { t, thread in
                Attention.run(q: s.q + t * e, cache: cache, layer: l, positions: pos + t + 1, config: c,
                              batched: inBatch, llamaCpp: llama, scratch: scratches[thread], out: s.att + t * e)
            }
            if let sub = w.attnSubNorm {
                for t in 0..<T { Ops.rmsNorm(s.att + t * e, sub, eps: c.rmsEpsilon, s.att + t * e, count: e) }
            }
            dispatcher.runBatch([(w.o, s.o)], input: s.att, tokens: T)
            for t in 0..<T {
                let op = s.o + t * e, xp = s.x + t * e
                Ops.scale(op, count: e, by: w.oScale)
                Ops.addResidual(op, into: xp, count: e)
                Ops.rmsNorm(xp, w.ffnNorm, eps: c.rmsEpsilon, s.h + t * e, count: e)
            }
            dispatcher.runBatch([(w.gate, s.gate), (w.up, s.up)], input: s.h, tokens: T)
            for t in 0..<T {
                let gp = s.gate + t * f, upp = s.up + t * f
                Ops.scale(gp, count: f, by: w.gateScale)
                Ops.scale(upp, count: f, by: w.upScale)
                Ops.gatedActivation(gp, upp, count: f, c.activation)
                if let sub = w.ffnSubNorm { Ops.rmsNorm(gp, sub, eps: c.rmsEpsilon, gp, count: f) }
            }
            dispatcher.runBatch([(w.down, s.down)], input: s.gate, tokens: T)
            for t in 0..<T {
                let dp = s.down + t * e
                Ops.scale(dp, count: e, by: w.downScale)
                Ops.addResidual(dp, into: s.x + t * e, count: e)
            }
        }
        position += T
        self.s.x.update(from: s.x + (T - 1) * e, count: e)   // the one-token state continues from the last token
        if wantLogits { computeLogits() }
    }

    /// One attention scratch per thread of the dispatcher (the first is the one-token step's), made on first use.
    func attentionScratches() -> [Attention.Scratch] {
        if prefillAttention.isEmpty {
            prefillAttention = [attention] + (1..<dispatcher.threads).map { _ in
                Attention.Scratch(positions: cache.capacity, config: config)
            }
        }
        return prefillAttention
    }
}
