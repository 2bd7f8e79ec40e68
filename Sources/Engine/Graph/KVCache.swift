import CKernels

/// Keys and values of every layer and position, stored as f16 bit patterns (llama.cpp's default cache type),
/// allocated once.
final class KVCache: @unchecked Sendable {
    let layers: Int
    let capacity: Int
    let dim: Int
    private let keys: UnsafeMutablePointer<UInt16>
    private let values: UnsafeMutablePointer<UInt16>

    init(layers: Int, capacity: Int, dim: Int) {
        self.layers = layers; self.capacity = capacity; self.dim = dim
        let count = max(1, layers * capacity * dim)
        keys = .allocate(capacity: count); keys.initialize(repeating: 0, count: count)
        values = .allocate(capacity: count); values.initialize(repeating: 0, count: count)
    }

    deinit { keys.deallocate(); values.deallocate() }

    static func bytes(layers: Int, capacity: Int, dim: Int) -> Int { 2 * 2 * layers * capacity * dim }

    /// Rounds `key` and `value` (dim floats each) to f16 into the cache (round to nearest even, F16C where present).
    func store(layer: Int, position: Int, key: UnsafePointer<Float>, value: UnsafePointer<Float>) {
        precondition(layer < layers && position < capacity)
        let base = (layer * capacity + position) * dim
        ck_g_kv_store(key, value, keys + base, values + base, dim)
    }

    /// Layer `layer`'s keys and values (position t's row at t·dim).
    func layer(_ layer: Int) -> (keys: UnsafePointer<UInt16>, values: UnsafePointer<UInt16>) {
        let base = layer * capacity * dim
        return (UnsafePointer(keys + base), UnsafePointer(values + base))
    }
}
