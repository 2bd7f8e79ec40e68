import GGUF

/// A weight tensor encoding the engine can multiply with, identified by its ggml type id.
/// Id 36 is I2_S as the Microsoft bitnet.cpp fork writes it (mainline ggml removed that id); 38/39 are the fork's
/// TL1/TL2. BitNet.rs stores BitNet32-F16 under id 36 too: the GGUF layer tells the two apart, and the engine
/// gives BitNet32-F16 the private id 100036 (never written to a file).
public enum WeightFormat: UInt32, Sendable, CaseIterable, Codable {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q8_0 = 8, q6_K = 14, iq2_s = 22, bf16 = 30, tq1_0 = 34, tq2_0 = 35, i2_s = 36
    case tl1 = 38, tl2 = 39, bitnet32_f16 = 100_036

    public var name: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q8_0: "Q8_0"
        case .q6_K: "Q6_K"
        case .iq2_s: "IQ2_S"
        case .bf16: "BF16"
        case .tq1_0: "TQ1_0"
        case .tq2_0: "TQ2_0"
        case .i2_s: "I2_S"
        case .tl1: "TL1"
        case .tl2: "TL2"
        case .bitnet32_f16: "BitNet32-F16"
        }
    }

    /// The GGUF layer's format of the same name.
    public var tensorFormat: TensorFormat {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .q4_0: .q4_0
        case .q4_1: .q4_1
        case .q8_0: .q8_0
        case .q6_K: .q6_k
        case .iq2_s: .iq2_s
        case .bf16: .bf16
        case .tq1_0: .tq1_0
        case .tq2_0: .tq2_0
        case .i2_s: .i2_s
        case .tl1: .tl1
        case .tl2: .tl2
        case .bitnet32_f16: .bitnet32_f16
        }
    }

    /// The engine format of a resolved GGUF format, if the engine runs it.
    public init?(_ format: TensorFormat) {
        guard let f = WeightFormat.allCases.first(where: { $0.tensorFormat == format }) else { return nil }
        self = f
    }

    /// Weights per block (I2_S packs rows in blocks of its interleave, checked separately; TL1/TL2 tile whole
    /// matrices and are repacked to I2_S at load).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q4_0, .q4_1, .q8_0, .bitnet32_f16: 32
        case .q6_K, .tq1_0, .tq2_0, .iq2_s: 256
        case .i2_s, .tl1, .tl2: 4
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
        case .iq2_s: 82
        case .tq1_0: 54
        case .tq2_0: 66
        case .bitnet32_f16: 10
        case .i2_s, .tl1, .tl2: 1
        }
    }

    public var isTernary: Bool { [.i2_s, .tq1_0, .tq2_0, .tl1, .tl2, .bitnet32_f16].contains(self) }

    /// Bytes of one row of `n` weights (n must be a multiple of `blockSize`; not meaningful for TL2).
    public func rowBytes(_ n: Int) -> Int { n / blockSize * blockBytes }

    /// Bytes of a whole tensor with rows of `n` weights: I2_S and TL1 add their 32-byte scale tail; TL2 has the
    /// bitnet.cpp fork's size rule (see `TensorSizeRule.tl2`).
    public func tensorBytes(rowLength n: Int, rows: Int) -> Int {
        switch self {
        case .i2_s, .tl1: rowBytes(n) * rows + 32
        case .tl2: TensorFormat.tl2.traits.byteSize(elements: n * rows, rowLength: n) ?? Int.max
        default: rowBytes(n) * rows
        }
    }
}
