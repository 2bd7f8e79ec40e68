@testable import GGUF

/// Builds GGUF bytes field by field, including invalid ones, for the hostile-input tests.
struct RawGGUF {
    var bytes: [UInt8] = []
    /// v2+ (u64 counts and lengths) or v1 (u32).
    var wide = true
    /// Offsets where each field starts (the field boundaries the truncation test cuts at).
    var boundaries: [Int] = []

    init(version: UInt32 = 3, tensors: UInt64, kvs: UInt64, magic: String = "GGUF") {
        wide = version >= 2
        mark(); bytes += Array(magic.utf8)
        u32(version)
        count(tensors)
        count(kvs)
    }

    mutating func mark() { boundaries.append(bytes.count) }
    mutating func u8(_ v: UInt8) { mark(); bytes.append(v) }
    mutating func u32(_ v: UInt32) { mark(); withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { mark(); withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func count(_ v: UInt64) { if wide { u64(v) } else { u32(UInt32(truncatingIfNeeded: v)) } }
    mutating func str(_ s: String) { count(UInt64(s.utf8.count)); mark(); bytes += Array(s.utf8) }

    mutating func kvString(_ k: String, _ v: String) { str(k); u32(8); str(v) }
    mutating func kvU32(_ k: String, _ v: UInt32) { str(k); u32(4); u32(v) }

    mutating func tensor(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
        str(name)
        u32(UInt32(dims.count))
        for d in dims { if wide { u64(d) } else { u32(UInt32(truncatingIfNeeded: d)) } }
        u32(type)
        u64(offset)
    }

    /// Pads to `alignment` and appends `n` data bytes.
    mutating func data(_ n: Int, alignment: Int = 32) {
        mark()
        while bytes.count % alignment != 0 { bytes.append(0) }
        mark()
        bytes += (0 ..< n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        mark()
    }

    /// A small valid file: metadata of several kinds and two F32 tensors.
    static func valid(version: UInt32 = 3) -> RawGGUF {
        var r = RawGGUF(version: version, tensors: 2, kvs: 3)
        r.kvString("general.architecture", "llama")
        r.kvU32("llama.block_count", 1)
        r.str("tokenizer.ggml.tokens"); r.u32(9); r.u32(8); r.count(3)
        r.str("a"); r.str("bc"); r.str("")
        r.tensor("x", dims: [4, 2], type: 0, offset: 0)
        r.tensor("y", dims: [8], type: 1, offset: 32)
        r.data(48)
        return r
    }
}
