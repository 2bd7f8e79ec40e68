import Foundation
import Testing
import TestSupport
@testable import GGUF

/// Files nobody here wrote: llama.cpp's vocab-only GGUFs and SmolLM2-135M-Instruct Q4_1.
@Suite struct RealFilesTests {
    static var vocabFiles: [URL] {
        guard let dir = TestEnvironment.testData("vocab") else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".gguf") }.sorted().map { dir.appendingPathComponent($0) }
    }

    @Test func everyVocabFileParses() throws {
        let files = Self.vocabFiles
        guard TestEnvironment.shouldRun(needs: !files.isEmpty) else { return }
        #expect(files.count >= 10)
        for url in files {
            let f = try GGUFFile.open(url.path)
            #expect(f.tensors.isEmpty || f.dialect == .mainline, "\(url.lastPathComponent)")
            let tokens = try #require(f.array("tokenizer.ggml.tokens"), "\(url.lastPathComponent) has no tokens")
            #expect(tokens.elementType == .string && tokens.count > 1000)
            #expect(f.array("tokenizer.ggml.token_type").map { $0.count == tokens.count } ?? true)
        }
    }

    /// The gguf package's reader is slow on big vocabularies, so the byte-level comparison takes three
    /// representative ones (BPE, SentencePiece, WordPiece).
    @Test(arguments: ["gpt-2", "llama-spm", "bert-bge"])
    func vocabFileReadsLikeTheGGUFPackage(name: String) throws {
        let url = TestEnvironment.testData("vocab/ggml-vocab-\(name).gguf")
        guard TestEnvironment.shouldRun(needs: url != nil && PythonGGUF.available) else { return }
        let path = try #require(url).path
        try CrossReadTests.expectSameAsPython(try GGUFFile.open(path), try PythonGGUF.dump(path, summary: true))
    }

    @Test func llamaBPEVocabularyFacts() throws {
        let url = TestEnvironment.testData("vocab/ggml-vocab-llama-bpe.gguf")
        guard TestEnvironment.shouldRun(needs: url != nil) else { return }
        let f = try GGUFFile.open(try #require(url).path)
        // Llama-3 vocabulary: 128256 tokens, 280147 merges (the BitNet 2B-4T tokenizer).
        #expect(f.array("tokenizer.ggml.tokens")?.count == 128_256)
        #expect(f.array("tokenizer.ggml.merges")?.count == 280_147)
        #expect(f.string("tokenizer.ggml.model") == "gpt2")
        #expect(f.array("tokenizer.ggml.tokens")?[128_000].stringValue == "<|begin_of_text|>")
    }

    @Test func smolLM2ModelReadsLikeTheGGUFPackage() throws {
        let url = TestEnvironment.testData("models/SmolLM2-135M-Instruct.Q4_1.gguf")
        guard TestEnvironment.shouldRun(needs: url != nil && PythonGGUF.available) else { return }
        let f = try GGUFFile.open(try #require(url).path)
        #expect(f.architecture == "llama")
        #expect(f.string("tokenizer.ggml.pre") == "smollm")
        let formats = Set(f.tensors.map(\.type.format))
        #expect(formats == [.q4_1, .q8_0, .f32])
        #expect(f.tensors.last.map { $0.offset + $0.byteCount } ?? 0 <= f.fileSize)
        try CrossReadTests.expectSameAsPython(f, try PythonGGUF.dump(try #require(url).path, summary: true),
                                              checksumLimit: 1 << 20)
    }
}
