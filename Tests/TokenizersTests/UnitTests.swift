import Testing
@testable import Tokenizers

/// Hand-computed behaviour of the pieces, independent of any vocabulary file.
@Suite struct PreTokenizerTests {
    static func split(_ pre: String?, _ text: String) throws -> [String] {
        let p = try PreTokenizer(name: pre)
        let cps = text.unicodeScalars.map(\.value)
        return p.split(cps).map { r in String(String.UnicodeScalarView(r.map { Unicode.Scalar(cps[$0])! })) }
    }

    @Test func gpt2Regex() throws {
        // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
        #expect(try Self.split("gpt-2", "Hello world's  end!!\n") == ["Hello", " world", "'s", " ", " end", "!!", "\n"])
        #expect(try Self.split("gpt-2", "x   12ab") == ["x", "  ", " 12", "ab"])
        #expect(try Self.split("gpt-2", "I'M") == ["I", "'", "M"])  // case-sensitive contractions
    }

    @Test func llama3Regex() throws {
        #expect(try Self.split("llama-bpe", "I'M 12345 x\n\n  y") == ["I", "'M", " ", "123", "45", " x", "\n\n", " ", " y"])
        // [^\r\n\p{L}\p{N}]?\p{L}+ takes the bracket with the word
        #expect(try Self.split("llama-bpe", "(hello)\n") == ["(hello", ")\n"])
        #expect(try Self.split("qwen2", "123") == ["1", "2", "3"])
    }

    @Test func defaultAndStarcoderSteps() throws {
        // default: punctuation runs, gpt2, \p{N}+, then [0-9]{3} groups
        #expect(try Self.split(nil, "a+=1234567") == ["a", "+=", "123", "456", "7"])
        // starcoder/smollm: every digit alone, then gpt2
        #expect(try Self.split("smollm", "x 42") == ["x", " ", "4", "2"])
    }

    @Test func deepseekLLMSteps() throws {
        // [\r\n], \s?[cased]+, \s?[!-/:-~…]+, \s+$, CJK runs, \p{N}+
        #expect(try Self.split("deepseek-llm", "Hello, world  ") == ["Hello", ",", " world", "  "])
        #expect(try Self.split("deepseek-llm", "x12 34") == ["x", "12", " ", "34"])
    }

    @Test func unknownPreTokenizerIsRefused() {
        #expect(throws: TokenizerError.unsupportedPreTokenizer("nonsense")) { try PreTokenizer(name: "nonsense") }
    }
}

@Suite struct ByteLevelTests {
    @Test func gpt2ByteAlphabet() {
        // GPT-2's table: space → Ġ (U+0120), newline → Ċ (U+010A), printable ASCII unchanged
        #expect(ByteLevel.text(forByte: 0x20) == "\u{0120}")
        #expect(ByteLevel.text(forByte: 0x0A) == "\u{010A}")
        #expect(ByteLevel.text(forByte: UInt8(ascii: "A")) == "A")
        #expect(Set(ByteLevel.byteToCodepoint).count == 256)
        var out: [UInt8] = []
        ByteLevel.decode("\u{0120}hi\u{010A}", into: &out)
        #expect(out == [0x20, 0x68, 0x69, 0x0A])
    }
}

@Suite struct SmallVocabularyTests {
    /// A 3-merge byte-level vocabulary worked by hand.
    static func tinyBPE() throws -> Tokenizer {
        var tokens = (0..<256).map { ByteLevel.text(forByte: UInt8($0)) }
        tokens += ["ab", "abc", "\u{0120}a", "<|end|>", "<tool>"]
        var types = [Int32](repeating: 1, count: tokens.count)
        types[259] = 3  // control
        types[260] = 4  // user defined
        return try Tokenizer(TokenizerVocabulary(model: "gpt2", preTokenizer: "gpt-2", tokens: tokens, tokenTypes: types,
                                                 merges: ["a b", "ab c", "\u{0120} a"], bosID: 259, eosID: 259))
    }

    @Test func bpeMergesByRank() throws {
        let t = try Self.tinyBPE()
        let a = Int32(UInt8(ascii: "a")), c = Int32(UInt8(ascii: "c"))
        #expect(t.encode("abc", addSpecial: false) == [257])
        #expect(t.encode("abca", addSpecial: false) == [257, a])
        #expect(t.encode("cab a", addSpecial: false) == [c, 256, 258])
    }

