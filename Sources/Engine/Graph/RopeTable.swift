import CKernels

/// cos/sin of the RoPE angles for up to `capacity` positions, computed once per position (ggml's formula,
/// `ck_g_rope_table`) and shared by every layer's q and k.
final class RopeTable {
    struct Row {
        let cos, sin: UnsafePointer<Float>
        let dims: Int
    }

    let dims: Int
    let capacity: Int
    private let cs, sn: UnsafeMutablePointer<Float>

    init(dims: Int, capacity: Int) {
        self.dims = dims; self.capacity = max(1, capacity)
        let half = max(1, dims / 2) * self.capacity
        cs = .allocate(capacity: half); cs.initialize(repeating: 0, count: half)
        sn = .allocate(capacity: half); sn.initialize(repeating: 0, count: half)
    }

    deinit { cs.deallocate(); sn.deallocate() }

    /// Fills slot `slot` with the angles of `position`.
    func fill(_ slot: Int, position: Int, base: Float) {
        precondition(slot < capacity)
        ck_g_rope_table(Float(position), dims, base, cs + slot * (dims / 2), sn + slot * (dims / 2))
    }

    func row(_ slot: Int) -> Row {
        Row(cos: cs + slot * (dims / 2), sin: sn + slot * (dims / 2), dims: dims)
    }
}
