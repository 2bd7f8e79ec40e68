import CKernels
import Foundation

/// One weight matrix [rows × cols] (cols contiguous) with the dot kernel its type and the parity mode select.
/// `apply` computes out[r] = W[r]·x for a range of rows through CKernels (which counts the kernel that ran);
/// the one Swift path, counted by the dispatcher under a `*_swift` id: I2_S with the 64-weight interleave whose rows
/// are not whole 128-weight groups (`DotKernels`; other 64 files are permuted to 128 at load).
public struct MatVec: @unchecked Sendable {
    public let name: String
    public let format: WeightFormat
    public let activation: ActivationFormat
    public let rows: Int
    public let cols: Int
    let data: UnsafeRawPointer
    private(set) var rowBytes: Int
    let interleave: Int
    /// I2_S per-tensor scale β (1 for the other types).
    let tensorScale: Float
    /// TQ1_0/TQ2_0: the one scale every non-zero block shares, when it does (then the per-token result is
    /// computed exactly like I2_S with β = d).
    let uniformScale: Float?
    /// Set when the Swift reference computes this matrix (its id is counted by the dispatcher).
    public let swiftKernelID: String?
    /// The int8 output head (`--head int8`): Q8_0 codes in `data` and block scales in `headScales` (the split layout
    /// of `Int8Head`) through `ck_q8_head_gemv` (not a parity path).
    var int8HeadKernel = false
    var headScales: UnsafePointer<UInt16>?
    /// The format the file stores (differs from `format` when the tensor was repacked at load).
    public internal(set) var sourceFormat: WeightFormat
    /// Keeps a load-time repacked copy alive (nil when `data` points into the file mapping).
    var owner: AnyObject?
    /// The matrix as the file stores it, for batched prefill, when decode runs a repack that is slower in a GEMM
    /// (`--repack tq1_0`: I2_S's GEMM beats TQ1_0's); same values, same bits (`Dispatcher.runBatch`).
    var prefillTwin: PrefillTwin?
    /// BitNet32-F16 with varying scales, repacked at load: `data` holds codes in the bn32r layout (`ck_bn32r_pack`)
    /// and these the f16 scale of each 32-weight block (`ck_bn32r_i8_gemv_f32`); nil for the file layout.
    var blockScales: UnsafePointer<UInt16>? {
        didSet { if blockScales != nil { rowBytes = cols / 4 } }
    }

    /// `uniformScale`: the scale every TQ block of `data` is known to share (a load-time repack made them so), which
    /// skips the scan of the block scales and may be a float the blocks' f16 cannot hold (I2_S's β).
    init(name: String, format: WeightFormat, rows: Int, cols: Int, data: UnsafeRawPointer, interleave: Int, parity: Parity,
         uniformScale known: Float? = nil) {
        self.name = name
        self.format = format
        self.sourceFormat = format
        self.rows = rows
        self.cols = cols
        self.data = data
        self.rowBytes = format == .i2_s ? cols / 4 : format.rowBytes(cols)
        self.interleave = interleave
        let act = parity.activation(for: format)
        self.activation = act
        self.tensorScale = format == .i2_s ? data.loadUnaligned(fromByteOffset: rows * cols / 4, as: Float.self) : 1
        var d: Float = 0
        switch (format, act) {
        case (.tq2_0, .int8PerToken) where known != nil, (.tq1_0, .int8PerToken) where known != nil:
            uniformScale = known
        case (.tq2_0, .int8PerToken):
            uniformScale = ck_tq2_0_uniform_scale(data.assumingMemoryBound(to: ck_block_tq2_0.self), cols, rows, &d) == 1 ? d : nil
        case (.tq1_0, .int8PerToken):
            uniformScale = ck_tq1_0_uniform_scale(data.assumingMemoryBound(to: ck_block_tq1_0.self), cols, rows, &d) == 1 ? d : nil
        default: uniformScale = nil
        }
        if format == .i2_s && interleave != Int(CK_QK_I2S) {
            swiftKernelID = KernelID.reference(format, act)
        } else {
            swiftKernelID = nil
        }
    }

