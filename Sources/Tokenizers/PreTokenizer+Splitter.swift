extension PreTokenizer {
    /// Splits one piece `lo..<hi` of the code points by one step. Positions outside the piece read
    /// as "no character" (no flags), as in llama.cpp's custom splitters.
    struct Splitter {
        let cps: [UInt32]
        let flags: [CodepointFlags]
        let lo: Int
        let hi: Int
        var out: [Range<Int>] = []
        private var prevEnd: Int

        init(cps: [UInt32], flags: [CodepointFlags], lo: Int, hi: Int) {
            self.cps = cps; self.flags = flags; self.lo = lo; self.hi = hi; self.prevEnd = lo
        }

        static let outOfRange: UInt32 = 0xFFFF_FFFF

        func cp(_ i: Int) -> UInt32 { i >= lo && i < hi ? cps[i] : Self.outOfRange }
        func fl(_ i: Int) -> CodepointFlags { i >= lo && i < hi ? flags[i] : [] }

        /// Ends the current piece at `end`; returns its length.
        @discardableResult
        mutating func cut(_ end: Int) -> Int {
            let len = end - prevEnd
            if len > 0 { out.append(prevEnd..<end) }
            prevEnd = end
            return len
        }

        mutating func run(_ step: Step) {
            switch step {
            case .gpt2: gpt2()
            case .llama3(let maxDigits, let marks): llama3(maxDigits: maxDigits, marks: marks)
            case .punctuationRuns(let backtick):
                matchRuns { [cps, flags] i in Self.isPunctuationRunChar(cps[i], flags[i], backtick: backtick) }
            case .numberRuns:
                matchRuns { [cps, flags] i in Self.isCollapsedNumber(cps[i], flags[i]) }
            case .singleNumbers:
                matchSingles { [cps, flags] i in Self.isCollapsedNumber(cps[i], flags[i]) }
            case .singleNewlines:
                matchSingles { [cps] i in cps[i] == 0x0A || cps[i] == 0x0D }
            case .digitTriples: digitTriples()
            case .optionalSpaceLetters:
                optionalSpaceRuns { [cps, flags] i in Self.isCollapsedLetter(cps[i], flags[i]) }
            case .optionalSpacePunctuation:
                optionalSpaceRuns { [cps, flags] i in Self.isCollapsedPunctuation(cps[i], flags[i]) }
            case .optionalSpaceCasedLetters:
                optionalSpaceRuns { [flags] i in flags[i].contains(.cased) }
            case .optionalSpaceDeepseekPunctuation:
                optionalSpaceRuns { [cps, flags] i in
                    let c = cps[i]
                    if c >= 0x80 && flags[i].isWhitespace { return false }  // std::wregex sees \v
                    return (0x21...0x2F).contains(c) || (0x3A...0x7E).contains(c) || (0xFF01...0xFF0F).contains(c)
                        || (0xFF1A...0xFF5E).contains(c) || (0x2018...0x201F).contains(c) || (0x3000...0x3002).contains(c)
                }
            case .trailingWhitespace:
                var start = hi
                while start > lo && isRegexSpace(start - 1) { start -= 1 }
                cut(start)
            case .cjkRuns:
                matchRuns { [cps, flags] i in
                    let c = cps[i]
                    return !flags[i].isWhitespace
                        && ((0x4E00...0x9FA5).contains(c) || (0x0800...0x4E00).contains(c) || (0xAC00...0xD7FF).contains(c))
                }
            }
            cut(hi)
        }

        // MARK: character classes of the std::regex steps
        // llama.cpp runs these regexes on a "collapsed" text: ASCII stays, every other code point
        // becomes one byte standing for its category (whitespace → \v), so \p{X} means "ASCII
        // character of class X, or non-ASCII character of category X that is not whitespace".

        static func isCollapsedNumber(_ c: UInt32, _ f: CodepointFlags) -> Bool {
            c < 0x80 ? (c >= 0x30 && c <= 0x39) : (!f.isWhitespace && f.category == .number)
        }

        static func isCollapsedLetter(_ c: UInt32, _ f: CodepointFlags) -> Bool {
            if c < 0x80 { return (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
            return !f.isWhitespace && f.category == .letter
        }

        static func isCollapsedPunctuation(_ c: UInt32, _ f: CodepointFlags) -> Bool {
            if c < 0x80 { return f.category == .punctuation }  // !"#%&'()*,-./:;?@[\]_{}
            return !f.isWhitespace && f.category == .punctuation
        }

        /// `[\p{P}\$\+<=>\^~\|]` (+ backtick for falcon).
        static func isPunctuationRunChar(_ c: UInt32, _ f: CodepointFlags, backtick: Bool) -> Bool {
            switch c {
            case 0x24, 0x2B, 0x3C, 0x3D, 0x3E, 0x5E, 0x7E, 0x7C: return true
            case 0x60: return backtick
            default: return isCollapsedPunctuation(c, f)
            }
        }

        /// ECMAScript `\s` on the collapsed text: ASCII whitespace, or any non-ASCII whitespace.
        func isRegexSpace(_ i: Int) -> Bool {
            let c = cps[i]
            if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) }
            return flags[i].isWhitespace
        }

        // MARK: generic std::regex-like steps

        /// `[class]+`: every maximal run is a piece; the gaps between runs are pieces too.
        mutating func matchRuns(_ inClass: (Int) -> Bool) {
            var i = lo
            while i < hi {
                if inClass(i) {
                    cut(i)
                    var j = i + 1
                    while j < hi && inClass(j) { j += 1 }
                    cut(j)
                    i = j
                } else {
                    i += 1
                }
            }
        }

        /// `[class]`: every matching character is its own piece.
        mutating func matchSingles(_ inClass: (Int) -> Bool) {
            for i in lo..<hi where inClass(i) {
                cut(i)
                cut(i + 1)
            }
        }

        /// `\s?[class]+`, leftmost-first.
        mutating func optionalSpaceRuns(_ inClass: (Int) -> Bool) {
            var i = lo
            while i < hi {
                var j: Int
                if inClass(i) {
                    j = i + 1
                } else if isRegexSpace(i) && i + 1 < hi && inClass(i + 1) {
                    j = i + 2
                } else {
                    i += 1
                    continue
                }
                cut(i)
                while j < hi && inClass(j) { j += 1 }
                cut(j)
                i = j
            }
        }

        /// `[0-9][0-9][0-9]`, leftmost non-overlapping matches.
        mutating func digitTriples() {
            func digit(_ k: Int) -> Bool { k < hi && cps[k] >= 0x30 && cps[k] <= 0x39 }
            var i = lo
            while i + 2 < hi {
                if digit(i) && digit(i + 1) && digit(i + 2) {
                    cut(i)
                    cut(i + 3)
                    i += 3
                } else {
                    i += 1
                }
            }
        }
    }
}
