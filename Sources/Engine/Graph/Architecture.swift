/// The model graphs the engine runs.
public enum Architecture: String, Sendable, Codable, CaseIterable {
    case bitnetB158 = "bitnet-b1.58"
    case bitnet25 = "bitnet-25"
    case bitnet = "bitnet"
    case llama = "llama"

    /// BitNet graphs carry the attention and FFN sub-norms.
    public var hasSubNorms: Bool { self != .llama }
    /// RoPE pairs (i, i + d/2) for the BitNet graphs, (2i, 2i+1) for llama.
    public var ropeNeox: Bool { self != .llama }
    /// The FFN activation when the file does not name one.
    public var defaultActivation: FFNActivation { self == .bitnetB158 || self == .bitnet25 ? .reluSquared : .silu }
}

/// The gate activation of the FFN: act(gate) · up.
public enum FFNActivation: String, Sendable, Codable {
    case silu, reluSquared = "relu2", gelu

    /// Reads `<arch>.hidden_activation` values as llama.cpp names them.
    init?(metadataName: String) {
        switch metadataName.lowercased() {
        case "silu", "swish", "swiglu": self = .silu
        case "relu2", "relu_sqr", "relu_squared", "squared_relu", "relusqr": self = .reluSquared
        case "gelu", "gelu_new", "gelu_pytorch_tanh", "geglu": self = .gelu
        default: return nil
        }
    }
}
