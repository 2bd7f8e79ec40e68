/// Hyper-parameters of a model, read from GGUF metadata (`<arch>.*` keys).
public struct ModelConfig: Sendable, Codable, Equatable {
    public var architecture: Architecture
    public var embeddingLength: Int
    public var blockCount: Int
    public var feedForwardLength: Int
    public var headCount: Int
    public var headCountKV: Int
    public var contextLength: Int
    public var vocabSize: Int
    public var ropeDimensionCount: Int
    public var ropeFreqBase: Float
    public var rmsEpsilon: Float
    public var activation: FFNActivation

    public var headDim: Int { embeddingLength / headCount }
    public var kvDim: Int { headDim * headCountKV }

    /// Fills the configuration from metadata lookups; `vocabFallback` is the token count of the tokenizer.
    public init(metadata m: MetadataLookup, vocabFallback: Int?) throws {
        guard let name = m.string("general.architecture") else {
            throw EngineError(.missingMetadata, "general.architecture is missing")
        }
        guard let arch = Architecture(rawValue: name) else {
            throw EngineError(.unsupportedArchitecture,
                              "architecture '\(name)' is not supported (supported: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        func int(_ k: String) throws -> Int {
            guard let v = m.int("\(name).\(k)") else { throw EngineError(.missingMetadata, "\(name).\(k) is missing") }
            guard v > 0, v < 1 << 31 else { throw EngineError(.badMetadata, "\(name).\(k) = \(v) is out of range") }
            return Int(v)
        }
        architecture = arch
        embeddingLength = try int("embedding_length")
        blockCount = try int("block_count")
        feedForwardLength = try int("feed_forward_length")
        headCount = try int("attention.head_count")
        headCountKV = m.int("\(name).attention.head_count_kv").map(Int.init) ?? headCount
        contextLength = try int("context_length")
        vocabSize = m.int("\(name).vocab_size").map(Int.init) ?? vocabFallback ?? 0
        ropeFreqBase = Float(m.double("\(name).rope.freq_base") ?? 10000)
        guard let eps = m.double("\(name).attention.layer_norm_rms_epsilon") else {
            throw EngineError(.missingMetadata, "\(name).attention.layer_norm_rms_epsilon is missing")
        }
        rmsEpsilon = Float(eps)
        if let act = m.string("\(name).hidden_activation") {
            guard let a = FFNActivation(metadataName: act) else {
                throw EngineError(.badMetadata, "\(name).hidden_activation '\(act)' is not supported")
            }
            activation = a
        } else {
            activation = arch.defaultActivation
        }
        ropeDimensionCount = m.int("\(name).rope.dimension_count").map(Int.init) ?? 0
        try validate()
        if ropeDimensionCount == 0 { ropeDimensionCount = headDim }
    }

    private func validate() throws {
        guard embeddingLength % headCount == 0 else {
            throw EngineError(.badMetadata, "embedding_length \(embeddingLength) is not a multiple of head_count \(headCount)")
        }
        guard headCountKV > 0, headCount % headCountKV == 0 else {
            throw EngineError(.badMetadata, "head_count \(headCount) is not a multiple of head_count_kv \(headCountKV)")
        }
        guard headDim % 2 == 0, ropeDimensionCount <= headDim, ropeDimensionCount % 2 == 0 else {
            throw EngineError(.badMetadata, "rope.dimension_count \(ropeDimensionCount) does not fit head size \(headDim)")
        }
        guard vocabSize > 0 else { throw EngineError(.missingMetadata, "vocabulary size is unknown") }
    }
}

/// The metadata reads the engine needs; the GGUF module's metadata conforms.
public protocol MetadataLookup {
    func string(_ key: String) -> String?
    func int(_ key: String) -> Int64?
    func double(_ key: String) -> Double?
}
