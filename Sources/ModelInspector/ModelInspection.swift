import GGUF

/// What `bitnet-doctor inspect` knows about a model. Encodes to the JSON documented in
/// docs/inspect-schema.md (snake_case keys, stable); this is the `model` subtree the rules read.
public struct ModelInspection: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int = ModelInspection.currentSchemaVersion
    public var architecture: String?
    public var name: String?
    public var shape: Shape
    /// Distinct weights (a tied embedding counted once).
    public var parameters: Int
    /// Bytes per tensor type, largest first.
    public var formats: [FormatShare]
    /// The layout of the ternary layer weights (`i2_s`, `tq2_0`, …), nil if none are ternary.
    public var ternaryFormat: String?
    /// The same in words.
    public var ternaryDescription: String?
    /// I2_S block interleave: "128", "64" or "unknown" (nil when the model has no I2_S tensors).
    public var i2sInterleave: String?
    /// TL1/TL2 only: where the scales are: "tail" (in each tensor: bitnet.cpp's and our files) or "tensor"
    /// (separate `<name>_scale` F32 tensors).
    public var tlScale: String?
    /// TL1/TL2 only: the tile configuration each weight shape decodes with, and where it comes from.
    public var tlConfigs: [TLConfigEntry]?
    /// Only with `inspect --probe-interleave` on a model with I2_S tensors: how the interleave was decided.
    public var i2sInterleaveProbe: InterleaveProbeReport?
    public var embeddingType: String?
    /// The output head's type: `output.weight`, or the embedding when tied.
    public var headType: String?
    public var tiedEmbeddings: Bool
    /// Bytes read from memory to decode one token: every layer weight, the head, one embedding row.
    public var bytesPerToken: Int
    public var bytesPerTokenBreakdown: BytesPerToken
    public var tokenizer: Tokenizer
    public var chatTemplate: Bool
    public var fileType: UInt64?
    public var file: FileFacts
    public var compatibility: [String: Verdict]
    public var warnings: [Warning]
    /// Only with `inspect --tensors`.
    public var tensors: [TensorEntry]?
    /// Only with `inspect --kv`: every metadata key with its type and a printable value.
    public var metadata: [MetadataEntry]?

    public struct TensorEntry: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        public var typeId: UInt32
        public var dims: [Int]
        public var bytes: Int
        public var offset: Int
        enum CodingKeys: String, CodingKey { case name, type, dims, bytes, offset, typeId = "type_id" }
    }

    /// One TL1/TL2 weight shape (M rows = ne1, K columns = ne0) and its tile configuration: `source` is
    /// "recorded" (bitnet_doctor.tl.* keys), "preset <model>" (a published bitnet.cpp preset, by shape) or "none"
    /// (then `bm`, `bk`, `bmm` are nil: the file cannot be decoded without `--tl-config`).
    public struct TLConfigEntry: Codable, Sendable, Equatable {
        public var format: String
        public var rows: Int
        public var cols: Int
        public var bm: Int?
        public var bk: Int?
        public var bmm: Int?
        public var source: String
    }

    public struct MetadataEntry: Codable, Sendable, Equatable {
        public var key: String
        public var type: String
        public var value: String
    }

    public struct Shape: Codable, Sendable, Equatable {
        public var layers: Int?
        public var hidden: Int?
        public var ffn: Int?
        public var heads: Int?
        public var kvHeads: Int?
        public var headDim: Int?
        public var vocab: Int?
        public var context: Int?
        public var ropeBase: Double?
        public var ropeDims: Int?
        public var eps: Double?
        enum CodingKeys: String, CodingKey {
            case layers, hidden, ffn, heads, vocab, context, eps
            case kvHeads = "kv_heads", headDim = "head_dim", ropeBase = "rope_base", ropeDims = "rope_dims"
        }
    }

    public struct FormatShare: Codable, Sendable, Equatable {
        /// Stable lower-case type name (`TensorFormat` raw value).
        public var type: String
        public var name: String
        public var description: String
        public var tensors: Int
        public var bytes: Int
        public var parameters: Int
    }

    public struct BytesPerToken: Codable, Sendable, Equatable {
        public var ternary: Int
        public var head: Int
        public var embeddingRow: Int
        public var other: Int
        enum CodingKeys: String, CodingKey { case ternary, head, other, embeddingRow = "embedding_row" }
    }

    public struct Tokenizer: Codable, Sendable, Equatable {
        public var model: String?
        public var pre: String?
        public var hasPre: Bool
        public var vocabSize: Int?
        public var merges: Int?
        public var bos: Int?
        public var eos: Int?
        public var addBos: Bool?
        public var addEos: Bool?
        enum CodingKeys: String, CodingKey {
            case model, pre, merges, bos, eos
            case hasPre = "has_pre", vocabSize = "vocab_size", addBos = "add_bos", addEos = "add_eos"
        }
    }

    public struct FileFacts: Codable, Sendable, Equatable {
        public var path: String?
        public var sizeBytes: Int
        /// Fast identity: FNV-1a 64 over the header, metadata, tensor infos and sampled tensor data.
        public var identity: String
        public var ggufVersion: Int
        public var alignment: Int
        public var tensorCount: Int
        public var metadataCount: Int
        /// Meaning of the colliding type ids 36–39: `mainline` or `bitnet_fork`, and why.
        public var dialect: String
        public var dialectReason: String
        enum CodingKeys: String, CodingKey {
            case path, identity, alignment, dialect
            case sizeBytes = "size_bytes", ggufVersion = "gguf_version", tensorCount = "tensor_count"
            case metadataCount = "metadata_count", dialectReason = "dialect_reason"
        }
    }

    /// The I2_S interleave decision (`InterleaveProbe` in the engine): `method` "metadata" (our key is in the
    /// file; nothing ran) or "perplexity" (the probe text was run under each candidate; lower perplexity wins).
    public struct InterleaveProbeReport: Codable, Sendable, Equatable {
        public var chosen: Int
        /// Keyed by candidate ("128", "64"); empty for "metadata".
        public var perplexities: [String: Double]
        /// Predicted tokens of the probe text.
        public var tokens: Int
        public var method: String
        public init(chosen: Int, perplexities: [String: Double], tokens: Int, method: String) {
            self.chosen = chosen; self.perplexities = perplexities; self.tokens = tokens; self.method = method
        }
    }

    public struct Verdict: Codable, Sendable, Equatable {
        public var ok: Bool
        public var reason: String
    }

    public struct Warning: Codable, Sendable, Equatable {
        public var id: String
        public var message: String
    }

    enum CodingKeys: String, CodingKey {
        case architecture, name, shape, parameters, formats, tokenizer, file, compatibility, warnings
        case schemaVersion = "schema_version", ternaryFormat = "ternary_format"
        case ternaryDescription = "ternary_description", i2sInterleave = "i2s_interleave"
        case i2sInterleaveProbe = "i2s_interleave_probe", tlScale = "tl_scale", tlConfigs = "tl_configs"
        case embeddingType = "embedding_type", headType = "head_type", tiedEmbeddings = "tied_embeddings"
        case bytesPerToken = "bytes_per_token", bytesPerTokenBreakdown = "bytes_per_token_breakdown"
        case chatTemplate = "chat_template", fileType = "file_type", tensors, metadata
    }
}
