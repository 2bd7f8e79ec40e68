import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// Goldens made by llama.cpp (Tests/scripts/tokenizers_goldens.py, llama-cpp-python) for the
/// SmolLM2-135M-Instruct vocabulary (pre "smollm"), the llama-bpe vocabulary of BitNet b1.58
/// 2B-4T, the gpt-2 vocabulary without tokenizer.ggml.pre (llama.cpp's "default") and llama-spm: token ids of varied texts, plain and with BOS + special-token parsing, and the bytes of
/// every token.
@Suite struct LlamaCppGoldenTests {
    struct Goldens: Decodable {
        struct Case: Decodable {
            var text: String
            var plain: [Int32]
            var special: [Int32]
            /// llama_detokenize of `plain` (hex) and of `special` with remove/unparse special.
            var plain_text: String
            var special_text: String
        }
        struct Vocab: Decodable {
            var name: String
            var path: String
            /// The goldens were made with tokenizer.ggml.pre removed from the file.
            var remove_pre: Bool
            var cases: [Case]
            var pieces: [String: [String]]
        }
        var generator: String
        var vocabs: [Vocab]
    }

    static func goldens() throws -> Goldens {
        let url = try #require(Bundle.module.url(forResource: "Resources/tokenizers_goldens", withExtension: "json"))
        return try JSONDecoder().decode(Goldens.self, from: Data(contentsOf: url))
    }

    static let names = ["smollm2", "llama-bpe", "gpt-2-without-pre", "llama-spm", "gpt-neox", "aquila", "baichuan"]

    /// The golden set and our tokenizer for it; nil when the test data is absent (and not required).
    static func fixture(_ name: String) throws -> (Goldens.Vocab, Tokenizer)? {
        let vocab = try #require(try goldens().vocabs.first { $0.name == name })
        let file = TestEnvironment.testData(vocab.path)
        guard TestEnvironment.shouldRun(needs: file != nil) else { return nil }
        let url = try #require(file, "missing test data \(vocab.path)")
        guard vocab.remove_pre else { return (vocab, try VocabFixtures.tokenizer(url)) }
        var v = try VocabFixtures.vocabulary(url)
        v.preTokenizer = nil
        return (vocab, try Tokenizer(v))
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
        return out
    }

    @Test(arguments: names)
    func encodingMatchesLlamaCpp(_ name: String) throws {
        guard let (vocab, tokenizer) = try Self.fixture(name) else { return }
        #expect(vocab.cases.count > 10)
        for c in vocab.cases {
            #expect(tokenizer.encode(c.text, addSpecial: false, parseSpecial: false) == c.plain, "\(c.text.debugDescription)")
            #expect(tokenizer.encode(c.text, addSpecial: true, parseSpecial: true) == c.special, "\(c.text.debugDescription)")
        }
    }

    @Test(arguments: names)
    func piecesMatchLlamaCpp(_ name: String) throws {
        guard let (vocab, tokenizer) = try Self.fixture(name) else { return }
        #expect(vocab.pieces.count > 50)
        for (id, hex) in vocab.pieces {
            let token = try #require(Int32(id))
            #expect(tokenizer.piece(token, special: false) == Self.hexBytes(hex[0]), "token \(id)")
            #expect(tokenizer.piece(token, special: true) == Self.hexBytes(hex[1]), "token \(id)")
        }
    }

    /// Streaming the plain tokens piece by piece gives back the text exactly.
    @Test(arguments: names)
    func streamingRoundTrip(_ name: String) throws {
        guard let (vocab, tokenizer) = try Self.fixture(name) else { return }
        for c in vocab.cases {
            var stream = StreamingDecoder(tokenizer: tokenizer)
            var text = ""
            for t in c.plain { text += stream.push(t) }
            text += stream.finish()
            // SentencePiece adds a prefix space to the input; the stream shows it
            let prefix = tokenizer.addSpacePrefix && !c.text.isEmpty ? " " : ""
            #expect(Array(text.utf8) == Array((prefix + c.text).utf8))  // bytes, not canonical equivalence
        }
    }

    @Test(arguments: names)
    func detokenizeMatchesLlamaCpp(_ name: String) throws {
        guard let (vocab, tokenizer) = try Self.fixture(name) else { return }
        for c in vocab.cases {
            #expect(tokenizer.decodeBytes(c.plain) == Self.hexBytes(c.plain_text), "\(c.text.debugDescription)")
            #expect(tokenizer.decodeBytes(c.special, removeSpecial: true, unparseSpecial: true) == Self.hexBytes(c.special_text),
                    "\(c.text.debugDescription)")
        }
    }
}
