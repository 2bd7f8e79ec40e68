extension TensorTypeTraits {
    private static func row(_ id: UInt32, _ f: TensorFormat, _ name: String, _ bs: Int, _ bpb: Int,
                            o origin: TensorTypeOrigin = .mainline, rule: TensorSizeRule = .blocks,
                            ternary: Bool = false, _ summary: String) -> TensorTypeTraits {
        TensorTypeTraits(id: id, format: f, name: name, blockSize: bs, bytesPerBlock: bpb, sizeRule: rule,
                         origin: origin, isTernary: ternary, summary: summary)
    }

    /// Every known layout. Sources: ggml-org/ggml ggml.h + ggml-common.h (mainline, ids 0–41),
    /// Eddie-Wang1120/llama.cpp ggml.h (bitnet.cpp fork, ids 36–39), BitNet.rs (BitNet32-F16).
    public static let all: [TensorTypeTraits] = [
        row(0, .f32, "F32", 1, 4, "F32 (32-bit float)"),
        row(1, .f16, "F16", 1, 2, "F16 (16-bit float)"),
        row(2, .q4_0, "Q4_0", 32, 18, "Q4_0 (4-bit, 32-weight blocks, f16 scale)"),
        row(3, .q4_1, "Q4_1", 32, 20, "Q4_1 (4-bit, 32-weight blocks, f16 scale and minimum)"),
        row(6, .q5_0, "Q5_0", 32, 22, "Q5_0 (5-bit, 32-weight blocks)"),
        row(7, .q5_1, "Q5_1", 32, 24, "Q5_1 (5-bit, 32-weight blocks with minimum)"),
        row(8, .q8_0, "Q8_0", 32, 34, "Q8_0 (8-bit, 32-weight blocks, f16 scale)"),
        row(9, .q8_1, "Q8_1", 32, 36, "Q8_1 (8-bit activations with sum; not a storage type)"),
        row(10, .q2_k, "Q2_K", 256, 84, "Q2_K (2-bit k-quant)"),
        row(11, .q3_k, "Q3_K", 256, 110, "Q3_K (3-bit k-quant)"),
        row(12, .q4_k, "Q4_K", 256, 144, "Q4_K (4-bit k-quant)"),
        row(13, .q5_k, "Q5_K", 256, 176, "Q5_K (5-bit k-quant)"),
        row(14, .q6_k, "Q6_K", 256, 210, "Q6_K (6-bit k-quant)"),
        row(15, .q8_k, "Q8_K", 256, 292, "Q8_K (8-bit k-quant activations; not a storage type)"),
        row(16, .iq2_xxs, "IQ2_XXS", 256, 66, "IQ2_XXS (2.06-bit i-quant)"),
        row(17, .iq2_xs, "IQ2_XS", 256, 74, "IQ2_XS (2.31-bit i-quant)"),
        row(18, .iq3_xxs, "IQ3_XXS", 256, 98, "IQ3_XXS (3.06-bit i-quant)"),
        row(19, .iq1_s, "IQ1_S", 256, 50, "IQ1_S (1.56-bit i-quant)"),
        row(20, .iq4_nl, "IQ4_NL", 32, 18, "IQ4_NL (4-bit non-linear)"),
        row(21, .iq3_s, "IQ3_S", 256, 110, "IQ3_S (3.44-bit i-quant)"),
        row(22, .iq2_s, "IQ2_S", 256, 82, "IQ2_S (2.5-bit i-quant with grid tables)"),
        row(23, .iq4_xs, "IQ4_XS", 256, 136, "IQ4_XS (4.25-bit non-linear)"),
        row(24, .i8, "I8", 1, 1, "I8 (8-bit integer)"),
        row(25, .i16, "I16", 1, 2, "I16 (16-bit integer)"),
        row(26, .i32, "I32", 1, 4, "I32 (32-bit integer)"),
        row(27, .i64, "I64", 1, 8, "I64 (64-bit integer)"),
        row(28, .f64, "F64", 1, 8, "F64 (64-bit float)"),
        row(29, .iq1_m, "IQ1_M", 256, 56, "IQ1_M (1.75-bit i-quant)"),
        row(30, .bf16, "BF16", 1, 2, "BF16 (bfloat16)"),
        row(31, .q4_0_4_4, "Q4_0_4_4", 32, 18, o: .mainlineRemoved, "Q4_0_4_4 (removed ARM repack of Q4_0)"),
        row(32, .q4_0_4_8, "Q4_0_4_8", 32, 18, o: .mainlineRemoved, "Q4_0_4_8 (removed ARM repack of Q4_0)"),
        row(33, .q4_0_8_8, "Q4_0_8_8", 32, 18, o: .mainlineRemoved, "Q4_0_8_8 (removed ARM repack of Q4_0)"),
        row(34, .tq1_0, "TQ1_0", 256, 54, ternary: true,
            "TQ1_0 (llama.cpp ternary, 1.69 bits/weight, base-3 packed 256-weight blocks, f16 scale)"),
        row(35, .tq2_0, "TQ2_0", 256, 66, ternary: true,
            "TQ2_0 (llama.cpp ternary, 2 bits/weight, 256-weight blocks, f16 scale)"),
        row(36, .iq4_nl_4_4, "IQ4_NL_4_4", 32, 18, o: .mainlineRemoved, "IQ4_NL_4_4 (removed repack of IQ4_NL)"),
        row(37, .iq4_nl_4_8, "IQ4_NL_4_8", 32, 18, o: .mainlineRemoved, "IQ4_NL_4_8 (removed repack of IQ4_NL)"),
        row(38, .iq4_nl_8_8, "IQ4_NL_8_8", 32, 18, o: .mainlineRemoved, "IQ4_NL_8_8 (removed repack of IQ4_NL)"),
        row(39, .mxfp4, "MXFP4", 32, 17, "MXFP4 (4-bit microscaling float, mainline)"),
        row(40, .nvfp4, "NVFP4", 64, 36, "NVFP4 (4-bit NVIDIA float, mainline)"),
        row(41, .q1_0, "Q1_0", 128, 18, "Q1_0 (1-bit, 128-weight blocks)"),
        row(36, .i2_s, "I2_S", 1, 1, o: .bitnetFork, rule: .i2s, ternary: true,
            "I2_S (bitnet.cpp, 128-weight interleave, per-tensor f32 scale)"),
        row(37, .i8_s, "I8_S", 1, 1, o: .bitnetFork, "I8_S (bitnet.cpp activation type; never a stored weight)"),
        row(38, .tl1, "TL1", 1, 1, o: .bitnetFork, rule: .i2s, ternary: true,
            "TL1 (bitnet.cpp lookup table; needs the kernel config it was converted with)"),
        row(39, .tl2, "TL2", 1, 1, o: .bitnetFork, rule: .tl2, ternary: true,
            "TL2 (bitnet.cpp lookup table; needs the kernel config it was converted with)"),
        row(36, .bitnet32_f16, "BitNet32-F16", 32, 10, o: .bitnetRs, ternary: true,
            "BitNet32-F16 (BitNet.rs: 32-weight blocks, 2-bit codes + inline f16 scale)"),
    ]

    /// Rows by format.
    public static let table: [TensorFormat: TensorTypeTraits] = Dictionary(uniqueKeysWithValues: all.map { ($0.format, $0) })

    /// All rows that use numeric id `id` (more than one for the colliding ids 36–39).
    public static func candidates(id: UInt32) -> [TensorTypeTraits] { all.filter { $0.id == id } }

    /// The traits of `format` (same as `format.traits`).
    public static func of(_ format: TensorFormat) -> TensorTypeTraits { format.traits }

    /// Ids whose meaning depends on who wrote the file.
    public static let collidingIDs: ClosedRange<UInt32> = 36 ... 39
}
