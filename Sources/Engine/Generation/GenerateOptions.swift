/// One generation request.
public struct GenerateOptions: Sendable {
    public var maxTokens: Int = 32
    public var sampling = SamplingOptions()
    /// Stop when the tokenizer says a token ends generation.
    public var stopAtEndOfGeneration = true
    public init(maxTokens: Int = 32, sampling: SamplingOptions = SamplingOptions()) {
        self.maxTokens = maxTokens; self.sampling = sampling
    }
}

/// One streamed token: its id and the text it completes (empty while a UTF-8 sequence is incomplete).
public struct GeneratedToken: Sendable {
    public let id: Int
    public let text: String
    public let index: Int
}

/// What a generation produced, with its measurements.
public struct GenerationResult: Sendable {
    public let promptTokens: [Int]
    public let generatedTokens: [Int]
    public let text: String
    public let prefillMilliseconds: Double
    /// One entry per forward pass of a generated token (the last sampled token is not fed back).
    public let decodeMilliseconds: [Double]
    /// Kernel id → calls during this generation.
    public let kernelCalls: [String: Int]
    public let sampling: SamplingOptions
    public let tokensRequested: Int
    /// `--head screened`: candidate rows per screened token and fallbacks to the whole exact head (nil otherwise).
    public var headScreening: HeadScreenStats? = nil
}
