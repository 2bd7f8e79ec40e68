/// One matmul input row in the encoding a weight type's dot product wants. Built once per input vector
/// and format, and shared by every matrix that reads the same input (q/k/v, gate/up).
public final class QuantizedRow: @unchecked Sendable {
    public let format: ActivationFormat
    public let count: Int
    /// Int8 codes (int8PerToken, q8_K, q8_0, q8_1).
    var codes: [Int8]
    /// Per-block scales (q8_K: f32; q8_0/q8_1: the f16 value widened); int8PerToken: one entry, s = 127/max.
    var scales: [Float]
    /// q8_1: the f16 value of d·Σq per block; q8_K: Σq per 16 values.
    var sums: [Float]
    /// f32/f16/bf16 rows (already rounded for f16/bf16).
    var values: [Float]

    /// CKernels block layout (ck_block_q8_K / q8_0 / q8_1), when the format has one.
    var blocks: UnsafeMutableRawPointer?
    /// int8PerToken: Σ of the codes.
    var codeSum: Int32 = 0

    init(format: ActivationFormat, count: Int) {
        self.format = format
        self.count = count
        codes = []; scales = []; sums = []; values = []
    }

    deinit { blocks?.deallocate() }
}
