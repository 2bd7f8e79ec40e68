import CKernels
import Foundation
import GGUF
import ModelInspector
#if canImport(Glibc)
import Glibc
#endif

/// A weight matrix re-encoded (or copied) at load into anonymous memory (owned; freed with the model). Buffers of
/// 2 MiB or more are 2 MiB-aligned and advised MADV_HUGEPAGE, so the kernel can back them with transparent huge pages
/// (fewer TLB misses while the gemv streams them): a load-time copy costs the same either way, so every repacked
/// matrix and the int8 head get huge pages without `--hugepages` (which decides whether to copy the others at all).
final class RepackedBuffer: @unchecked Sendable {
    let bytes: UnsafeMutableRawPointer
    let count: Int
    static let hugePage = 1 << 21
    init(count: Int) {
        self.count = count
        let size = max(count, 1)
        var p: UnsafeMutableRawPointer?
        if size >= Self.hugePage, posix_memalign(&p, Self.hugePage, size) == 0, let p {
            _ = madvise(p, size, 14) // MADV_HUGEPAGE; advisory: without THP the copy still works
            bytes = p
        } else if posix_memalign(&p, 64, size) == 0, let p {
            bytes = p
        } else {
            fatalError("out of memory for a \(size)-byte weight buffer") // Model.load checked free memory first
        }
    }
    deinit { free(bytes) }
}

/// Load-time repacking of single-scale ternary layouts into the I2_S 128-weight interleave, so they run on the
/// I2_S kernels: TL1 and TL2 (one scale per tensor) and BitNet32-F16 whose non-zero blocks share one scale.
/// Exact: the same ternary values and the same scale (tests compare with the GGUF layer's decoders).
enum WeightRepack {
    /// What a repack did, for the receipt: "TL2→I2_S (load-time repack)".
    static func describe(_ from: WeightFormat) -> String { "\(from.name)→I2_S (load-time repack)" }
    /// Huge-page copies of tensors that run as stored, with why they were made ("--hugepages", "auto: THP madvise").
    static func hugePagesDescription(_ reason: String) -> String { "copied into 2 MiB huge pages (load-time copy; \(reason))" }
    /// The ARM-interleave I2_S repack.
    static let i2s64Description = "I2_S 64-weight blocks→128 (load-time repack)"
    /// The varying-scale BitNet32-F16 repack.
    static let bitnet32BlocksDescription = "BitNet32-F16→bn32r codes + f16 block scales (load-time repack)"

    /// A plain copy of a tensor's bytes into huge-page-backed anonymous memory (`ModelOptions.hugePages`), in 16 MiB
    /// chunks; with `releasingFilePages` (read-only file mappings only) each chunk's file pages are dropped once
    /// copied, so the copy of a 657 MB head does not hold both versions resident at once.
    static func copy(_ data: UnsafeRawPointer, count: Int, releasingFilePages release: Bool = false) -> RepackedBuffer {
        let out = RepackedBuffer(count: count)
        let chunk = 16 << 20
        var at = 0
        while at < count {
            let n = min(chunk, count - at)
            (out.bytes + at).copyMemory(from: data + at, byteCount: n)
            if release { releaseFilePages(data + at, count: n) }
            at += n
        }
        return out
    }

    /// I2_S in 64-weight blocks (ARM converters) → the 128-weight interleave, scale tail copied; nil when the rows are
    /// not whole 128-weight groups (then the tensor runs as stored on the reference kernel).
    static func i2s64(data: UnsafeRawPointer, rows: Int, cols: Int) -> RepackedBuffer? {
        guard cols % 128 == 0 else { return nil }
        let n = rows * cols, codes = n / 4
        let out = RepackedBuffer(count: codes + 32)
        ck_i2s64_to_i2s(data.assumingMemoryBound(to: UInt8.self), n, out.bytes.assumingMemoryBound(to: UInt8.self))
        copyScaleTail(from: data + codes, to: out.bytes + codes)
        return out
    }

