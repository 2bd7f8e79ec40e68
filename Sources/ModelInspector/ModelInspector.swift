import GGUF

/// Inspects a GGUF model from its header and tensor infos only (no tensor data is read, except the
/// few sampled pages of the identity hash).
public enum ModelInspector {
    /// Engine names used as keys of `compatibility`.
    public static let engines = ["bitnet_doctor", "bitnet_cpp", "llama_cpp", "bitnet_rs"]

    /// Metadata key our writer uses to record the I2_S interleave (not part of any other tool's schema).
    public static let i2sInterleaveKey = "bitnet_doctor.i2_s.interleave"

    public static func inspect(path: String) throws -> ModelInspection {
        inspect(try GGUFFile.open(path))
    }

    public static func inspect(_ f: GGUFFile) -> ModelInspection {
        let m = f.metadata
        let arch = m.architecture
        let shape = self.shape(f)
        let embd = f.tensor(named: "token_embd.weight")
        let output = f.tensor(named: "output.weight")
        let tied = output == nil && embd != nil

        var shares = [TensorFormat: ModelInspection.FormatShare]()
        var parameters = 0
        for t in f.tensors {
            parameters += t.elementCount
            let tr = t.type
            var s = shares[tr.format] ?? .init(type: tr.format.rawValue, name: tr.name, description: tr.summary, tensors: 0, bytes: 0, parameters: 0)
            s.tensors += 1; s.bytes += t.byteCount; s.parameters += t.elementCount
            shares[tr.format] = s
        }
        let formats = shares.values.sorted { ($0.bytes, $1.type) > ($1.bytes, $0.type) }

        let layerWeights = f.tensors.filter { $0.name.hasPrefix("blk.") && $0.dims.count >= 2 }
        let ternary = layerWeights.filter { $0.type.isTernary }
        let ternaryFormat = mostCommon(ternary.map(\.type.format))
        let interleave = i2sInterleave(f)

        let headTensor = output ?? embd
        var bpt = ModelInspection.BytesPerToken(ternary: 0, head: headTensor?.byteCount ?? 0, embeddingRow: 0, other: 0)
        if let embd, output != nil {
            bpt.embeddingRow = embd.type.byteSize(elements: embd.dims[0], rowLength: embd.dims[0]) ?? 0
        }
        for t in f.tensors where t.name != embd?.name && t.name != output?.name {
            if t.type.isTernary { bpt.ternary += t.byteCount } else { bpt.other += t.byteCount }
        }

        var inspection = ModelInspection(
            architecture: arch, name: m.string("general.name"), shape: shape, parameters: parameters,
            formats: formats, ternaryFormat: ternaryFormat?.rawValue,
            ternaryDescription: ternaryFormat.map { describe($0, interleave: interleave) },
            i2sInterleave: f.tensors.contains { $0.type.format == .i2_s } ? interleave.map(String.init) ?? "unknown" : nil,
            embeddingType: embd?.type.format.rawValue, headType: headTensor?.type.format.rawValue,
            tiedEmbeddings: tied,
            bytesPerToken: bpt.ternary + bpt.head + bpt.embeddingRow + bpt.other, bytesPerTokenBreakdown: bpt,
            tokenizer: tokenizer(m), chatTemplate: m.contains("tokenizer.chat_template"),
            fileType: m.uint("general.file_type"),
            file: .init(path: f.path, sizeBytes: f.fileSize, identity: IdentityHash.of(f), ggufVersion: Int(f.version),
                        alignment: f.alignment, tensorCount: f.tensors.count, metadataCount: m.count,
                        dialect: f.dialect.rawValue, dialectReason: f.dialectReason),
            compatibility: [:], warnings: [])
        let tl = ternary.filter { $0.type.format == .tl1 || $0.type.format == .tl2 }
        if !tl.isEmpty {
            inspection.tlScale = tl.contains { $0.scaleTensor != nil } ? "tensor" : "tail"
            inspection.tlConfigs = tlConfigs(f, tl)
        }
        inspection.compatibility = Compatibility.verdicts(f, inspection)
        inspection.warnings = Warnings.of(f, inspection)
        return inspection
    }