    /// out[r] for r in `range`.
    func apply(_ x: QuantizedRow, _ out: UnsafeMutablePointer<Float>, rows range: Range<Int>) {
        precondition(x.format == activation && x.count == cols)
        let n = cols, r0 = range.lowerBound, r1 = range.upperBound
        if format == .i2_s && swiftKernelID != nil { return applySwift(x, out, rows: range) }
        switch (format, activation) {
        case (.i2_s, .int8PerToken):
            x.codes.withUnsafeBufferPointer {
                ck_i2s_gemv_f32(data.assumingMemoryBound(to: UInt8.self), n, r0, r1, $0.baseAddress!, x.codeSum,
                                x.scales[0], tensorScale, out)
            }
        case (.tq2_0, .int8PerToken), (.tq1_0, .int8PerToken):
            ternaryPerToken(x, out, r0, r1)
        case (.bitnet32_f16, .int8PerToken):
            x.codes.withUnsafeBufferPointer {
                if let sc = blockScales {
                    ck_bn32r_i8_gemv_f32(data.assumingMemoryBound(to: UInt8.self), sc, n, r0, r1, $0.baseAddress!, x.scales[0], out)
                } else {
                    ck_bn32_i8_gemv_f32(data.assumingMemoryBound(to: UInt8.self), n, r0, r1, $0.baseAddress!, x.scales[0], out)
                }
            }
        case (.iq2_s, .q8_K):
            ck_iq2_s_q8_K_gemv(data.assumingMemoryBound(to: UInt8.self), n, r0, r1, x.blocks!.assumingMemoryBound(to: ck_block_q8_K.self), out)
        case (.tq2_0, .q8_K), (.tq1_0, .q8_K):
            ck_tq_q8K_x86_gemv(data, format == .tq1_0 ? 1 : 0, n, r0, r1, x.blocks!.assumingMemoryBound(to: ck_block_q8_K.self), out)
        case (.q6_K, .q8_K):
            ck_q6_K_q8_K_gemv(data.assumingMemoryBound(to: ck_block_q6_K.self), n, r0, r1, x.blocks!.assumingMemoryBound(to: ck_block_q8_K.self), out)
        case (.q8_0, .q8_0) where int8HeadKernel:
            ck_q8_head_gemv(data.assumingMemoryBound(to: Int8.self), headScales!, n, r0, r1, x.blocks!.assumingMemoryBound(to: ck_block_q8_0.self), out)
        case (.q8_0, .q8_0):
            ck_q8_0_q8_0_gemv(data.assumingMemoryBound(to: ck_block_q8_0.self), n, r0, r1, x.blocks!.assumingMemoryBound(to: ck_block_q8_0.self), out)
        case (.q4_0, .q8_0):
            ck_q4_0_q8_0_gemv(data.assumingMemoryBound(to: ck_block_q4_0.self), n, r0, r1, x.blocks!.assumingMemoryBound(to: ck_block_q8_0.self), out)
        case (.q4_1, .q8_1):
            ck_q4_1_q8_1_gemv(data.assumingMemoryBound(to: ck_block_q4_1.self), n, r0, r1, x.blocks!.assumingMemoryBound(to: ck_block_q8_1.self), out)
        case (.f32, .f32):
            x.values.withUnsafeBufferPointer { ck_f32_gemv(data.assumingMemoryBound(to: Float.self), n, r0, r1, $0.baseAddress!, out) }
        case (.f16, .f16):
            x.values.withUnsafeBufferPointer { ck_f16_gemv(data.assumingMemoryBound(to: UInt16.self), n, r0, r1, $0.baseAddress!, out) }
        case (.bf16, .bf16):
            x.values.withUnsafeBufferPointer { ck_bf16_gemv(data.assumingMemoryBound(to: UInt16.self), n, r0, r1, $0.baseAddress!, out) }
        default:
            applySwift(x, out, rows: range)
        }
    }

    /// Ternary blocks × per-token int8: with one shared scale d, (float)Σ(code−1)·q / s · d (bit-identical to
    /// I2_S with β = d); otherwise (Σ_b d_b·S_b) / s.
    private func ternaryPerToken(_ x: QuantizedRow, _ out: UnsafeMutablePointer<Float>, _ r0: Int, _ r1: Int) {
        let n = cols, s = x.scales[0]
        x.codes.withUnsafeBufferPointer { q in
            let qp = q.baseAddress!
            if let d = uniformScale {
                // the integer sums of the whole range in one call (the activations are prepared once per call), written
                // into `out`'s own 4-byte slots and turned into floats in place: no buffer, no allocation
                let raw = UnsafeMutableRawPointer(out)
                raw.withMemoryRebound(to: Int32.self, capacity: r1) { sums in
                    if format == .tq2_0 {
                        ck_tq2_0_i8_gemv(data.assumingMemoryBound(to: ck_block_tq2_0.self), n, r0, r1, qp, sums)
                    } else {
                        ck_tq1_0_i8_gemv(data.assumingMemoryBound(to: ck_block_tq1_0.self), n, r0, r1, qp, sums)
                    }
                }
                for r in r0..<r1 { out[r] = Float(raw.load(fromByteOffset: 4 * r, as: Int32.self)) / s * d }
            } else if format == .tq2_0 {
                ck_tq2_0_i8_gemv_f32(data.assumingMemoryBound(to: ck_block_tq2_0.self), n, r0, r1, qp, s, out)
            } else {
                ck_tq1_0_i8_gemv_f32(data.assumingMemoryBound(to: ck_block_tq1_0.self), n, r0, r1, qp, s, out)
            }
        }
    }

    /// The Swift reference path.
    func applySwift(_ x: QuantizedRow, _ out: UnsafeMutablePointer<Float>, rows range: Range<Int>) {
        let scratch = UnsafeMutablePointer<Int8>.allocate(capacity: max(cols, 256))
        defer { scratch.deallocate() }
        for r in range {
            out[r] = DotKernels.dot(format, data + r * rowBytes, x, interleave: interleave, tensorScale: tensorScale,
                                    scratch: scratch)
        }
    }

    /// Dequantizes row `r` (embedding lookup).
    func row(_ r: Int, into y: UnsafeMutablePointer<Float>) {
        if let sc = blockScales {
            ck_bn32r_row((data + r * rowBytes).assumingMemoryBound(to: UInt8.self), sc + r * cols / 32, cols, y)
            return
        }
        RowDequantizer.row(format, data + r * rowBytes, count: cols, interleave: interleave, tensorScale: tensorScale, into: y)
    }
}

/// A reference to another form of the same matrix (a class, so that a matrix can hold one).
final class PrefillTwin: @unchecked Sendable {
    let matrix: MatVec
    init(_ matrix: MatVec) { self.matrix = matrix }
}
