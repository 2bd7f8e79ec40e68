/// Every tensor data layout the project knows, independent of the (colliding) numeric ids files use.
/// Raw values are stable lower-case names used in JSON and on the command line.
public enum TensorFormat: String, Sendable, Codable, CaseIterable {
    case f32, f16, q4_0, q4_1, q5_0, q5_1, q8_0, q8_1
    case q2_k, q3_k, q4_k, q5_k, q6_k, q8_k
    case iq2_xxs, iq2_xs, iq3_xxs, iq1_s, iq4_nl, iq3_s, iq2_s, iq4_xs
    case i8, i16, i32, i64, f64, iq1_m, bf16
    case q4_0_4_4, q4_0_4_8, q4_0_8_8
    case tq1_0, tq2_0
    case iq4_nl_4_4, iq4_nl_4_8, iq4_nl_8_8
    case mxfp4, nvfp4, q1_0
    /// Microsoft bitnet.cpp fork (ids 36–39 there).
    case i2_s, i8_s, tl1, tl2
    /// BitNet.rs layout stored under id 36: 32-weight blocks of 8 code bytes + f16 scale.
    case bitnet32_f16

    /// The traits row for this format.
    public var traits: TensorTypeTraits { TensorTypeTraits.table[self]! }
}

/// Where a type id comes from.
public enum TensorTypeOrigin: String, Sendable, Codable {
    /// Current mainline ggml / llama.cpp.
    case mainline
    /// An id mainline ggml once defined and then removed (repacked CPU types).
    case mainlineRemoved = "mainline_removed"
    /// Microsoft's bitnet.cpp fork of llama.cpp (Eddie-Wang1120/llama.cpp).
    case bitnetFork = "bitnet_fork"
    /// BitNet.rs, recognised only by its size signature.
    case bitnetRs = "bitnet_rs"
}

/// How a tensor's byte size follows from its element count.
public enum TensorSizeRule: Sendable, Hashable {
    /// `elements / blockSize * bytesPerBlock`, with `dims[0]` a multiple of the block size.
    case blocks
    /// bitnet.cpp I2_S and TL1: `elements / 4 + 32` (2-bit codes or 4-bit pair indices, then a 32-byte
    /// tail holding the f32 scale). The fork's ggml_nbytes.
    case i2s
    /// bitnet.cpp TL2 (fork's ggml_nbytes): `(ne0 − 256)·ne1/3·5/8 + 256·ne1/2·4/8` bytes (three weights in
    /// 5 bits, the last 256 columns two weights in 4 bits), rounded up to 32, plus 32 (scale); ne0 ≥ 256.
    case tl2
}
