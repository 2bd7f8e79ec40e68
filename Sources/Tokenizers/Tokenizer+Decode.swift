extension Tokenizer {
    /// The bytes a token stands for (llama.cpp's `token_to_piece`): control and unknown tokens are
    /// empty unless `special`; byte tokens give their byte; SentencePiece ▁ becomes a space;
    /// byte-level BPE texts are mapped back to raw bytes. Unused or out-of-range tokens are empty.
    public func piece(_ token: Int32, special: Bool = false) -> [UInt8] {
        guard token >= 0, Int(token) < texts.count else { return [] }
        let text = texts[Int(token)]
        switch types[Int(token)] {
        case .control, .unknown:
            return special ? Array(text.utf8) : []
        case .userDefined:
            return Array(text.utf8)
        case .normal:
            switch engine {
            case .spm:
                var out: [UInt8] = []
                for scalar in text.unicodeScalars {
                    if scalar == "\u{2581}" { out.append(0x20) } else { UTF8Util.append(scalar.value, to: &out) }
                }
                return out
            case .bpe:
                var out: [UInt8] = []
                ByteLevel.decode(text, into: &out)
                return out
            }
        case .byte:
            let u = Array(text.utf8)
            guard u.count >= 6, let b = UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16) else { return [] }
            return [b]
        case .unused, .undefined:
            return []
        }
    }

    /// The bytes of a token sequence (llama.cpp's `detokenize`): with `removeSpecial`, a leading
    /// BOS and trailing EOS that add_bos/add_eos would have added are dropped; without BOS the
    /// SentencePiece prefix space of the first token is removed; clean_up_tokenization_spaces is
    /// applied when the vocabulary asks for it.
    public func decodeBytes(_ tokens: [Int32], removeSpecial: Bool = false, unparseSpecial: Bool = false) -> [UInt8] {
        var toks = tokens[...]
        var removeSpace = addSpacePrefix
        if removeSpecial && addBOS, let first = toks.first, first == bosID {
            removeSpace = false
            toks = toks.dropFirst()
        }
        if removeSpecial && addEOS, let last = toks.last, last == eosID { toks = toks.dropLast() }
        var out: [UInt8] = []
        for t in toks {
            var p = piece(t, special: unparseSpecial)
            if removeSpace {
                if p.first == 0x20 { p.removeFirst() }
                // llama.cpp consumes the flag on the first token, printed or not
            }
            removeSpace = false
            out.append(contentsOf: p)
        }
        return cleanSpaces ? Self.cleanUpSpaces(out) : out
    }

    /// `decodeBytes` as text (invalid UTF-8 becomes U+FFFD).
    public func decode(_ tokens: [Int32], removeSpecial: Bool = false, unparseSpecial: Bool = false) -> String {
        String(decoding: decodeBytes(tokens, removeSpecial: removeSpecial, unparseSpecial: unparseSpecial), as: UTF8.self)
    }

    /// llama.cpp's three clean-up passes: no space before ? ! . , ; " ' " loses its spaces;
    /// no space before 's 'm 're 've.
    static func cleanUpSpaces(_ text: [UInt8]) -> [UInt8] {
        let sp = UInt8(ascii: " "), ap = UInt8(ascii: "'")
        var a: [UInt8] = []
        for (i, x) in text.enumerated() {
            if i > 0 && text[i - 1] == sp && [UInt8(ascii: "?"), UInt8(ascii: "!"), UInt8(ascii: "."), UInt8(ascii: ",")].contains(x) {
                a.removeLast()
            }
            a.append(x)
        }
        var b: [UInt8] = []
        var i = 0
        while i < a.count {
            let x = a[i]
            if i > 0 && x == ap && i + 1 < a.count && a[i - 1] == sp && a[i + 1] == sp {
                b.removeLast()
                b.append(x)
                i += 2
                continue
            }
            b.append(x)
            i += 1
        }
        var c: [UInt8] = []
        for (i, x) in b.enumerated() {
            if i > 0 && b[i - 1] == sp && x == ap && i + 1 < b.count {
                let x1 = b[i + 1]
                if x1 == UInt8(ascii: "s") || x1 == UInt8(ascii: "m") {
                    c.removeLast()
                } else if i + 2 < b.count {
                    let x2 = b[i + 2]
                    if (x1 == UInt8(ascii: "r") || x1 == UInt8(ascii: "v")) && x2 == UInt8(ascii: "e") { c.removeLast() }
                }
            }
            c.append(x)
        }
        return c
    }
}
