import Foundation

/// One weight matrix [rows × cols] (cols contiguous) with the dot kernel its type and the parity mode select.
/// `apply` computes out[r] = W[r]·x for a range of rows; `Transformer` splits rows across threads.
public struct MatVec: @unchecked Sendable {
    public let name: String
    public let format: WeightFormat
    public let activation: ActivationFormat
    public let rows: Int
    public let cols: Int
    let data: UnsafeRawPointer
    let rowBytes: Int
    let interleave: Int
    /// I2_S per-tensor scale β (1 for the other types).
    let tensorScale: Float
    /// The kernel id recorded in the counters.
    public let kernelID: String

    init(name: String, format: WeightFormat, rows: Int, cols: Int, data: UnsafeRawPointer, interleave: Int, parity: Parity) {
        self.name = name
        self.format = format
        self.rows = rows
        self.cols = cols
        self.data = data
        self.rowBytes = format == .i2_s ? cols / 4 : format.rowBytes(cols)
        self.interleave = interleave
        self.activation = parity.activation(for: format)
        self.tensorScale = format == .i2_s ? data.loadUnaligned(fromByteOffset: rows * cols / 4, as: Float.self) : 1
        self.kernelID = KernelID.reference(format, activation)
    }

    /// out[r] for r in `range`.
    func apply(_ x: QuantizedRow, _ out: UnsafeMutablePointer<Float>, rows range: Range<Int>) {
        precondition(x.format == activation && x.count == cols)
        let scratch = UnsafeMutablePointer<Int8>.allocate(capacity: max(cols, 256))
        defer { scratch.deallocate() }
        for r in range {
            out[r] = DotKernels.dot(format, data + r * rowBytes, x, interleave: interleave, tensorScale: tensorScale,
                                    scratch: scratch)
        }
    }

    /// Dequantizes row `r` (embedding lookup).
    func row(_ r: Int, into y: UnsafeMutablePointer<Float>) {
        RowDequantizer.row(format, data + r * rowBytes, count: cols, interleave: interleave, tensorScale: tensorScale, into: y)
    }
}
