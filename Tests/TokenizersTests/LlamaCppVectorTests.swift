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
        "command-r", "mpt", "deepseek-coder",
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
