import Foundation
import Testing
import TestSupport
import GGUF
@testable import ModelInspector

@Suite struct InspectionTests {
    /// A small model built with the writer: `layers` ternary tensors of `format` plus an embedding.
    static func build(arch: String?, format: TensorFormat, ternaryBytes: Int? = nil, embedding: TensorFormat = .f16,
                      pre: String? = "llama-bpe", fileType: UInt32? = nil,
                      heads: (q: UInt32, kv: UInt32)? = nil) throws -> GGUFFile {
        var w = try GGUFWriter()
        if let arch { w.set("general.architecture", .string(arch)) }
        if let arch, let heads {
            w.set("\(arch).attention.head_count", .uint32(heads.q))
            w.set("\(arch).attention.head_count_kv", .uint32(heads.kv))
        }
        if let fileType { w.set("general.file_type", .uint32(fileType)) }
        w.set("tokenizer.ggml.model", .string("gpt2"))
        if let pre { w.set("tokenizer.ggml.pre", .string(pre)) }
        w.set("tokenizer.ggml.tokens", .strings(["a", "b"]))
        let n = 256 * 256
        for name in ["blk.0.attn_q.weight", "blk.0.ffn_up.weight"] {
            let size = ternaryBytes ?? format.traits.byteSize(elements: n, rowLength: 256)!
            try w.addTensor(name, dims: [256, 256], type: format, .bytes([UInt8](repeating: 0x55, count: size)))
        }
        try w.addTensor("blk.0.attn_norm.weight", dims: [256], type: .f32, .bytes([UInt8](repeating: 0, count: 1024)))
        let eb = embedding.traits.byteSize(elements: 256 * 2, rowLength: 256)!
        try w.addTensor("token_embd.weight", dims: [256, 2], type: embedding, .bytes([UInt8](repeating: 0, count: eb)))
        return try GGUFFile(bytes: try w.serialized())
    }

    @Test func i2sUnderAMainlineArchitectureIsResolvedBySize() throws {
        let f = try Self.build(arch: "llama", format: .i2_s)
        #expect(f.tensors[0].typeID == 36 && f.tensors[0].type.format == .i2_s)
        #expect(f.dialect == .bitnetFork)
        let i = ModelInspector.inspect(f)
        #expect(i.ternaryFormat == "i2_s")
        #expect(i.i2sInterleave == "unknown")
        let ids = Set(i.warnings.map(\.id))
        #expect(ids.contains("type_id_resolved_by_size") && ids.contains("i2s_interleave_unknown"))
        #expect(i.compatibility["llama_cpp"]?.ok == false)
        #expect(i.compatibility["bitnet_rs"]?.reason.contains("QK256") == true)
    }

    @Test func id39IsMXFP4InMainlineAndTL2InTheFork() throws {
        let mx = try Self.build(arch: "llama", format: .mxfp4)
        #expect(mx.tensors[0].typeID == 39 && mx.tensors[0].type.format == .mxfp4)
        #expect(mx.dialect == .mainline)
        // The same id with TL2's size in a bitnet-b1.58 file: for [256, 256] the fork's formula gives
        // 0·256/3·5/8 + 256·256/2·4/8 = 16384, a multiple of 32, + 32.
        let tl = try Self.build(arch: "bitnet-b1.58", format: .tl2)
        #expect(tl.tensors[0].typeID == 39 && tl.tensors[0].type.format == .tl2 && tl.tensors[0].byteCount == 16416)
        let i = ModelInspector.inspect(tl)
        #expect(i.ternaryDescription?.contains("kernel config") == true)
        #expect(i.warnings.contains { $0.id == "tl_kernel_config_unknown" })
        // An I2_S-sized id 36 in a bitnet-b1.58 file: the fork's meaning, no size-resolution warning.
        let fork = ModelInspector.inspect(try Self.build(arch: "bitnet-b1.58", format: .i2_s))
        #expect(!fork.warnings.contains { $0.id == "type_id_resolved_by_size" })
        #expect(fork.file.dialect == "bitnet_fork")
    }

