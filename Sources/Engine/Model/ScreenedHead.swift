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
}
