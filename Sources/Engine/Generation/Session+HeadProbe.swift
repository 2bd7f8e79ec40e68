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
        // the exact head in slices of rows whose file pages are dropped once used, when the int8 head dropped them at
        // load (Int8Head): the probe then does not bring the float head back into resident memory
        var ref = [Float](repeating: 0, count: exact.rows)
        let h = transformer.h, slice = model.int8Head?.releasedFilePages == true ? 8192 : exact.rows
        ref.withUnsafeMutableBufferPointer { rp in
            h.withUnsafeBufferPointer { hp in
                for r0 in stride(from: 0, to: exact.rows, by: slice) {
                    let range = r0..<min(exact.rows, r0 + slice)
                    let part = range.count == exact.rows ? exact : exact.rows(range, parity: model.options.parity)!
                    dispatcher.run([(part, rp.baseAddress! + r0)], input: hp.baseAddress!)
                    if slice < exact.rows { exact.releaseFilePages(rows: range) }
                }
            }
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
