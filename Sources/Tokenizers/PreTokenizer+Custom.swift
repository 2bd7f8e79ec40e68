extension PreTokenizer.Splitter {
    private static let apostrophe: UInt32 = 0x27
    private static let space: UInt32 = 0x20

    private func isCRLF(_ c: UInt32) -> Bool { c == 0x0D || c == 0x0A }

    private func lowerASCII(_ c: UInt32) -> UInt32 { (c >= 0x41 && c <= 0x5A) ? c + 32 : c }

    /// Length of a contraction `'s|'t|'re|'ve|'m|'ll|'d` at `pos` (0 if none).
    private func contraction(at pos: Int, caseInsensitive: Bool) -> Int {
        guard cp(pos) == Self.apostrophe, pos + 1 < hi else { return 0 }
        let n1 = caseInsensitive ? lowerASCII(cp(pos + 1)) : cp(pos + 1)
        if n1 == 0x73 || n1 == 0x74 || n1 == 0x6D || n1 == 0x64 { return 2 }  // s t m d
        if pos + 2 < hi {
            let n2 = caseInsensitive ? lowerASCII(cp(pos + 2)) : cp(pos + 2)
            if (n1 == 0x72 && n2 == 0x65) || (n1 == 0x76 && n2 == 0x65) || (n1 == 0x6C && n2 == 0x6C) {
                return 3  // re ve ll
            }
        }
        return 0
    }

    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    mutating func gpt2() {
        var pos = lo
        while pos < hi {
            let c = cp(pos)
            let f = fl(pos)
            let k = contraction(at: pos, caseInsensitive: false)
            if k > 0 { pos += cut(pos + k); continue }

            var f2 = c == Self.space ? fl(pos + 1) : f
            if f2.isLetter {
                if c == Self.space { pos += 1 }
                while f2.isLetter { pos += 1; f2 = fl(pos) }
                cut(pos); continue
            }
            if f2.isNumber {
                if c == Self.space { pos += 1 }
                while f2.isNumber { pos += 1; f2 = fl(pos) }
                cut(pos); continue
            }
            if Self.isOther(f2) {
                if c == Self.space { pos += 1 }
                while Self.isOther(f2) { pos += 1; f2 = fl(pos) }
                cut(pos); continue
            }
            whitespace(at: &pos, trackNewlines: false)
        }
    }

    /// `[^\s\p{L}\p{N}]` for a position inside the piece.
    private static func isOther(_ f: CodepointFlags) -> Bool {
        !f.isWhitespace && !f.isLetter && !f.isNumber && f.rawValue != 0
    }

    /// llama3 (maxDigits 3) and qwen2 (maxDigits 1):
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,n}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
    /// with `marks` (qwen35) `\p{L}` reads `[\p{L}\p{M}]` throughout.
    mutating func llama3(maxDigits: Int, marks: Bool) {
        let word: CodepointFlags = marks ? [.letter, .mark] : .letter
        func isWord(_ f: CodepointFlags) -> Bool { !f.intersection(word).isEmpty }
        func isOther(_ f: CodepointFlags) -> Bool {
            !f.isWhitespace && !isWord(f) && !f.isNumber && f.rawValue != 0
        }
        var pos = lo
        while pos < hi {
            let c = cp(pos)
            let f = fl(pos)
            let k = contraction(at: pos, caseInsensitive: true)
            if k > 0 { pos += cut(pos + k); continue }

            // [^\r\n\p{L}\p{N}]?\p{L}+
            if !(isCRLF(c) || f.isNumber) && (isWord(f) || isWord(fl(pos + 1))) {
                pos += 1
                while isWord(fl(pos)) { pos += 1 }
                cut(pos); continue
            }
            // \p{N}{1,n}
            if f.isNumber {
                var start = pos
                while fl(pos).isNumber {
                    pos += 1
                    if pos - start >= maxDigits { cut(pos); start = pos }
                }
                cut(pos); continue
            }
            //  ?[^\s\p{L}\p{N}]+[\r\n]*
            var f2 = c == Self.space ? fl(pos + 1) : f
            if !f2.isWhitespace && !isWord(f2) && !f2.isNumber && f.rawValue != 0 {
                if c == Self.space { pos += 1 }
                while isOther(f2) { pos += 1; f2 = fl(pos) }
                while isCRLF(cp(pos)) { pos += 1 }
                cut(pos); continue
            }
            whitespace(at: &pos, trackNewlines: true)
        }
    }

    /// The whitespace alternatives: (`\s*[\r\n]+` when tracking newlines), `\s+(?!\S)`, `\s+`, and
    /// the single-character fallback when nothing matches.
    private mutating func whitespace(at pos: inout Int, trackNewlines: Bool) {
        var count = 0
        var lastNewlineEnd = 0
        while fl(pos + count).isWhitespace {
            if trackNewlines && isCRLF(cp(pos + count)) { lastNewlineEnd = pos + count + 1 }
            count += 1
        }
        if lastNewlineEnd > 0 {
            pos = lastNewlineEnd
            cut(pos)
        } else if count > 1 && cp(pos + count) != Self.outOfRange {
            pos += count - 1
            cut(pos)
        } else if count > 0 {
            pos += count
            cut(pos)
        } else {
            pos += 1
            cut(pos)
        }
    }
}
