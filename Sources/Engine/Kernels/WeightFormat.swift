/// A weight tensor encoding the engine can multiply with, identified by its ggml type id.
/// Id 36 is I2_S as the Microsoft bitnet.cpp fork writes it (mainline ggml removed that id).
public enum WeightFormat: UInt32, Sendable, CaseIterable, Codable {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q8_0 = 8, q6_K = 14, bf16 = 30, tq1_0 = 34, tq2_0 = 35, i2_s = 36

    public var name: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q8_0: "Q8_0"
        case .q6_K: "Q6_K"
        case .bf16: "BF16"
        case .tq1_0: "TQ1_0"
        case .tq2_0: "TQ2_0"
        case .i2_s: "I2_S"
        }
    }

    /// Weights per block (I2_S packs rows in blocks of its interleave, checked separately).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q4_0, .q4_1, .q8_0: 32
        case .q6_K, .tq1_0, .tq2_0: 256
        case .i2_s: 4
        }
    }

    /// Bytes per block.
    public var blockBytes: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q4_0: 18
        case .q4_1: 20
        case .q8_0: 34
        case .q6_K: 210
        case .tq1_0: 54
        case .tq2_0: 66
        case .i2_s: 1
        }
    }

    public var isTernary: Bool { self == .i2_s || self == .tq1_0 || self == .tq2_0 }

    /// Bytes of one row of `n` weights (n must be a multiple of `blockSize`).
    public func rowBytes(_ n: Int) -> Int { n / blockSize * blockBytes }

    /// Bytes of a whole tensor with rows of `n` weights: I2_S adds its 32-byte scale tail.
    public func tensorBytes(rowLength n: Int, rows: Int) -> Int {
        rowBytes(n) * rows + (self == .i2_s ? 32 : 0)
    }
}