    /// Each distinct TL1/TL2 weight shape with its configuration: recorded in the file, else a published preset.
    static func tlConfigs(_ f: GGUFFile, _ tl: [GGUFTensorInfo]) -> [ModelInspection.TLConfigEntry] {
        let recorded = Conversion.Plan.recordedTL(f)
        var seen = Set<String>(), out = [ModelInspection.TLConfigEntry]()
        for t in tl where t.dims.count >= 2 {
            let format = t.type.format, rows = t.dims[1], cols = t.dims[0]
            guard seen.insert("\(format.rawValue) \(rows) \(cols)").inserted else { continue }
            let presets = format == .tl1 ? TLConfig.presetsTL1 : TLConfig.presetsTL2
            let preset = presets.first { $0.rows == rows && $0.cols == cols }
            let (c, source): (TLConfig?, String) = if let r = recorded[Conversion.TLShape(rows: rows, cols: cols)] { (r, "recorded") }
                else if let p = preset { (p.config, "preset \(p.model)") } else { (nil, "none") }
            out.append(.init(format: format.rawValue, rows: rows, cols: cols, bm: c?.bigM, bk: c?.bigK, bmm: c?.smallM, source: source))
        }
        return out
    }

    /// "I2_S (bitnet.cpp, 128-weight interleave, …)" with the interleave when it is known to differ.
    static func describe(_ format: TensorFormat, interleave: Int?) -> String {
        if format == .i2_s, interleave == 64 { return "I2_S (bitnet.cpp, 64-weight interleave (ARM converter), per-tensor f32 scale)" }
        return format.traits.summary
    }

    static func i2sInterleave(_ f: GGUFFile) -> Int? {
        if let v = f.uint(i2sInterleaveKey), v == 64 || v == 128 { return Int(v) }
        return nil
    }

    static func mostCommon(_ xs: [TensorFormat]) -> TensorFormat? {
        var counts = [TensorFormat: Int]()
        for x in xs { counts[x, default: 0] += 1 }
        return counts.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key
    }

    static func shape(_ f: GGUFFile) -> ModelInspection.Shape {
        let m = f.metadata
        func u(_ k: String) -> Int? { m.archUInt(k).flatMap { Int(exactly: $0) } }
        let hidden = u("embedding_length")
        let heads = u("attention.head_count")
        var ffn = u("feed_forward_length")
        if ffn == nil, let a = m.architecture, let arr = m.intArray("\(a).feed_forward_length") { ffn = arr.first.map(Int.init) }
        var headDim = u("attention.key_length")
        if headDim == nil, let h = hidden, let n = heads, n > 0 { headDim = h / n }
        let vocab = u("vocab_size") ?? m.array("tokenizer.ggml.tokens")?.count ?? f.tensor(named: "token_embd.weight")?.dims.last
        return .init(layers: u("block_count"), hidden: hidden, ffn: ffn, heads: heads,
                     kvHeads: u("attention.head_count_kv") ?? heads, headDim: headDim, vocab: vocab,
                     context: u("context_length"), ropeBase: m.archFloat("rope.freq_base"),
                     ropeDims: u("rope.dimension_count"), eps: m.archFloat("attention.layer_norm_rms_epsilon"))
    }

    static func tokenizer(_ m: GGUFMetadata) -> ModelInspection.Tokenizer {
        func i(_ k: String) -> Int? { m.int(k).flatMap { Int(exactly: $0) } }
        return .init(model: m.string("tokenizer.ggml.model"), pre: m.string("tokenizer.ggml.pre"),
                     hasPre: m.contains("tokenizer.ggml.pre"), vocabSize: m.array("tokenizer.ggml.tokens")?.count,
                     merges: m.array("tokenizer.ggml.merges")?.count, bos: i("tokenizer.ggml.bos_token_id"),
                     eos: i("tokenizer.ggml.eos_token_id"), addBos: m.bool("tokenizer.ggml.add_bos_token"),
                     addEos: m.bool("tokenizer.ggml.add_eos_token"))
    }
}
