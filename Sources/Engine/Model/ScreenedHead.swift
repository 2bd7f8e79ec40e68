import CKernels
import Foundation

/// `--head screened`, made at load: the int8 copy of the float head (`Int8Head`) plus, per row, the error bound's
/// row data (κ, ζ, ‖w − dq‖₂, ‖dq‖₂: `ck_head_screen_row_bounds`; docs/kernels.md "Screened output head"). The model's `weights.output`
/// stays the file's exact head: whatever needs the whole distribution uses it; `HeadScreener` uses this for greedy
/// decoding only.
final class ScreenedHead: @unchecked Sendable {
    let int8: Int8Head
    /// The file's float head (the exact kernel the screened rows are recomputed with).
    let exact: MatVec
    /// One entry per row (16 bytes).
    let bounds: UnsafeMutablePointer<ck_head_screen_row>
    var rows: Int { exact.rows }

    init(exact: MatVec, parity: Parity, releasingFilePages release: Bool) throws {
        bounds = .allocate(capacity: exact.rows)
        bounds.initialize(repeating: ck_head_screen_row(kappa: .infinity, zeta: .infinity, ew: .infinity, nq: .infinity),
                          count: exact.rows)
        do {
            int8 = try Int8Head(from: exact, parity: parity, releasingFilePages: release, rowBounds: bounds)
        } catch {
            bounds.deallocate()
            throw error
        }
        self.exact = exact
    }

    deinit { bounds.deallocate() }

    /// When the int8 head dropped the float head's file pages at load: the 64 KiB granules of the float head that
    /// exact rows brought back since the last drop (all sessions of the model; a file page fault maps the aligned
    /// 64 KiB around it, Linux's default fault-around). Past 64 MiB of them the float head's pages are dropped again,
    /// so resident memory stays within 64 MiB of the int8 head's instead of growing to both heads over a long run.
    private var touched: [Bool] = []
    private var touchedCount = 0
    private let lock = NSLock()
    static let granule = 65536, residentBudget = 64 << 20

    func noteTouched(_ rows: UnsafeBufferPointer<Int32>.SubSequence) {
        guard int8.releasedFilePages else { return }
        let rowBytes = exact.format.rowBytes(exact.cols), base = Int(bitPattern: exact.data)
        lock.lock(); defer { lock.unlock() }
        if touched.isEmpty { touched = .init(repeating: false, count: (self.rows * rowBytes) / Self.granule + 2) }
        for r in rows {
            let start = base + Int(r) * rowBytes
            for g in [start / Self.granule, (start + rowBytes - 1) / Self.granule] {
                let i = g - base / Self.granule
                if !touched[i] { touched[i] = true; touchedCount += 1 }
            }
        }
        if touchedCount * Self.granule > Self.residentBudget { dropPages() }
    }

    /// Drops the float head's file pages (when they were dropped at load), e.g. after a fallback read all of them.
    func releaseExactPages() {
        guard int8.releasedFilePages else { return }
        lock.lock(); defer { lock.unlock() }
        dropPages()
    }

    private func dropPages() {
        exact.releaseFilePages(rows: 0..<rows)
        for i in touched.indices { touched[i] = false }
        touchedCount = 0
    }
}
