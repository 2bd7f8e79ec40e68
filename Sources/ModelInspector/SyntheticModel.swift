import GGUF

/// Random BitNet b1.58 models with real structure (`bitnet-doctor synth`). Deterministic for a seed;
/// the same seed gives the same ternary weights, scales, norms and embedding in every format, so the
/// engine can compare formats on identical weights. Writing streams tensor by tensor.
public enum SyntheticModel {
    public enum Shape: String, CaseIterable, Sendable {
        case tiny, m700 = "700m", b2_4t = "2b-4t", b3 = "3b"
    }

    public enum WeightFormat: String, CaseIterable, Sendable {
        case i2_s, tq2_0, tq1_0, tl1, tl2, bitnet32_f16 = "bitnet32-f16", iq2_s, f16, f32
        public var tensorFormat: TensorFormat {
            switch self {
            case .i2_s: .i2_s
            case .tq2_0: .tq2_0
            case .tq1_0: .tq1_0
            case .tl1: .tl1
            case .tl2: .tl2
            case .bitnet32_f16: .bitnet32_f16
            case .iq2_s: .iq2_s
            case .f16: .f16
            case .f32: .f32
            }
        }
        /// `general.file_type`: bitnet.cpp's TL1/TL2/I2_S are 38/39/40; TQ1_0/TQ2_0 are 36/37 in both llama.cpps;
        /// BitNet32-F16 has no published value (the key is left out); IQ2_S is llama.cpp's 28.
        var fileType: UInt32? {
            switch self {
            case .i2_s: 40
            case .tq1_0: 36
            case .tq2_0: 37
            case .tl1: 38
            case .tl2: 39
            case .bitnet32_f16: nil
            case .iq2_s: 28
            case .f16: 1
            case .f32: 0
            }
        }
        /// Quantized layer weights (everything but F16/F32); all but IQ2_S store the ternary values exactly.
        var isTernary: Bool { self != .f16 && self != .f32 }
    }

    /// Type of `token_embd.weight` (also the head: synthetic models tie it).
    public enum EmbeddingFormat: String, CaseIterable, Sendable {
        case f16, q8_0, q6_k, f32
        public var tensorFormat: TensorFormat {
            switch self {
            case .f16: .f16
            case .q8_0: .q8_0
            case .q6_k: .q6_k
            case .f32: .f32
            }
        }
    }

    public enum Architecture: String, CaseIterable, Sendable {
        case bitnetB158 = "bitnet-b1.58", bitnet
    }

    public struct Dimensions: Sendable, Equatable {
        public var layers, hidden, ffn, heads, kvHeads, vocab, context: Int
        public var ropeBase: Float
        public var eps: Float
        public var headDim: Int { hidden / heads }
    }

    public struct Options: Sendable {
        public var shape: Shape
        public var format: WeightFormat
        public var architecture: Architecture
        /// A vocab-only GGUF whose `tokenizer.*` keys are copied.
        public var vocabPath: String?
        public var seed: UInt64
        public var i2sInterleave: Int
        /// nil: F16 (F32 for `format` f32).
        public var embedding: EmbeddingFormat?
        /// TL1/TL2 tile configuration for shapes without a published preset (nil: a common one that tiles).
        public var tlConfig: TLConfig?
        public init(shape: Shape = .tiny, format: WeightFormat = .i2_s, architecture: Architecture = .bitnetB158,
                    vocabPath: String? = nil, seed: UInt64 = 0, i2sInterleave: Int = 128,
                    embedding: EmbeddingFormat? = nil, tlConfig: TLConfig? = nil) {
            self.shape = shape; self.format = format; self.architecture = architecture
            self.vocabPath = vocabPath; self.seed = seed; self.i2sInterleave = i2sInterleave
            self.embedding = embedding; self.tlConfig = tlConfig
        }
        var embeddingFormat: EmbeddingFormat { embedding ?? (format == .f32 ? .f32 : .f16) }
    }

    /// Published shapes: tiny (tests), 700m and 3b (1bitLLM bitnet_b1_58-large / -3B), 2b-4t (Microsoft).
    public static func dimensions(_ s: Shape) -> Dimensions {
        switch s {
        case .tiny: Dimensions(layers: 2, hidden: 256, ffn: 512, heads: 4, kvHeads: 2, vocab: 0, context: 512, ropeBase: 10000, eps: 1e-5)
        case .m700: Dimensions(layers: 24, hidden: 1536, ffn: 4096, heads: 16, kvHeads: 16, vocab: 32002, context: 2048, ropeBase: 10000, eps: 1e-5)
        case .b2_4t: Dimensions(layers: 30, hidden: 2560, ffn: 6912, heads: 20, kvHeads: 5, vocab: 128_256, context: 4096, ropeBase: 500_000, eps: 1e-5)
        case .b3: Dimensions(layers: 26, hidden: 3200, ffn: 8640, heads: 32, kvHeads: 32, vocab: 32002, context: 2048, ropeBase: 10000, eps: 1e-5)
        }
    }

    /// The ternary values and scale β of a layer weight: what every format of the same seed stores.
    /// β is a multiple of 2^-16 near 1/sqrt(2/3 · fanIn), exactly representable in f16 and f32.
    public static func ternaryWeights(name: String, count: Int, fanIn: Int, seed: UInt64) -> (values: [Int8], scale: Float) {
        var rng = SynthRandom(seed: seed, name: name)
        let target = (0.8 + 0.4 * rng.uniform()) / (Double(fanIn) * 2.0 / 3.0).squareRoot()
        let scale = HalfFloat.toFloat(HalfFloat.fromFloat(Float(target)))
        var values = [Int8](repeating: 0, count: count)
        rng.ternary(into: &values)
        return (values, scale)
    }

