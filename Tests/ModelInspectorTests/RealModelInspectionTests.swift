import Foundation
import Testing
import TestSupport
import GGUF
@testable import ModelInspector

/// Inspection of files nobody here wrote, checked against the PyPI gguf package's reading of them.
@Suite struct RealModelInspectionTests {
    static func pythonDump(_ path: String) throws -> [String: Any] {
        let out = try #require(try Subprocess.python("gguf_dump.py", [path, "--summary"]))
        #expect(out.status == 0, "\(out.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: out.stdout) as? [String: Any])
    }

    static func meta(_ dump: [String: Any], _ key: String) -> Any? {
        (dump["metadata"] as? [[String: Any]])?.first { $0["key"] as? String == key }?["value"]
    }

    @Test func smolLM2() throws {
        let url = TestEnvironment.testData("models/SmolLM2-135M-Instruct.Q4_1.gguf")
        guard TestEnvironment.shouldRun(needs: url != nil && TestEnvironment.python != nil) else { return }
        let path = try #require(url).path
        let i = try ModelInspector.inspect(path: path)
        let dump = try Self.pythonDump(path)
        let tensors = try #require(dump["tensors"] as? [[String: Any]])
        let params = tensors.reduce(0) { $0 + (($1["dims"] as? [Int]) ?? []).reduce(1, *) }
        let bytes = tensors.reduce(0) { $0 + (($1["n_bytes"] as? Int) ?? 0) }
        #expect(i.parameters == params)
        #expect(i.tiedEmbeddings)
        #expect(i.bytesPerToken == bytes) // tied: every tensor is streamed per token
        #expect(i.shape.layers == Self.meta(dump, "llama.block_count") as? Int)
        #expect(i.shape.hidden == Self.meta(dump, "llama.embedding_length") as? Int)
        #expect(i.shape.ffn == Self.meta(dump, "llama.feed_forward_length") as? Int)
        #expect(i.shape.heads == Self.meta(dump, "llama.attention.head_count") as? Int)
        #expect(i.shape.kvHeads == Self.meta(dump, "llama.attention.head_count_kv") as? Int)
        #expect(i.shape.context == Self.meta(dump, "llama.context_length") as? Int)
        #expect(i.shape.ropeBase == (Self.meta(dump, "llama.rope.freq_base") as? NSNumber)?.doubleValue)
        #expect(i.shape.vocab == 49152)
        #expect(i.tokenizer.pre == "smollm" && i.tokenizer.model == "gpt2")
        #expect(i.tokenizer.merges == (Self.meta(dump, "tokenizer.ggml.merges") as? [String: Any])?["count"] as? Int)
        #expect(i.tokenizer.bos == Self.meta(dump, "tokenizer.ggml.bos_token_id") as? Int)
        #expect(i.chatTemplate)
        #expect(Set(i.formats.map(\.type)) == ["q4_1", "q8_0", "f32"])
        #expect(i.ternaryFormat == nil && i.embeddingType == "q8_0")
        #expect(i.compatibility["bitnet_doctor"]?.ok == true && i.compatibility["llama_cpp"]?.ok == true)
        #expect(i.file.sizeBytes == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
    }

    @Test func llamaBPEVocabulary() throws {
        let url = TestEnvironment.testData("vocab/ggml-vocab-llama-bpe.gguf")
        guard TestEnvironment.shouldRun(needs: url != nil && TestEnvironment.python != nil) else { return }
        let path = try #require(url).path
        let i = try ModelInspector.inspect(path: path)
        let dump = try Self.pythonDump(path)
        #expect(i.tokenizer.model == "gpt2" && i.tokenizer.pre == "llama-bpe" && i.tokenizer.hasPre)
        #expect(i.tokenizer.vocabSize == (Self.meta(dump, "tokenizer.ggml.tokens") as? [String: Any])?["count"] as? Int)
        #expect(i.tokenizer.merges == 280_147)
        #expect(i.tokenizer.bos == Self.meta(dump, "tokenizer.ggml.bos_token_id") as? Int)
        #expect(i.tokenizer.eos == Self.meta(dump, "tokenizer.ggml.eos_token_id") as? Int)
        #expect(i.parameters == 0 && i.formats.isEmpty)
    }

    @Test func everyVocabFileInspects() throws {
        guard let dir = TestEnvironment.testData("vocab") else {
            #expect(!TestEnvironment.testDataRequired, "test data missing"); return
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".gguf") }
        for n in names {
            let i = try ModelInspector.inspect(path: dir.appendingPathComponent(n).path)
            #expect(i.tokenizer.model != nil, "\(n)")
            #expect((i.tokenizer.vocabSize ?? 0) > 1000, "\(n)")
            #expect(Set(i.compatibility.keys) == Set(ModelInspector.engines))
        }
    }
}