    /// I2_S (128 interleave) rows → TQ1_0 blocks (`ModelOptions.repackI2SToTQ1`, `--repack tq1_0`): the same codes at
    /// 1.69 bits per weight, every block scale the f16 of β, and β itself for the kernels' uniform-scale path (so the
    /// logits are I2_S's bit for bit); nil when the rows are not whole 256-weight blocks.
    static func i2sToTQ1(data: UnsafeRawPointer, rows: Int, cols: Int) -> (RepackedBuffer, Float)? {
        guard cols % 256 == 0 else { return nil }
        let beta = data.loadUnaligned(fromByteOffset: rows * cols / 4, as: Float.self)
        let blocks = rows * cols / 256
        let out = RepackedBuffer(count: blocks * MemoryLayout<ck_block_tq1_0>.stride)
        ck_i2s_to_tq1_0(data.assumingMemoryBound(to: UInt8.self), cols, rows, ck_f32_to_f16(beta),
                        out.bytes.assumingMemoryBound(to: ck_block_tq1_0.self))
        return (out, beta)
    }
    static let i2sToTQ1Description = "I2_S→TQ1_0 (load-time repack; batched prefill reads the file's I2_S)"

    /// TQ1_0/TQ2_0 rows → I2_S with the blocks' common scale as the tensor scale; nil when the scales differ (then the
    /// tensor runs as stored) or the rows are not whole I2_S blocks.
    static func tq(_ format: WeightFormat, data: UnsafeRawPointer, rows: Int, cols: Int) -> RepackedBuffer? {
        guard cols % 256 == 0, format == .tq1_0 || format == .tq2_0 else { return nil }
        var d: Float = 0
        let uniform = format == .tq1_0
            ? ck_tq1_0_uniform_scale(data.assumingMemoryBound(to: ck_block_tq1_0.self), cols, rows, &d)
            : ck_tq2_0_uniform_scale(data.assumingMemoryBound(to: ck_block_tq2_0.self), cols, rows, &d)
        guard uniform == 1 else { return nil }
        let codes = rows * cols / 4
        let out = RepackedBuffer(count: codes + 32)
        ck_tq_to_i2s(data, format == .tq1_0 ? 1 : 0, cols, rows, out.bytes.assumingMemoryBound(to: UInt8.self))
        writeScaleTail(d, to: out.bytes + codes)
        return out
    }

    /// The tile configuration of a TL tensor: recorded by `convert` in the file, else the published preset for the
    /// shape, else `fallback` (ModelOptions.tlConfig).
    static func tlConfig(_ format: WeightFormat, rows: Int, cols: Int, source: ModelSource, fallback: TLConfig?) -> TLConfig? {
        let k = Conversion.tlKeys
        if let r = source.intArray(k.rows), let c = source.intArray(k.cols), let a = source.intArray(k.bm),
           let b = source.intArray(k.bk), let m = source.intArray(k.bmm),
           [c.count, a.count, b.count, m.count].allSatisfy({ $0 == r.count }),
           let i = r.indices.first(where: { r[$0] == rows && c[$0] == cols }) {
            return TLConfig(bigM: Int(a[i]), bigK: Int(b[i]), smallM: Int(m[i]))
        }
        return TLConfig.preset(format.tensorFormat, rows: rows, cols: cols) ?? fallback
    }