    @Test func bitNet32F16IsRecognisedBySizeSignature() throws {
        let f = try Self.build(arch: "bitnet-b1.58", format: .bitnet32_f16)
        #expect(f.tensors[0].typeID == 36 && f.tensors[0].byteCount == 256 * 256 / 32 * 10)
        let i = ModelInspector.inspect(f)
        #expect(i.ternaryFormat == "bitnet32_f16")
        #expect(i.compatibility["bitnet_rs"]?.ok == true)
        #expect(i.warnings.contains { $0.id == "bitnet32_f16_layout" })
    }

    @Test func id36WithNoMatchingSizeIsAnError() throws {
        // The writer refuses a wrong size, so write an I8 tensor and patch its type id (24) to 36.
        var w = try GGUFWriter()
        w.set("general.architecture", .string("bitnet-b1.58"))
        try w.addTensor("x", dims: [256, 256], type: .i8, .bytes([UInt8](repeating: 0, count: 256 * 256)))
        var bytes = try w.serialized()
        let needle: [UInt8] = [24, 0, 0, 0]
        let idx = try #require((0 ..< bytes.count - 4).last { Array(bytes[$0 ..< $0 + 4]) == needle && $0 < 200 })
        bytes.replaceSubrange(idx ..< idx + 4, with: [36, 0, 0, 0])
        // 65536 bytes would hold IQ4_NL_4_4 (36864); cut the data to 1000 bytes so that no meaning fits.
        let dataStart = (try GGUFFile(bytes: bytes)).dataOffset
        let shrunk = Array(bytes[0 ..< dataStart + 1000])
        #expect {
            _ = try GGUFFile(bytes: shrunk)
        } throws: { e in
            (e as? GGUFError)?.kind == .ambiguousTensorType && "\(e)".contains("I2_S (16416 bytes)")
        }
    }

    @Test func warningsForMissingPreAndHeavyF16Head() throws {
        let i = ModelInspector.inspect(try Self.build(arch: "bitnet-b1.58", format: .i2_s, pre: nil))
        #expect(i.tokenizer.hasPre == false && i.tokenizer.pre == nil)
        #expect(i.warnings.contains { $0.id == "missing_pre_tokenizer" })
        let unknown = ModelInspector.inspect(try Self.build(arch: "mamba", format: .q8_0))
        #expect(unknown.warnings.contains { $0.id == "unknown_architecture" })
        #expect(unknown.compatibility["bitnet_doctor"]?.ok == false)
    }

    /// 'bitnet' (SiLU FFN) is right for 1bitLLM's multi-head bitnet_b1_58 models and wrong for 2B-4T's design
    /// (grouped-query attention, ReLU²): the warning follows the attention layout, not the name alone.
    @Test func bitnetArchWarningOnlyForTheGroupedQueryDesign() throws {
        let gqa = ModelInspector.inspect(try Self.build(arch: "bitnet", format: .i2_s, heads: (20, 5)))
        #expect(gqa.shape.heads == 20 && gqa.shape.kvHeads == 5)
        #expect(gqa.warnings.contains { $0.id == "bitnet_arch_silu" })
        let mha = ModelInspector.inspect(try Self.build(arch: "bitnet", format: .i2_s, heads: (16, 16)))
        #expect(mha.shape.heads == 16 && mha.shape.kvHeads == 16)
        #expect(!mha.warnings.contains { $0.id == "bitnet_arch_silu" })
        let right = ModelInspector.inspect(try Self.build(arch: "bitnet-b1.58", format: .i2_s, heads: (20, 5)))
        #expect(!right.warnings.contains { $0.id == "bitnet_arch_silu" })
    }

    @Test func bytesPerTokenCountsEveryWeightTheHeadAndOneEmbeddingRow() throws {
        let f = try Self.build(arch: "bitnet-b1.58", format: .tq2_0)
        let i = ModelInspector.inspect(f)
        let tq = 256 * 256 / 256 * 66
        // Tied: the whole embedding is the head.
        #expect(i.bytesPerToken == 2 * tq + 1024 + 256 * 2 * 2)
        #expect(i.bytesPerTokenBreakdown.ternary == 2 * tq)
        #expect(i.parameters == 2 * 65536 + 256 + 512)
        #expect(i.formats.map(\.type) == ["tq2_0", "f32", "f16"] || i.formats.map(\.type) == ["tq2_0", "f16", "f32"])
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        let i = ModelInspector.inspect(try Self.build(arch: "bitnet-b1.58", format: .i2_s))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(try i.jsonString().utf8)) as? [String: Any])
        for key in ["schema_version", "architecture", "shape", "parameters", "formats", "ternary_format", "embedding_type",
                    "bytes_per_token", "tokenizer", "file", "compatibility", "warnings", "chat_template"] {
            #expect(obj[key] != nil, "missing \(key)")
        }
        let tok = try #require(obj["tokenizer"] as? [String: Any])
        #expect(Set(tok.keys).isSuperset(of: ["model", "has_pre", "vocab_size"]))
        let file = try #require(obj["file"] as? [String: Any])
        #expect(Set(file.keys).isSuperset(of: ["size_bytes", "identity"]))
        #expect(file["path"] == nil) // in-memory: unknown values are omitted, never invented
        let compat = try #require(obj["compatibility"] as? [String: [String: Any]])
        #expect(Set(compat.keys) == Set(ModelInspector.engines))
        #expect(compat.values.allSatisfy { $0["ok"] is Bool && $0["reason"] is String })
        let formats = try #require(obj["formats"] as? [[String: Any]])
        #expect(formats.allSatisfy { Set($0.keys).isSuperset(of: ["type", "description", "tensors", "bytes"]) })
        #expect(try JSONDecoder().decode(ModelInspection.self, from: Data(try i.jsonString().utf8)) == i)
    }

    @Test func identityHashFollowsContent() throws {
        let dir = try TestEnvironment.makeTempDir("identity")
        let a = dir.appendingPathComponent("a.gguf").path, b = dir.appendingPathComponent("b.gguf").path
        try SyntheticModel.write(to: a, options: .init(seed: 1))
        try SyntheticModel.write(to: b, options: .init(seed: 1))
        let ia = ModelInspector.inspect(try GGUFFile.open(a)).file.identity
        #expect(ia == ModelInspector.inspect(try GGUFFile.open(b)).file.identity)
        #expect(ia.hasPrefix("fnv1a64:") && ia.count == 24)
        try SyntheticModel.write(to: b, options: .init(seed: 2))
        #expect(ia != ModelInspector.inspect(try GGUFFile.open(b)).file.identity)
    }

    @Test func forkI2SFixtureIsClassified() throws {
        let path = TestEnvironment.repoRoot.appendingPathComponent("fixtures/gguf/corpus/valid-i2s-fork.gguf").path
        let i = try ModelInspector.inspect(path: path)
        #expect(i.architecture == "bitnet-b1.58" && i.fileType == 40)
        #expect(i.ternaryFormat == "i2_s" && i.i2sInterleave == "unknown")
        #expect(i.file.dialect == "bitnet_fork" && i.file.dialectReason.contains("bitnet-b1.58"))
        let ids = Set(i.warnings.map(\.id))
        #expect(ids.isSuperset(of: ["missing_tokenizer", "i2s_interleave_unknown"]))
        #expect(!ids.contains("type_id_resolved_by_size"))
        #expect(i.formats.first { $0.type == "i2_s" }?.bytes == 512 / 4 + 32)
    }

    @Test func untiedHeadCountsOneEmbeddingRow() throws {
        var w = try GGUFWriter()
        w.set("general.architecture", .string("llama"))
        func zeros(_ n: Int) -> GGUFTensorSource { .bytes([UInt8](repeating: 0, count: n)) }
        try w.addTensor("token_embd.weight", dims: [256, 10], type: .q8_0, zeros(80 * 34))
        try w.addTensor("blk.0.attn_q.weight", dims: [256, 256], type: .q4_0, zeros(2048 * 18))
        try w.addTensor("output.weight", dims: [256, 10], type: .q6_k, zeros(10 * 210))
        let i = ModelInspector.inspect(try GGUFFile(bytes: try w.serialized()))
        #expect(!i.tiedEmbeddings && i.embeddingType == "q8_0" && i.headType == "q6_k")
        // One Q8_0 row of 256 weights (8 blocks of 34 bytes), the Q4_0 weight, the whole Q6_K head.
        #expect(i.bytesPerTokenBreakdown == .init(ternary: 0, head: 2100, embeddingRow: 272, other: 36864))
        #expect(i.bytesPerToken == 272 + 36864 + 2100)
        #expect(i.parameters == 2560 + 65536 + 2560)
    }
}
