import CKernels
import Foundation

/// `--head screened`, made at load: the int8 copy of the float head (`Int8Head`) plus, per row, κ_r and ζ_r of the
/// error bound (`ck_head_screen_row_bounds`; docs/kernels.md "Screened output head"). The model's `weights.output`
/// stays the file's exact head: whatever needs the whole distribution uses it; `HeadScreener` uses this for greedy
/// decoding only.
final class ScreenedHead: @unchecked Sendable {
    let int8: Int8Head
    /// The file's float head (the exact kernel the screened rows are recomputed with).
    let exact: MatVec
    /// κ_r at [r], ζ_r at [rows + r].
    let bounds: UnsafeMutablePointer<Float>
    var rows: Int { exact.rows }
    var kappa: UnsafePointer<Float> { UnsafePointer(bounds) }
    var zeta: UnsafePointer<Float> { UnsafePointer(bounds + exact.rows) }

    init(exact: MatVec, parity: Parity, releasingFilePages release: Bool) throws {
        bounds = .allocate(capacity: 2 * exact.rows)
        bounds.initialize(repeating: .infinity, count: 2 * exact.rows)
        do {
            int8 = try Int8Head(from: exact, parity: parity, releasingFilePages: release, rowBounds: bounds)
        } catch {
            bounds.deallocate()
            throw error
        }
        self.exact = exact
    }

    deinit { bounds.deallocate() }
}
