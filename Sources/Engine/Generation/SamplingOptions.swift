/// How the next token is chosen.
public struct SamplingOptions: Sendable, Codable, Equatable {
    /// Greedy (argmax, lowest id on ties) when true; otherwise temperature / top-k / top-p with `seed`.
    public var greedy: Bool = true
    public var temperature: Float = 0.8
    /// 0 = no top-k cut.
    public var topK: Int = 40
    /// 1 = no top-p cut.
    public var topP: Float = 0.95
    public var seed: UInt64 = 0
    public init() {}

    public static func greedyDecoding() -> SamplingOptions { SamplingOptions() }
}
