import Foundation

/// A loaded model: configuration, weights mapped from the file, tokenizer. Create with `Model.load(url:options:)`.
public final class Model: @unchecked Sendable {
    public let config: ModelConfig
    public let options: ModelOptions
    public let source: ModelSource
    public let tokenizer: TextTokenizer?
    let weights: ModelWeights
    /// Milliseconds spent in `load`.
    public let loadMilliseconds: Double
    /// Tensor formats present (weight type names, sorted).
    public let formats: [String]
    /// The dominant format of the transformer-block matrices.
    public let blockFormat: String
    /// Parameter count (elements of every tensor).
    public let parameters: Int
    /// Bytes read per decoded token: every block matrix, the output matrix, one embedding row.
    public let bytesPerToken: Int
    /// The KV cache size in positions.
    public let contextSize: Int

    init(config: ModelConfig, options: ModelOptions, source: ModelSource, tokenizer: TextTokenizer?, weights: ModelWeights,
         loadMilliseconds: Double, formats: [String], blockFormat: String, parameters: Int, bytesPerToken: Int, contextSize: Int) {
        self.config = config; self.options = options; self.source = source; self.tokenizer = tokenizer
        self.weights = weights; self.loadMilliseconds = loadMilliseconds; self.formats = formats
        self.blockFormat = blockFormat; self.parameters = parameters; self.bytesPerToken = bytesPerToken
        self.contextSize = contextSize
    }

    /// The kernel ids this model's matrices dispatch to.
    public var plannedKernels: [String] {
        Array(Set(weights.layers.flatMap { $0.matrices.map(\.kernelID) } + [weights.output.kernelID])).sorted()
    }
}

/// Text ↔ token ids, as the model's tokenizer defines them.
public protocol TextTokenizer: Sendable {
    func encode(_ text: String) throws -> [Int]
    /// The bytes of one token (streaming detokenization joins them and emits complete UTF-8).
    func tokenBytes(_ id: Int) -> [UInt8]
    func isEndOfGeneration(_ id: Int) -> Bool
}
