import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// decode(encode(x)) == x on every llama.cpp test input, for the vocabularies where llama.cpp
/// guarantees it: byte-level BPE without clean-up of spaces, and SentencePiece (whose prefix
/// space is removed again on decode). Inputs with "[UNK]"-like losses do not occur in these sets.
@Suite struct RoundTripTests {
    @Test(arguments: ["llama-spm", "qwen2", "command-r", "deepseek-coder", "phi-3"])
    func decodeInvertsEncode(_ name: String) throws {
        guard TestEnvironment.shouldRun(needs: VocabFixtures.vocabURL(name) != nil) else { return }
        let tokenizer = try VocabFixtures.tokenizer(try #require(VocabFixtures.vocabURL(name)))
        if tokenizer.model == "gpt2" { #expect(!tokenizer.cleanSpaces) }
        for (input, _) in try VocabFixtures.vectors(name) {
            let ids = tokenizer.encode(input, addSpecial: false, parseSpecial: false)
            #expect(tokenizer.decode(ids) == input, "\(input.debugDescription)")
            // with BOS added and removed again
            let withBOS = tokenizer.encode(input, addSpecial: true, parseSpecial: false)
            let shown = tokenizer.decode(withBOS, removeSpecial: true)
            #expect(shown == input || (tokenizer.model == "llama" && shown == " " + input), "\(input.debugDescription)")
        }
    }
}
