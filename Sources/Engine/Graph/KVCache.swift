/// Keys and values of every layer and position, stored as f16 (llama.cpp's default cache type).
final class KVCache: @unchecked Sendable {
    let layers: Int
    let capacity: Int
    let dim: Int
    private(set) var keys: [Float16]
    private(set) var values: [Float16]

    init(layers: Int, capacity: Int, dim: Int) {
        self.layers = layers; self.capacity = capacity; self.dim = dim
        keys = [Float16](repeating: 0, count: layers * capacity * dim)
        values = keys
    }

    static func bytes(layers: Int, capacity: Int, dim: Int) -> Int { 2 * 2 * layers * capacity * dim }

    func store(layer: Int, position: Int, key: UnsafePointer<Float>, value: UnsafePointer<Float>) {
        let base = (layer * capacity + position) * dim
        for i in 0..<dim { keys[base + i] = Float16(key[i]); values[base + i] = Float16(value[i]) }
    }

    func withLayer<R>(_ layer: Int, _ body: (UnsafePointer<Float16>, UnsafePointer<Float16>) -> R) -> R {
        let base = layer * capacity * dim
        return keys.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in body(k.baseAddress! + base, v.baseAddress! + base) }
        }
    }
}