    /// TL1/TL2 tensor bytes → I2_S codes + scale tail. Throws one line when the configuration does not tile the
    /// shape or a code is outside the format (wrong configuration or not a TL tensor).
    static func tl(_ format: WeightFormat, name: String, data: UnsafeRawPointer, rows: Int, cols: Int,
                   config c: TLConfig) throws -> RepackedBuffer {
        guard (rows * cols) % 128 == 0, cols % 128 == 0 else {
            throw EngineError(.wrongShape, "tensor '\(name)' rows of \(cols) are not a multiple of 128: cannot run \(format.name) on the I2_S kernels")
        }
        let codes = rows * cols / 4
        let out = RepackedBuffer(count: codes + 32)
        let dst = out.bytes.assumingMemoryBound(to: UInt8.self)
        let src = data.assumingMemoryBound(to: UInt8.self)
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: rows * cols)   // the codes in row order
        defer { scratch.deallocate() }
        let rc: Int32
        let scaleOffset: Int
        if format == .tl1 {
            rc = ck_tl1_to_i2s(src, rows, cols, c.bigM, c.bigK, c.smallM, dst, scratch)
            scaleOffset = codes
        } else {
            rc = c.smallM == 32 ? ck_tl2_to_i2s(src, rows, cols, c.bigM, c.bigK, dst, scratch) : -1
            scaleOffset = format.tensorBytes(rowLength: cols, rows: rows) - 32
        }
        switch rc {
        case 0: break
        case -1: throw EngineError(.wrongShape, "tensor '\(name)' (\(rows)×\(cols)): \(format.name) tile configuration \(c) does not tile it")
        default: throw EngineError(.badInput, "tensor '\(name)' has a code outside \(format.name) with tile configuration \(c): not a \(format.name) tensor, or converted with another configuration")
        }
        copyScaleTail(from: data + scaleOffset, to: out.bytes + codes)
        return out
    }

    /// BitNet32-F16 whose non-zero blocks all share one scale d → I2_S codes with β = d; nil when the scales
    /// vary (or the shape does not fit the 128-weight interleave): then the bn32 kernel runs it.
    static func bitnet32(data: UnsafeRawPointer, rows: Int, cols: Int) -> RepackedBuffer? {
        guard cols % 128 == 0 else { return nil }
        var d: Float = 0
        let src = data.assumingMemoryBound(to: UInt8.self)
        guard ck_bn32_uniform_scale(src, rows * cols / 32, &d) == 1 else { return nil }
        let codes = rows * cols / 4
        let out = RepackedBuffer(count: codes + 32)
        ck_bn32_to_i2s(src, rows * cols, out.bytes.assumingMemoryBound(to: UInt8.self))
        writeScaleTail(d, to: out.bytes + codes)
        return out
    }

    /// BitNet32-F16 with varying block scales (cols % 128 == 0): codes into the bn32r layout (`ck_bn32r_pack`: each
    /// 256 weights arranged so one 32-bit lane holds one block) plus the f16 scale of each 32-weight block gathered
    /// in one array, for `ck_bn32r_i8_gemv_f32` / `ck_bn32r_i8_gemm_f32`. Same values and scales as the file (tested).
    static func bitnet32Blocks(data: UnsafeRawPointer, rows: Int, cols: Int) -> (codes: RepackedBuffer, scales: RepackedBuffer)? {
        guard cols % 128 == 0 else { return nil }
        let n = rows * cols
        let codes = RepackedBuffer(count: n / 4), scales = RepackedBuffer(count: n / 32 * 2)
        let src = data.assumingMemoryBound(to: UInt8.self)
        ck_bn32r_pack(src, rows, cols, codes.bytes.assumingMemoryBound(to: UInt8.self))
        ck_bn32_scales(src, n / 32, scales.bytes.assumingMemoryBound(to: UInt16.self))
        return (codes, scales)
    }

    /// The I2_S tail after the codes: the f32 tensor scale, zero-padded to 32 bytes.
    private static func writeScaleTail(_ d: Float, to dst: UnsafeMutableRawPointer) {
        dst.initializeMemory(as: UInt8.self, repeating: 0, count: 32)
        dst.storeBytes(of: d.bitPattern.littleEndian, as: UInt32.self)
    }

    private static func copyScaleTail(from src: UnsafeRawPointer, to dst: UnsafeMutableRawPointer) {
        dst.initializeMemory(as: UInt8.self, repeating: 0, count: 32)
        dst.copyMemory(from: src, byteCount: 4)
    }

    /// Drops the file pages of a tensor that was repacked (MADV_DONTNEED on the page-aligned part inside
    /// `range`), so resident memory stays about the file size. Only for read-only file mappings (dropped pages
    /// are read again from the file if touched).
    static func releaseFilePages(_ base: UnsafeRawPointer, count: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return }
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + count) / page * page
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(p, end - start, MADV_DONTNEED)
    }
}