    /// Norm weights: realistic values around 1.
    public static func normWeights(name: String, count: Int, seed: UInt64) -> [Float] {
        var rng = SynthRandom(seed: seed, name: name)
        return (0 ..< count).map { _ in Float(1 + 0.1 * rng.normal()) }
    }

    /// Builds the writer (metadata and streaming tensor sources) without writing.
    public static func plan(_ o: Options) throws -> GGUFWriter {
        var d = dimensions(o.shape)
        var w = try GGUFWriter()
        let arch = o.architecture.rawValue
        var tokenizer: [(String, GGUFWriteValue)]
        if let vp = o.vocabPath {
            let vocab = try GGUFFile.open(vp)
            tokenizer = vocab.metadata.entries.filter { $0.key.hasPrefix("tokenizer.") }.map { ($0.key, GGUFWriteValue($0.value)) }
            guard let n = vocab.array("tokenizer.ggml.tokens")?.count, n > 0 else {
                throw GGUFError(.invalidArgument, at: nil, "\(vp) has no tokenizer.ggml.tokens")
            }
            d.vocab = n
        } else {
            tokenizer = BuiltinVocabulary.metadata(size: d.vocab == 0 ? nil : d.vocab)
            if d.vocab == 0 { d.vocab = BuiltinVocabulary.tokens().tokens.count }
        }
        let f = o.format
        if f == .tq1_0 || f == .tq2_0 || f == .iq2_s, d.hidden % 256 != 0 || d.ffn % 256 != 0 {
            throw GGUFError(.invalidArgument, at: nil, "shape \(o.shape.rawValue) (hidden \(d.hidden), ffn \(d.ffn)) is not a multiple of 256, which \(f.rawValue) needs; use i2_s, f16 or f32")
        }
        if f == .i2_s, d.hidden % o.i2sInterleave != 0 || d.ffn % o.i2sInterleave != 0 {
            throw GGUFError(.invalidArgument, at: nil, "shape \(o.shape.rawValue) is not a multiple of the I2_S block (\(o.i2sInterleave))")
        }
        let e = o.embeddingFormat.tensorFormat
        if d.hidden % e.traits.blockSize != 0 {
            throw GGUFError(.invalidArgument, at: nil, "shape \(o.shape.rawValue) (hidden \(d.hidden)) is not a multiple of \(e.traits.name)'s \(e.traits.blockSize)-weight block; choose another --embedding")
        }
        let tl = try tlConfigs(d, o)

        w.set("general.architecture", .string(arch))
        w.set("general.name", .string("synthetic \(o.shape.rawValue) \(f.rawValue) seed \(o.seed)"))
        if let ft = f.fileType { w.set("general.file_type", .uint32(ft)) }
        if f.isTernary || o.embeddingFormat == .q8_0 || o.embeddingFormat == .q6_k {
            w.set("general.quantization_version", .uint32(2))
        }
        w.set("\(arch).vocab_size", .uint32(UInt32(d.vocab)))
        w.set("\(arch).context_length", .uint32(UInt32(d.context)))
        w.set("\(arch).embedding_length", .uint32(UInt32(d.hidden)))
        w.set("\(arch).block_count", .uint32(UInt32(d.layers)))
        w.set("\(arch).feed_forward_length", .uint32(UInt32(d.ffn)))
        w.set("\(arch).rope.dimension_count", .uint32(UInt32(d.headDim)))
        w.set("\(arch).attention.head_count", .uint32(UInt32(d.heads)))
        w.set("\(arch).attention.head_count_kv", .uint32(UInt32(d.kvHeads)))
        w.set("\(arch).rope.freq_base", .float32(d.ropeBase))
        w.set("\(arch).attention.layer_norm_rms_epsilon", .float32(d.eps))
        w.set("bitnet_doctor.synth.shape", .string(o.shape.rawValue))
        w.set("bitnet_doctor.synth.seed", .uint64(o.seed))
        if f == .i2_s { w.set(ModelInspector.i2sInterleaveKey, .uint32(UInt32(o.i2sInterleave))) }
        if !tl.isEmpty { Conversion.recordTL(&w, tl) }
        for (k, v) in tokenizer { w.set(k, v) }

        try addTensors(&w, d, o, tl)
        return w
    }

    /// The ternary weight shapes (rows = ne1, cols = ne0) of a shape.
    static func weightShapes(_ d: Dimensions) -> Set<Conversion.TLShape> {
        let kv = d.kvHeads * d.headDim
        return [.init(rows: d.hidden, cols: d.hidden), .init(rows: kv, cols: d.hidden), .init(rows: d.ffn, cols: d.hidden),
                .init(rows: d.hidden, cols: d.ffn)]
    }

    /// TL formats: a configuration per weight shape (preset, `--tl-config`, or a common one that tiles it).
    static func tlConfigs(_ d: Dimensions, _ o: Options) throws -> [Conversion.TLShape: TLConfig] {
        guard o.format == .tl1 || o.format == .tl2 else { return [:] }
        var out = [Conversion.TLShape: TLConfig]()
        for s in weightShapes(d) {
            guard let c = TLConfig.resolve(o.format.tensorFormat, rows: s.rows, cols: s.cols, fallback: o.tlConfig) else {
                throw GGUFError(.invalidArgument, at: nil, "no \(o.format.tensorFormat.traits.name) tile configuration \(o.tlConfig.map { "(--tl-config \($0)) " } ?? "")tiles the \(s.rows)×\(s.cols) weights of shape \(o.shape.rawValue)")
            }
            out[s] = c
        }
        return out
    }

    /// Writes the model to `path`. `progress(done, total)` reports data bytes written.
    public static func write(to path: String, options: Options, progress: ((Int, Int) -> Void)? = nil) throws {
        try plan(options).write(to: path, progress: progress)
    }
}
