/// Byte-level BPE (llama.cpp's `llm_tokenizer_bpe_session`): each pre-tokenized piece is written
/// in GPT-2's byte alphabet, split into characters, then the adjacent pair with the lowest merge
/// rank (leftmost first) is merged until no pair has a rank.
///
/// Merges are kept by token id: (left id, right id) → (rank, merged id), which is the same as
/// llama.cpp's text pairs whenever the merged text is itself a token (true of real vocabularies).
struct BytePairEncoder: Sendable {
    private struct Merge: Sendable { var rank: Int32; var result: Int32 }

    private let merges: [UInt64: Merge]
    /// The token of each raw byte's one-character text (-1: none).
    private let byteToken: [Int32]
    private let tokenIDs: [[UInt8]: Int32]
    private let ignoreMerges: Bool

    init(tokenIDs: [[UInt8]: Int32], merges mergeTexts: [String], ignoreMerges: Bool) {
        self.tokenIDs = tokenIDs
        self.ignoreMerges = ignoreMerges
        var table: [UInt64: Merge] = [:]
        table.reserveCapacity(mergeTexts.count)
        for (rank, text) in mergeTexts.enumerated() {
            let utf8 = Array(text.utf8)
            // split at the first space after the first byte, as llama.cpp does
            guard utf8.count > 1, let sp = utf8[1...].firstIndex(of: 0x20) else { continue }
            let left = Array(utf8[..<sp]), right = Array(utf8[(sp + 1)...])
            guard let l = tokenIDs[left], let r = tokenIDs[right], let m = tokenIDs[left + right] else { continue }
            let key = UInt64(UInt32(bitPattern: l)) << 32 | UInt64(UInt32(bitPattern: r))
            if table[key] == nil { table[key] = Merge(rank: Int32(clamping: rank), result: m) }
        }
        merges = table
        byteToken = (0..<256).map { tokenIDs[Array(ByteLevel.text(forByte: UInt8($0)).utf8)] ?? -1 }
    }

    private struct Symbol { var id: Int32; var byte: UInt8; var prev: Int; var next: Int; var alive: Bool }
    private struct Bigram { var rank: Int32; var left: Int; var right: Int; var leftID: Int32; var rightID: Int32 }

    /// Encodes one piece given as raw UTF-8 bytes.
    func encode(piece bytes: [UInt8], into output: inout [Int32]) {
        guard !bytes.isEmpty else { return }
        if ignoreMerges {
            var text: [UInt8] = []
            for b in bytes { UTF8Util.append(ByteLevel.byteToCodepoint[Int(b)], to: &text) }
            if let id = tokenIDs[text] { output.append(id); return }
        }
        var symbols: [Symbol] = []
        symbols.reserveCapacity(bytes.count)
        for (i, b) in bytes.enumerated() {
            symbols.append(Symbol(id: byteToken[Int(b)], byte: b, prev: i - 1,
                                  next: i + 1 < bytes.count ? i + 1 : -1, alive: true))
        }
        var queue = MinHeap<Bigram> { a, b in a.rank < b.rank || (a.rank == b.rank && a.left < b.left) }
        func addBigram(_ l: Int, _ r: Int) {
            guard l >= 0, r >= 0 else { return }
            let li = symbols[l].id, ri = symbols[r].id
            guard li >= 0, ri >= 0 else { return }
            let key = UInt64(UInt32(bitPattern: li)) << 32 | UInt64(UInt32(bitPattern: ri))
            guard let m = merges[key] else { return }
            queue.push(Bigram(rank: m.rank, left: l, right: r, leftID: li, rightID: ri))
        }
        for i in 1..<symbols.count { addBigram(i - 1, i) }
        while let bg = queue.pop() {
            let l = bg.left, r = bg.right
            guard symbols[l].alive, symbols[r].alive, symbols[l].next == r,
                  symbols[l].id == bg.leftID, symbols[r].id == bg.rightID else { continue }
            let key = UInt64(UInt32(bitPattern: bg.leftID)) << 32 | UInt64(UInt32(bitPattern: bg.rightID))
            symbols[l].id = merges[key]!.result
            symbols[r].alive = false
            symbols[l].next = symbols[r].next
            if symbols[r].next >= 0 { symbols[symbols[r].next].prev = l }
            addBigram(symbols[l].prev, l)
            addBigram(l, symbols[l].next)
        }
        var i = 0
        while i >= 0 {
            let s = symbols[i]
            if s.id >= 0 {
                output.append(s.id)
            } else {
                // a byte without a token: llama.cpp looks up each UTF-8 byte of its text alone
                for u in ByteLevel.text(forByte: s.byte).utf8 where u < 0x80 {
                    if let t = tokenIDs[[u]] { output.append(t) }
                }
            }
            i = s.next
        }
    }
}
