extension Tokenizer {
    enum Fragment: Equatable {
        case text(Range<Int>)   // byte range of the input
        case token(Int32)
    }

    /// Splits the input at special-token texts (llama.cpp's `tokenizer_st_partition`): every
    /// occurrence of a control/unknown token text when `parseSpecial`, and of a user-defined token
    /// text always; longer texts are split out first.
    func partition(_ bytes: [UInt8], parseSpecial: Bool) -> [Fragment] {
        guard !bytes.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<bytes.count)]
        for special in specialTokens {
            if !parseSpecial && (special.type == .control || special.type == .unknown) { continue }
            let needle = special.bytes
            guard !needle.isEmpty else { continue }
            var next: [Fragment] = []
            next.reserveCapacity(fragments.count)
            var changed = false
            for fragment in fragments {
                guard case .text(let range) = fragment, range.count >= needle.count else {
                    next.append(fragment)
                    continue
                }
                var start = range.lowerBound
                var i = range.lowerBound
                let last = range.upperBound - needle.count
                let first = needle[0]
                while i <= last {
                    if bytes[i] == first && Self.matches(bytes, at: i, needle) {
                        if i > start { next.append(.text(start..<i)) }
                        next.append(.token(special.id))
                        i += needle.count
                        start = i
                        changed = true
                    } else {
                        i += 1
                    }
                }
                if start < range.upperBound { next.append(.text(start..<range.upperBound)) }
            }
            if changed { fragments = next }
        }
        return fragments
    }

    private static func matches(_ bytes: [UInt8], at i: Int, _ needle: [UInt8]) -> Bool {
        for k in 1..<needle.count where bytes[i + k] != needle[k] { return false }
        return true
    }

    /// Token ids of `text`. `addSpecial` adds BOS/EOS as the vocabulary asks (add_bos/add_eos);
    /// `parseSpecial` turns control-token texts such as `<|eot_id|>` into their tokens.
    public func encode(_ text: String, addSpecial: Bool = true, parseSpecial: Bool = false) -> [Int32] {
        let bytes = Array(text.utf8)
        let fragments = partition(bytes, parseSpecial: parseSpecial)
        var output: [Int32] = []
        output.reserveCapacity(bytes.count / 3 + 2)
        switch engine {
        case .spm(let spm):
            if addSpecial && addBOS, let bos = bosID { output.append(bos) }
            var prevSpecial = true
            for fragment in fragments {
                switch fragment {
                case .token(let id):
                    output.append(id)
                    prevSpecial = true
                case .text(let range):
                    var escaped: [UInt8] = []
                    escaped.reserveCapacity(range.count + 3)
                    if addSpacePrefix && prevSpecial { escaped.append(contentsOf: [0xE2, 0x96, 0x81]) }
                    for b in bytes[range] {
                        if b == 0x20 { escaped.append(contentsOf: [0xE2, 0x96, 0x81]) } else { escaped.append(b) }
                    }
                    spm.encode(escaped, into: &output)
                    prevSpecial = false
                }
            }
            if addSpecial && addEOS, let eos = eosID { output.append(eos) }
        case .bpe(let bpe, let pre):
            if addSpecial && addBOS, let bos = bosID { output.append(bos) }
            for fragment in fragments {
                switch fragment {
                case .token(let id):
                    output.append(id)
                case .text(let range):
                    let piece = String(decoding: bytes[range], as: UTF8.self)
                    let cps = UTF8Util.codepoints(piece[...])
                    var word: [UInt8] = []
                    for r in pre.split(cps) {
                        word.removeAll(keepingCapacity: true)
                        for i in r { UTF8Util.append(cps[i], to: &word) }
                        bpe.encode(piece: word, into: &output)
                    }
                }
            }
            if addSpecial && addEOS, let eos = eosID { output.append(eos) }
        }
        return output
    }
}
