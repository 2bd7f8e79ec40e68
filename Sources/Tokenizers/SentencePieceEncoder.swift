/// SentencePiece BPE as llama.cpp runs it (`llm_tokenizer_spm_session`): start from UTF-8
/// characters, repeatedly merge the adjacent pair whose concatenation is a token with the highest
/// score (leftmost first on ties), then emit each symbol's token or, for a character that is no
/// token, its `<0xXX>` byte tokens.
struct SentencePieceEncoder: Sendable {
    private let tokenIDs: [[UInt8]: Int32]
    private let scores: [Float]
    /// `<0xXX>` token of each byte (or the one-byte text as a fallback; -1: none).
    private let byteTokens: [Int32]
    private let unknownID: Int32?

    init(tokenIDs: [[UInt8]: Int32], scores: [Float], unknownID: Int32?) {
        self.tokenIDs = tokenIDs
        self.scores = scores
        self.unknownID = unknownID
        let hex = Array("0123456789ABCDEF")
        byteTokens = (0..<256).map { b in
            let name = "<0x\(hex[b >> 4])\(hex[b & 15])>"
            if let id = tokenIDs[Array(name.utf8)] { return id }
            if b < 0x80, let id = tokenIDs[[UInt8(b)]] { return id }
            return -1
        }
    }

    private struct Symbol { var start: Int; var count: Int; var prev: Int; var next: Int }
    private struct Bigram { var score: Float; var left: Int; var right: Int; var size: Int }

    /// Encodes text that is already whitespace-escaped (spaces → ▁).
    func encode(_ text: [UInt8], into output: inout [Int32]) {
        guard !text.isEmpty else { return }
        var symbols: [Symbol] = []
        var offset = 0
        while offset < text.count {
            let len = min(UTF8Util.sequenceLength(lead: text[offset]), text.count - offset)
            symbols.append(Symbol(start: offset, count: len, prev: symbols.count - 1,
                                  next: offset + len == text.count ? -1 : symbols.count + 1))
            offset += len
        }
        var queue = MinHeap<Bigram> { a, b in a.score > b.score || (a.score == b.score && a.left < b.left) }

        func string(_ start: Int, _ count: Int) -> [UInt8] {
            Array(text[start..<(start + count)])
        }
        func tryAdd(_ l: Int, _ r: Int) {
            guard l >= 0, r >= 0 else { return }
            let s = string(symbols[l].start, symbols[l].count + symbols[r].count)
            guard let id = tokenIDs[s], Int(id) < scores.count || scores.isEmpty else { return }
            let score = scores.isEmpty ? 0 : scores[Int(id)]
            queue.push(Bigram(score: score, left: l, right: r, size: symbols[l].count + symbols[r].count))
        }
        for i in 1..<symbols.count { tryAdd(i - 1, i) }
        while let bg = queue.pop() {
            let l = bg.left, r = bg.right
            guard symbols[l].count > 0, symbols[r].count > 0,
                  symbols[l].count + symbols[r].count == bg.size else { continue }
            symbols[l].count += symbols[r].count
            symbols[r].count = 0
            symbols[l].next = symbols[r].next
            if symbols[r].next >= 0 { symbols[symbols[r].next].prev = l }
            tryAdd(symbols[l].prev, l)
            tryAdd(l, symbols[l].next)
        }

        // Every merged symbol is a token (a pair is only queued when its text is one), so a symbol
        // that is not a token is a single unmerged character: it falls back to byte tokens.
        func emit(_ start: Int, _ count: Int) {
            if let id = tokenIDs[string(start, count)] { output.append(id); return }
            for b in text[start..<(start + count)] {
                let t = byteTokens[Int(b)]
                if t >= 0 { output.append(t) } else if let unk = unknownID { output.append(unk) }
            }
        }
        var i = 0
        while i >= 0 {
            if symbols[i].count > 0 { emit(symbols[i].start, symbols[i].count) }
            i = symbols[i].next
        }
    }
}
