import Foundation
import Testing
@testable import GGUF

@Suite struct WriterTests {
    @Test func copiesArraysFromV1AndV3Files() throws {
        for version: UInt32 in [1, 3] {
            let src = try GGUFFile(bytes: RawGGUF.valid(version: version).bytes)
            var w = try GGUFWriter()
            for e in src.metadata.entries { w.set(e.key, GGUFWriteValue(e.value)) }
            let back = try GGUFFile(bytes: try w.serialized())
            #expect(back.version == 3)
            #expect(back.stringArray("tokenizer.ggml.tokens") == ["a", "bc", ""])
            #expect(back.uint("llama.block_count") == 1)
        }
    }

    @Test func customAlignmentAndStreamingSources() throws {
        var w = try GGUFWriter(alignment: 64)
        try w.addTensor("a", dims: [3], type: .f32, .bytes(TensorCodec.encodeF32([1, 2, 3])))
        try w.addTensor("b", dims: [256, 2], type: .tq2_0, .stream { out in
            try out.write([UInt8](repeating: 0x55, count: 66))
            try out.write([UInt8](repeating: 0x55, count: 66))
        })
        var reported = [Int]()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-writer-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try w.write(to: dir) { done, _ in reported.append(done) }
        let f = try GGUFFile.open(dir)
        #expect(f.alignment == 64 && f.dataOffset % 64 == 0)
        #expect(f.tensor(named: "b")?.relativeOffset == 64)
        #expect(reported == [64, 256]) // 12 bytes padded to 64, then 64 + 132 padded to 256
        #expect(try TensorCodec.dequantize(f.tensorBytes(f.tensor(named: "a")!), format: .f32, count: 3) == [1, 2, 3])
    }

    @Test func rejectsWrongSizesAndShapes() throws {
        var w = try GGUFWriter()
        #expect(throws: GGUFError.self) { try w.addTensor("x", dims: [32], type: .q8_0, .bytes([0])) }
        #expect(throws: GGUFError.self) { try w.addTensor("x", dims: [16], type: .q8_0, .bytes([UInt8](repeating: 0, count: 17))) }
        #expect(throws: GGUFError.self) { try w.addTensor("x", dims: [1, 1, 1, 1, 1], type: .f32, .bytes([UInt8](repeating: 0, count: 4))) }
        try w.addTensor("s", dims: [4], type: .f32, .stream { out in try out.write([1, 2, 3]) })
        #expect(throws: GGUFError.self) { _ = try w.serialized() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-bad-\(UUID().uuidString).gguf").path
        #expect(throws: GGUFError.self) { try w.write(to: path) }
        #expect(!FileManager.default.fileExists(atPath: path), "a failed write leaves no file")
        #expect(throws: GGUFError.self) { _ = try GGUFWriter(alignment: 48) }
        var nested = try GGUFWriter()
        nested.set("bad", .array(.int32, [.string("x")]))
        #expect(throws: GGUFError.self) { _ = try nested.serialized() }
    }
}
