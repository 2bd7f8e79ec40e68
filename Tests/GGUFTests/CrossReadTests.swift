import Foundation
import Testing
import TestSupport
@testable import GGUF

@Suite struct CrossReadTests {
    /// Every metadata entry and tensor we read equals what the gguf package reads from the same file.
    static func expectSameAsPython(_ file: GGUFFile, _ dump: [String: Any], checksumLimit: Int = .max) throws {
        let meta = try #require(dump["metadata"] as? [[String: Any]])
        #expect(meta.count == file.metadata.count)
        for m in meta {
            let key = try #require(m["key"] as? String)
            let ours = try #require(file.metadata[key], "missing key \(key)")
            #expect(Int(ours.type.rawValue) == m["type"] as? Int, "type of \(key)")
            if case .array(let a) = ours, let sub = (m["sub_types"] as? [Int])?.first {
                #expect(Int(a.elementType.rawValue) == sub, "element type of \(key)")
            }
            #expect(sameValue(ours, m["value"] as Any), "value of \(key): ours \(ours), gguf \(m["value"] ?? "nil")")
        }
        let tensors = try #require(dump["tensors"] as? [[String: Any]])
        #expect(tensors.count == file.tensors.count)
        for (t, ours) in zip(tensors, file.tensors) {
            #expect(ours.name == t["name"] as? String)
            #expect(ours.dims == t["dims"] as? [Int], "dims of \(ours.name)")
            #expect(Int(ours.typeID) == t["type"] as? Int, "type of \(ours.name)")
            #expect(ours.offset == t["offset"] as? Int, "offset of \(ours.name)")
            #expect(ours.byteCount == t["n_bytes"] as? Int, "size of \(ours.name)")
            if ours.byteCount <= checksumLimit {
                let crc = CRC32.checksum(file.tensorBytes(ours))
                #expect(Int(crc) == t["crc32"] as? Int, "bytes of \(ours.name)")
            }
        }
    }

    @Test func readsWhatTheGGUFPackageWrites() throws {
        guard TestEnvironment.shouldRun(needs: PythonGGUF.available) else { return }
        let path = try PythonGGUF.sample()
        let file = try GGUFFile.open(path)
        #expect(file.version == 3)
        #expect(file.architecture == "llama")
        #expect(file.metadata.stringArray("test.strings") == ["a", "", "ü", "Ġthe"])
        #expect(file.metadata.array("test.nested")?.arrays()?.map { $0.int32s() ?? [] } == [[1, 2], [3, 4, 5]])
        #expect(file.tensor(named: "tq2_0")?.type.format == .tq2_0)
        #expect(file.tensor(named: "tq1_0")?.type.format == .tq1_0)
        #expect(file.dialect == .mainline)
        try Self.expectSameAsPython(file, try PythonGGUF.dump(path))
    }

    @Test func theGGUFPackageReadsWhatWeWrite() throws {
        guard TestEnvironment.shouldRun(needs: PythonGGUF.available) else { return }
        var w = try GGUFWriter()
        w.set("general.architecture", .string("llama"))
        w.set("general.name", .string("ours ✓"))
        w.set("t.u8", .uint8(7)); w.set("t.i8", .int8(-7)); w.set("t.u16", .uint16(65535)); w.set("t.i16", .int16(-2))
        w.set("t.u32", .uint32(123_456)); w.set("t.i32", .int32(-123_456)); w.set("t.f32", .float32(1.5e-5))
        w.set("t.u64", .uint64(UInt64.max)); w.set("t.i64", .int64(Int64.min)); w.set("t.f64", .float64(-2.75))
        w.set("t.bool", .bool(false)); w.set("t.strings", .strings(["x", "Ġy", ""]))
        w.set("t.floats", .float32s([1, -0.5])); w.set("t.nested", .array(.array, [.int32s([1]), .int32s([2, 3])]))
        var rng = SplitMix(seed: 3)
        for (name, format, dims) in [("a", TensorFormat.f32, [8, 3]), ("b", .f16, [64]), ("c", .q8_0, [64, 2]),
                                     ("d", .tq2_0, [256, 2]), ("e", .tq1_0, [512]), ("f", .q6_k, [256])] {
            let n = dims.reduce(1, *)
            let size = format.traits.byteSize(elements: n, rowLength: dims[0])!
            let bytes = (0 ..< size).map { _ in UInt8(truncatingIfNeeded: rng.next()) & (format == .f16 ? 0x3F : 0xFF) }
            try w.addTensor(name, dims: dims, type: format, .bytes(bytes))
        }
        let dir = try TestEnvironment.makeTempDir()
        let path = dir.appendingPathComponent("ours.gguf").path
        try w.write(to: path)
        let file = try GGUFFile.open(path)
        #expect(file.tensors.map(\.name) == ["a", "b", "c", "d", "e", "f"])
        try Self.expectSameAsPython(file, try PythonGGUF.dump(path))
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
