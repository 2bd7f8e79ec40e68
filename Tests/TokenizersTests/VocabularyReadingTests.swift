import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// The vocabulary the tests build from the GGUF module equals the one PyPI gguf reads.
@Suite struct VocabularyReadingTests {
    @Test(arguments: ["llama-spm", "gpt-2"])
    func ggufReaderAgreesWithPyPI(_ name: String) throws {
        guard TestEnvironment.shouldRun(needs: VocabFixtures.vocabURL(name) != nil && TestEnvironment.python != nil) else { return }
        let url = try #require(VocabFixtures.vocabURL(name))
        let ours = try VocabFixtures.vocabulary(url)
        let theirs = try VocabFixtures.vocabularyFromPython(url)
        #expect(ours.model == theirs.model)
        #expect(ours.preTokenizer == theirs.preTokenizer)
        // compare bytes: String equality would accept canonically equivalent texts
        #expect(ours.tokens.map { Array($0.utf8) } == theirs.tokens.map { Array($0.utf8) })
        #expect(ours.tokenTypes == theirs.tokenTypes)
        #expect(ours.scores == theirs.scores)
        #expect(ours.merges.map { Array($0.utf8) } == theirs.merges.map { Array($0.utf8) })
        #expect(ours.bosID == theirs.bosID && ours.eosID == theirs.eosID && ours.unknownID == theirs.unknownID)
        #expect(ours.addBOS == theirs.addBOS && ours.addEOS == theirs.addEOS)
    }

    @Test func metadataErrorsAreClear() throws {
        #expect(throws: TokenizerError.missingMetadata(TokenizerVocabulary.Keys.model)) {
            try TokenizerVocabulary(metadata: [TokenizerVocabulary.Keys.tokens: .strings(["a"])])
        }
        #expect(throws: TokenizerError.wrongMetadataType(key: TokenizerVocabulary.Keys.tokens, expected: "an array of strings")) {
            try TokenizerVocabulary(metadata: [TokenizerVocabulary.Keys.model: .string("gpt2"),
                                               TokenizerVocabulary.Keys.tokens: .ints([1])])
        }
        // out-of-range special ids are ignored with a warning, as llama.cpp does
        let odd = try Tokenizer(TokenizerVocabulary(model: "gpt2", tokens: ["a", "b"], merges: ["a b"], bosID: 7, eosID: 1))
        #expect(odd.bosID == nil && odd.eosID == 1)
        #expect(odd.warnings == ["tokenizer.ggml.bos_token_id = 7 is outside the vocabulary (2 tokens); ignored"])
        #expect(throws: TokenizerError.missingMerges) { try Tokenizer(TokenizerVocabulary(model: "gpt2", tokens: ["a"])) }
        #expect(throws: TokenizerError.unsupportedModel("bert")) { try Tokenizer(TokenizerVocabulary(model: "bert", tokens: ["a"])) }
        #expect(throws: TokenizerError.arrayLengthMismatch(key: TokenizerVocabulary.Keys.scores, expected: 2, actual: 1)) {
            try Tokenizer(TokenizerVocabulary(model: "llama", tokens: ["a", "b"], scores: [0]))
        }
    }
}