    @Test func specialTokensSplitOut() throws {
        let t = try Self.tinyBPE()
        let x = Int32(UInt8(ascii: "x"))
        // control text is plain text unless parseSpecial; user-defined text is always a token
        #expect(t.encode("x<|end|>", addSpecial: false, parseSpecial: true) == [x, 259])
        #expect(t.encode("x<|end|>", addSpecial: false, parseSpecial: false).count > 2)
        #expect(t.encode("x<tool>x", addSpecial: false, parseSpecial: false) == [x, 260, x])
        #expect(t.piece(259) == [] && t.piece(259, special: true) == Array("<|end|>".utf8))
        #expect(t.isEndOfGeneration(259))
    }

    @Test func sentencePieceScoresAndByteFallback() throws {
        // ▁ = U+2581; byte tokens <0x00>…<0xFF> at ids 3…258
        var tokens = ["<unk>", "<s>", "</s>"]
        var types: [Int32] = [2, 3, 3]
        for b in 0..<256 { tokens.append(String(format: "<0x%02X>", b)); types.append(6) }
        tokens += ["\u{2581}", "h", "i", "hi", "\u{2581}h", "\u{2581}hi"]
        types += [1, 1, 1, 1, 1, 1]
        var scores = [Float](repeating: 0, count: tokens.count)
        scores[262] = -1     // hi
        scores[263] = -2     // ▁h
        scores[264] = -0.5   // ▁hi
        let t = try Tokenizer(TokenizerVocabulary(model: "llama", tokens: tokens, tokenTypes: types, scores: scores,
                                                  bosID: 1, eosID: 2, unknownID: 0))
        // "hi" → "▁hi": pairs ▁h (-2) and hi (-1): hi merges first, then ▁+hi = ▁hi
        #expect(t.encode("hi", addSpecial: true) == [1, 264])
        // "é" has no token: its two UTF-8 bytes via <0xC3> <0xA9>
        #expect(t.encode("é", addSpecial: false) == [259, 3 + 0xC3, 3 + 0xA9])
        #expect(t.decode([1, 264, 259, 3 + 0xC3, 3 + 0xA9], removeSpecial: true) == " hi é")
        #expect(t.decode([264, 259, 3 + 0xC3, 3 + 0xA9]) == "hi é")
    }
}

@Suite struct StreamingDecoderTests {
    @Test func holdsBackIncompleteCharacters() throws {
        let t = try SmallVocabularyTests.tinyBPE()
        var s = StreamingDecoder(tokenizer: t)
        // "é" = C3 A9 and "🦙" = F0 9F A6 99, one byte token at a time
        #expect(s.push(0xC3) == "")
        #expect(s.pendingByteCount == 1)
        #expect(s.push(0xA9) == "é")
        #expect(s.push(0xF0) == "" && s.push(0x9F) == "" && s.push(0xA6) == "")
        #expect(s.push(0x99) == "🦙")
        #expect(s.push(Int32(UInt8(ascii: "a"))) == "a")
        // a dangling lead byte comes out as U+FFFD at the end
        #expect(s.push(0xE2) == "")
        #expect(s.finish() == "\u{FFFD}")
    }

    @Test func completePrefix() {
        #expect(StreamingDecoder.completePrefixLength([0x61, 0xE2, 0x96]) == 1)
        #expect(StreamingDecoder.completePrefixLength([0x61, 0xE2, 0x96, 0x81]) == 4)
        #expect(StreamingDecoder.completePrefixLength([0x80, 0x80]) == 2)  // stray continuations are released
    }
}

@Suite struct CleanSpacesTests {
    @Test func llamaCppCleanUp() {
        let out = Tokenizer.cleanUpSpaces(Array("a , b ! it 's ' x ' we 're".utf8))
        #expect(String(decoding: out, as: UTF8.self) == "a, b! it's'x'we're")
    }
}

@Suite struct TextTokenizerDefaultsTests {
    @Test func promptParsesSpecialTextsAndAddsBOS() throws {
        let t: any TextTokenizer = try SmallVocabularyTests.tinyBPE()
        let x = Int32(UInt8(ascii: "x"))
        // tinyBPE has no add_bos key and pre gpt-2: no BOS (llama.cpp's default for gpt2)
        #expect(t.encodePrompt("x<|end|>") == [x, 259])
        #expect(t.decode([x, 259, x]) == "xx")
    }
}
