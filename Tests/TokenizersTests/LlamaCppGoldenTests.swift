import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// Goldens made by llama.cpp (Tests/scripts/tokenizers_goldens.py, llama-cpp-python) for the
/// SmolLM2-135M-Instruct vocabulary (pre "smollm") and the llama-bpe vocabulary of BitNet b1.58
/// 2B-4T: token ids of varied texts, plain and with BOS + special-token parsing, and the bytes of
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
        struct Vocab: Decodable { var name: String; var path: String; var cases: [Case]; var pieces: [String: [String]] }
        var generator: String
        var vocabs: [Vocab]
    }

    static func goldens() throws -> Goldens {
        let url = try #require(Bundle.module.url(forResource: "Resources/tokenizers_goldens", withExtension: "json"))
        return try JSONDecoder().decode(Goldens.self, from: Data(contentsOf: url))
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
        return out
    }

    @Test(arguments: ["smollm2", "llama-bpe"])
    func encodingMatchesLlamaCpp(_ name: String) throws {
        let vocab = try #require(try Self.goldens().vocabs.first { $0.name == name })
        let file = TestEnvironment.testData(vocab.path)
        guard TestEnvironment.shouldRun(needs: file != nil) else { return }
        let tokenizer = try VocabFixtures.tokenizer(try #require(file))
        #expect(vocab.cases.count > 10)
        for c in vocab.cases {
            #expect(tokenizer.encode(c.text, addSpecial: false, parseSpecial: false) == c.plain, "\(c.text.debugDescription)")
            #expect(tokenizer.encode(c.text, addSpecial: true, parseSpecial: true) == c.special, "\(c.text.debugDescription)")
        }
    }

    @Test(arguments: ["smollm2", "llama-bpe"])
    func piecesMatchLlamaCpp(_ name: String) throws {
        let vocab = try #require(try Self.goldens().vocabs.first { $0.name == name })
        let file = TestEnvironment.testData(vocab.path)
        guard TestEnvironment.shouldRun(needs: file != nil) else { return }
        let tokenizer = try VocabFixtures.tokenizer(try #require(file))
        #expect(vocab.pieces.count > 50)
        for (id, hex) in vocab.pieces {
            let token = try #require(Int32(id))
            #expect(tokenizer.piece(token, special: false) == Self.hexBytes(hex[0]), "token \(id)")
            #expect(tokenizer.piece(token, special: true) == Self.hexBytes(hex[1]), "token \(id)")
        }
    }

    /// Streaming the plain tokens piece by piece gives back the text exactly.
    @Test(arguments: ["smollm2", "llama-bpe"])
    func streamingRoundTrip(_ name: String) throws {
        let vocab = try #require(try Self.goldens().vocabs.first { $0.name == name })
        let file = TestEnvironment.testData(vocab.path)
        guard TestEnvironment.shouldRun(needs: file != nil) else { return }
        let tokenizer = try VocabFixtures.tokenizer(try #require(file))
        for c in vocab.cases {
            var stream = StreamingDecoder(tokenizer: tokenizer)
            var text = ""
            for t in c.plain { text += stream.push(t) }
            text += stream.finish()
            #expect(text == c.text)
        }
    }

    @Test(arguments: ["smollm2", "llama-bpe"])
    func detokenizeMatchesLlamaCpp(_ name: String) throws {
        let vocab = try #require(try Self.goldens().vocabs.first { $0.name == name })
        let file = TestEnvironment.testData(vocab.path)
        guard TestEnvironment.shouldRun(needs: file != nil) else { return }
        let tokenizer = try VocabFixtures.tokenizer(try #require(file))
        for c in vocab.cases {
            #expect(tokenizer.decodeBytes(c.plain) == Self.hexBytes(c.plain_text), "\(c.text.debugDescription)")
            #expect(tokenizer.decodeBytes(c.special, removeSpecial: true, unparseSpecial: true) == Self.hexBytes(c.special_text),
                    "\(c.text.debugDescription)")
        }
    }
}
