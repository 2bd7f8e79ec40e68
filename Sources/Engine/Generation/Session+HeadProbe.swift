extension Session {
    /// A fixed probe prompt for the head check: its text through the model's tokenizer, else token ids 1...8.
    public static let headProbeText = "The quick brown fox jumps over the lazy dog. In 1905, Albert Einstein"

    /// With a fast head (`ModelOptions.head` = int8): feeds the probe prompt, computes the logits of the last
    /// position with the fast head and with the file's exact head, and returns (and keeps in `headLogitCosine`)
    /// their cosine, accumulated in double. nil when the model uses the exact head. Resets the conversation.
    @discardableResult
    public func probeHeadCosine() throws -> Double? {
        guard let exact = model.exactOutput else { return nil }
        let ids = model.tokenizer.map { $0.encode(Self.headProbeText, addSpecial: true, parseSpecial: false).map(Int.init) }
            ?? Array(1...8).filter { $0 < model.weights.tokenEmbedding.rows }
        let fast = try logits(after: Array(ids.prefix(model.contextSize)))
        var ref = [Float](repeating: 0, count: exact.rows)
        ref.withUnsafeMutableBufferPointer { rp in
            transformer.h.withUnsafeBufferPointer { dispatcher.run([(exact, rp.baseAddress!)], input: $0.baseAddress!) }
        }
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in 0..<ref.count {
            let a = Double(fast[i]), b = Double(ref[i])
            dot += a * b; na += a * a; nb += b * b
        }
        let cosine = na > 0 && nb > 0 ? dot / (na.squareRoot() * nb.squareRoot()) : 0
        headLogitCosine = cosine
        return cosine
    }
}
