import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// llama.cpp's tokenizer test vectors (tests/test-tokenizer-0: add_special = false,
/// parse_special = false), for every vocabulary we support.
@Suite struct LlamaCppVectorTests {
    /// The vocabularies whose vectors must pass.
    static let supported = [
        "llama-bpe", "llama-spm", "gpt-2", "qwen2", "phi-3", "falcon", "starcoder", "refact",
        "command-r", "mpt", "deepseek-coder", "qwen35", "deepseek-llm",
    ]

    @Test(arguments: supported)
    func vectorsMatchLlamaCpp(_ name: String) throws {
        guard TestEnvironment.shouldRun(needs: VocabFixtures.vocabURL(name) != nil) else { return }
        guard let url = VocabFixtures.vocabURL(name) else {
            Issue.record("missing test data ggml-vocab-\(name).gguf (run scripts/setup-testdata.sh)")
            return
        }
        let tokenizer = try VocabFixtures.tokenizer(url)
        let vectors = try VocabFixtures.vectors(name)
        #expect(vectors.count > 10)
        var failures = 0
        for (input, expected) in vectors {
            let got = tokenizer.encode(input, addSpecial: false, parseSpecial: false)
            if got != expected {
                failures += 1
                Issue.record("\(name): \(input.debugDescription): got \(got), expected \(expected)")
            }
        }
        #expect(failures == 0)
    }
}

/// Vocabularies we do not support are refused with one clear error, not tokenized wrongly.
@Suite struct UnsupportedVocabularyTests {
    @Test(arguments: [("gemma-4", "unsupported tokenizer model 'gemma4'"),
                      ("bert-bge", "unsupported tokenizer model 'bert'")])
    func refused(_ name: String, _ message: String) throws {
        guard TestEnvironment.shouldRun(needs: VocabFixtures.vocabURL(name) != nil) else { return }
        let url = try #require(VocabFixtures.vocabURL(name))
        let vocab = try VocabFixtures.vocabulary(url)
        #expect(throws: TokenizerError.self) { try Tokenizer(vocab) }
        do { _ = try Tokenizer(vocab) } catch { #expect("\(error)".hasPrefix(message)) }
    }
}
