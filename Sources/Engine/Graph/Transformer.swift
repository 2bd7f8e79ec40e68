/// Runs the model graph one token at a time over the KV cache. Scratch buffers are allocated once.
final class Transformer: @unchecked Sendable {
    let config: ModelConfig
    let weights: ModelWeights
    let dispatcher: Dispatcher
    let cache: KVCache
    var position = 0
    /// llama.cpp's float numerics for RoPE and attention (`Ops.rope` fused, `Attention` per batch size).
    let llamaCppFloat: Bool

    var x, h, q, k, v, att, o, gate, up, down: [Float]
    /// Batched-prefill buffers (allocated on first use, then reused).
    var batch: BatchScratch?
    private(set) var logits: [Float]

    init(config: ModelConfig, weights: ModelWeights, dispatcher: Dispatcher, contextSize: Int, llamaCppFloat: Bool = false) {
        self.llamaCppFloat = llamaCppFloat
        self.config = config
        self.weights = weights
        self.dispatcher = dispatcher
        cache = KVCache(layers: config.blockCount, capacity: contextSize, dim: config.kvDim)
        let e = config.embeddingLength, f = config.feedForwardLength, kv = config.kvDim
        x = .init(repeating: 0, count: e); h = x; q = x; att = x; o = x
        k = .init(repeating: 0, count: kv); v = k
        gate = .init(repeating: 0, count: f); up = gate; down = x
        logits = .init(repeating: 0, count: weights.output.rows)
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
        let e = c.embeddingLength, f = c.feedForwardLength, pos = position
        x.withUnsafeMutableBufferPointer { weights.tokenEmbedding.row(token, into: $0.baseAddress!) }
        for (l, w) in weights.layers.enumerated() {
            x.withUnsafeBufferPointer { xs in h.withUnsafeMutableBufferPointer { Ops.rmsNorm(xs.baseAddress!, w.attnNorm, eps: c.rmsEpsilon, $0.baseAddress!, count: e) } }
            withPointers3(&q, &k, &v) { qp, kp, vp in
                h.withUnsafeBufferPointer { dispatcher.run([(w.q, qp), (w.k, kp), (w.v, vp)], input: $0.baseAddress!) }
                Ops.scale(qp, count: e, by: w.qScale)
                Ops.scale(kp, count: c.kvDim, by: w.kScale)
                Ops.scale(vp, count: c.kvDim, by: w.vScale)
                Ops.rope(qp, heads: c.headCount, headDim: c.headDim, ropeDims: c.ropeDimensionCount, position: pos,
                         base: c.ropeFreqBase, neox: c.architecture.ropeNeox, fused: llamaCppFloat)
                Ops.rope(kp, heads: c.headCountKV, headDim: c.headDim, ropeDims: c.ropeDimensionCount, position: pos,
                         base: c.ropeFreqBase, neox: c.architecture.ropeNeox, fused: llamaCppFloat)
                cache.store(layer: l, position: pos, key: kp, value: vp)
                att.withUnsafeMutableBufferPointer {
                    Attention.run(q: qp, cache: cache, layer: l, positions: pos + 1, config: c, batched: inBatch, llamaCpp: llamaCppFloat, out: $0.baseAddress!)
                }
            }
            if let sub = w.attnSubNorm {
                let a = att
                a.withUnsafeBufferPointer { ap in att.withUnsafeMutableBufferPointer { Ops.rmsNorm(ap.baseAddress!, sub, eps: c.rmsEpsilon, $0.baseAddress!, count: e) } }
            }
            o.withUnsafeMutableBufferPointer { op in
                att.withUnsafeBufferPointer { dispatcher.run([(w.o, op.baseAddress!)], input: $0.baseAddress!) }
                Ops.scale(op.baseAddress!, count: e, by: w.oScale)
            }
            for i in 0..<e { x[i] = o[i] + x[i] }
            x.withUnsafeBufferPointer { xs in h.withUnsafeMutableBufferPointer { Ops.rmsNorm(xs.baseAddress!, w.ffnNorm, eps: c.rmsEpsilon, $0.baseAddress!, count: e) } }
            gate.withUnsafeMutableBufferPointer { gp in
                up.withUnsafeMutableBufferPointer { upp in
                    h.withUnsafeBufferPointer { dispatcher.run([(w.gate, gp.baseAddress!), (w.up, upp.baseAddress!)], input: $0.baseAddress!) }
                    Ops.scale(gp.baseAddress!, count: f, by: w.gateScale)
                    Ops.scale(upp.baseAddress!, count: f, by: w.upScale)
                    Ops.gatedActivation(gp.baseAddress!, upp.baseAddress!, count: f, c.activation)
                }
            }
            if let sub = w.ffnSubNorm {
                let g = gate
                g.withUnsafeBufferPointer { gp in gate.withUnsafeMutableBufferPointer { Ops.rmsNorm(gp.baseAddress!, sub, eps: c.rmsEpsilon, $0.baseAddress!, count: f) } }
            }
            down.withUnsafeMutableBufferPointer { dp in
                gate.withUnsafeBufferPointer { dispatcher.run([(w.down, dp.baseAddress!)], input: $0.baseAddress!) }
                Ops.scale(dp.baseAddress!, count: e, by: w.downScale)
            }
            for i in 0..<e { x[i] = down[i] + x[i] }
        }
        position += 1
        guard wantLogits else { return }
        computeLogits()
    }

    /// logits = output(RMSNorm(x)).
    func computeLogits() {
        let c = config, e = c.embeddingLength
        x.withUnsafeBufferPointer { xs in h.withUnsafeMutableBufferPointer { Ops.rmsNorm(xs.baseAddress!, weights.outputNorm, eps: c.rmsEpsilon, $0.baseAddress!, count: e) } }
        logits.withUnsafeMutableBufferPointer { lp in
            h.withUnsafeBufferPointer { dispatcher.run([(weights.output, lp.baseAddress!)], input: $0.baseAddress!) }
        }
    }

    private func withPointers3(_ a: inout [Float], _ b: inout [Float], _ c: inout [Float],
                               _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        a.withUnsafeMutableBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in body(ap.baseAddress!, bp.baseAddress!, cp.baseAddress!) }
            }
        }
    }
}
