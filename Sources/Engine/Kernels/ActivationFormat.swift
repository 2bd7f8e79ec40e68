/// How a matmul input row is encoded before the dot products.
public enum ActivationFormat: String, Sendable, Codable {
    /// One int8 code per value, one f32 scale for the whole row (bitnet.cpp I8_S).
    case int8PerToken = "i8_s"
    /// llama.cpp Q8_K: 256-value blocks, f32 scale, block sums.
    case q8_K = "q8_K"
    /// llama.cpp Q8_0: 32-value blocks, f16 scale.
    case q8_0 = "q8_0"
    /// llama.cpp Q8_1: 32-value blocks, f16 scale and f16 scaled sum.
    case q8_1 = "q8_1"
    /// The row rounded to f16.
    case f16 = "f16"
    /// The row rounded to bf16.
    case bf16 = "bf16"
    /// Plain f32.
    case f32 = "f32"
}

/// Which engine's activation numerics to reproduce.
public enum Parity: String, Sendable, Codable {
    /// bitnet.cpp: every ternary type uses per-token int8; other types as llama.cpp.
    case bitnet = "bitnet.cpp"
    /// llama.cpp: every weight type uses its `vec_dot_type` (Q8_K for TQ1_0/TQ2_0).
    case llamaCpp = "llama.cpp"

    /// The activation encoding used against `weights`.
    public func activation(for weights: WeightFormat) -> ActivationFormat {
        switch weights {
        case .i2_s, .tl1, .tl2, .bitnet32_f16: .int8PerToken
        case .iq2_s: .q8_K
        case .tq1_0, .tq2_0: self == .llamaCpp ? .q8_K : .int8PerToken
        case .q6_K: .q8_K
        case .q8_0, .q4_0: .q8_0
        case .q4_1: .q8_1
        case .f16: .f16
        case .bf16: .bf16
        case .f32: .f32
        }
    }
}
