import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// decode(encode(x)) == x on every llama.cpp test input, for the vocabularies where llama.cpp
/// guarantees it: byte-level BPE without clean-up of spaces, and SentencePiece (whose prefix
/// space is removed again on decode).
@Suite struct RoundTripTests {
    @Test(arguments: ["llama-spm", "qwen2", "command-r", "deepseek-coder", "phi-3"])
    func decodeInvertsEncode(_ name: String) throws {
        guard TestEnvironment.shouldRun(needs: VocabFixtures.vocabURL(name) != nil) else { return }
        let tokenizer = try VocabFixtures.tokenizer(try #require(VocabFixtures.vocabURL(name)))
        if tokenizer.model == "gpt2" { #expect(!tokenizer.cleanSpaces) }
        for (input, _) in try VocabFixtures.vectors(name) {
            let ids = tokenizer.encode(input, addSpecial: false, parseSpecial: false)
            // compared as bytes: String equality would accept canonically equivalent text
            #expect(tokenizer.decodeBytes(ids) == Array(input.utf8), "\(input.debugDescription)")
            // with BOS added and removed again
            let withBOS = tokenizer.encode(input, addSpecial: true, parseSpecial: false)
            let shown = tokenizer.decodeBytes(withBOS, removeSpecial: true)
            // llama.cpp keeps the SentencePiece prefix space when a BOS was removed
            let expected = Array(((tokenizer.model == "llama" && !input.isEmpty ? " " : "") + input).utf8)
            #expect(shown == expected, "\(input.debugDescription)")
        }
    }
}
