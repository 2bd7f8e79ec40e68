import CKernels
import Foundation

/// A float output matrix re-quantized to Q8_0 rows at load (`--head int8`), stored split for `ck_q8_head_gemv`: all
/// codes (rows × cols int8) then all block scales (rows × cols/32 f16), the bytes of Q8_0 blocks. Owns its buffer.
final class Int8Head: @unchecked Sendable {
    let matrix: MatVec
    /// Whether the float head's file pages were dropped after quantizing (`releasingFilePages`).
    let releasedFilePages: Bool
    private let buffer: RepackedBuffer   // 2 MiB transparent huge pages (a copy made at load either way)

    /// Quantizes every row of `exact` (F16, BF16 or F32; cols % 32 == 0) with the reference Q8_0 rounding. With
    /// `releasingFilePages` (`exact` reads a read-only file mapping) each chunk's file pages are dropped once
    /// quantized, so the int8 head lowers resident memory instead of adding its copy to the float head's pages.
    /// `rowBounds` (`--head screened`, one per row): the row's bound data (`ck_head_screen_row_bounds`), measured
    /// against the exact row while it is at hand.
    init(from exact: MatVec, parity: Parity, releasingFilePages release: Bool = false,
         rowBounds: UnsafeMutablePointer<ck_head_screen_row>? = nil) throws {
        guard [.f16, .bf16, .f32].contains(exact.format) else {
            throw EngineError(.badInput, "--head int8/screened needs a float output matrix; this one is \(exact.format.name)")
        }
        guard ck_q8_head_fits(exact.cols) != 0 else {
            throw EngineError(.badInput, "--head int8/screened needs rows that are a multiple of 32 and at most \(Int(CK_HEAD_MAX_BLOCKS) * 32) long (\(exact.cols))")
        }
        let n = exact.cols, rows = exact.rows, blocksPerRow = n / 32
        releasedFilePages = release
        buffer = RepackedBuffer(count: rows * n + rows * blocksPerRow * 2)
        let codes = buffer.bytes.bindMemory(to: Int8.self, capacity: rows * n)
        let scales = (buffer.bytes + rows * n).bindMemory(to: UInt16.self, capacity: rows * blocksPerRow)
        // rows in parallel chunks (each chunk its own scratch, disjoint output rows): 328M weights for 2B-4T
        nonisolated(unsafe) let codesBase = UnsafeMutablePointer(codes), scalesBase = UnsafeMutablePointer(scales)
        nonisolated(unsafe) let bounds = rowBounds
        let chunk = 1024, chunks = (rows + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let row = UnsafeMutablePointer<Float>.allocate(capacity: n)
            defer { row.deallocate() }
            for r in (c * chunk)..<min(rows, (c + 1) * chunk) {
                exact.row(r, into: row)
                ck_q8_head_quantize_row(row, n, codesBase + r * n, scalesBase + r * blocksPerRow)
                if let bounds {
                    ck_head_screen_row_bounds(row, codesBase + r * n, scalesBase + r * blocksPerRow, n, bounds + r)
                }
            }
            if release { exact.releaseFilePages(rows: (c * chunk)..<min(rows, (c + 1) * chunk)) }
        }
        var m = MatVec(name: exact.name + "#q8_0", format: .q8_0, rows: rows, cols: n,
                       data: UnsafeRawPointer(codes), interleave: 128, parity: parity)
        m.int8HeadKernel = true
        m.headScales = UnsafePointer(scales)
        matrix = m
    }

}
