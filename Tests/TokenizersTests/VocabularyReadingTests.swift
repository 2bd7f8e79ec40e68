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
        #expect(ours.tokens == theirs.tokens)
        #expect(ours.tokenTypes == theirs.tokenTypes)
        #expect(ours.scores == theirs.scores)
        #expect(ours.merges == theirs.merges)
        #expect(ours.bosID == theirs.bosID && ours.eosID == theirs.eosID && ours.unknownID == theirs.unknownID)
        #expect(ours.addBOS == theirs.addBOS && ours.addEOS == theirs.addEOS)
    }

    @Test func metadataErrorsAreClear() {
        #expect(throws: TokenizerError.missingMetadata(TokenizerVocabulary.Keys.model)) {
            try TokenizerVocabulary(metadata: [TokenizerVocabulary.Keys.tokens: .strings(["a"])])
        }
        #expect(throws: TokenizerError.wrongMetadataType(key: TokenizerVocabulary.Keys.tokens, expected: "an array of strings")) {
            try TokenizerVocabulary(metadata: [TokenizerVocabulary.Keys.model: .string("gpt2"),
                                               TokenizerVocabulary.Keys.tokens: .ints([1])])
        }
        let bad = TokenizerVocabulary(model: "gpt2", tokens: ["a", "b"], merges: ["a b"], bosID: 7)
        #expect(throws: TokenizerError.tokenIDOutOfRange(key: TokenizerVocabulary.Keys.bos, id: 7, vocabularySize: 2)) {
            try Tokenizer(bad)
        }
        #expect(throws: TokenizerError.missingMerges) { try Tokenizer(TokenizerVocabulary(model: "gpt2", tokens: ["a"])) }
        #expect(throws: TokenizerError.unsupportedModel("bert")) { try Tokenizer(TokenizerVocabulary(model: "bert", tokens: ["a"])) }
        #expect(throws: TokenizerError.arrayLengthMismatch(key: TokenizerVocabulary.Keys.scores, expected: 2, actual: 1)) {
            try Tokenizer(TokenizerVocabulary(model: "llama", tokens: ["a", "b"], scores: [0]))
        }
    }
}
