import Foundation
import GGUF
import ModelInspector
import Testing
import TestSupport
@testable import Engine

/// Broken models fail at load with one clear line, before anything runs.
@Suite struct BadModelTests {
    /// A copy of the tiny TQ2_0 model with `patch` applied to its bytes (given the parsed original).
    static func patched(_ name: String, _ patch: (GGUFFile, inout [UInt8]) throws -> Void) throws -> URL {
        let src = try SynthFixtures.model(.bitnetB158, .tq2_0)
        var bytes = [UInt8](try Data(contentsOf: src))
        try patch(try GGUFFile.open(src.path), &bytes)
        let url = SynthFixtures.dir.appendingPathComponent("bad-\(name).gguf")
        try Data(bytes).write(to: url)
        return url
    }

    /// Byte offset of the dims of tensor `t` inside its info record (after the u64-length name and u32 n_dims).
    static func dimsOffset(_ t: GGUFTensorInfo) -> Int { t.infoOffset + 8 + t.name.utf8.count + 4 }

    static func loadError(_ url: URL) -> EngineError? {
        var o = ModelOptions()
        o.contextSize = 64
        do { _ = try Model.load(url: url, options: o); return nil } catch let e as EngineError { return e } catch { return nil }
    }

    @Test func missingTensor() throws {
        let url = try Self.patched("missing") { f, b in
            let t = try #require(f.tensor(named: "blk.1.ffn_up.weight"))
            b[t.infoOffset + 8 + t.name.utf8.count - 1] = UInt8(ascii: "X")
        }
        let e = try #require(Self.loadError(url))
        #expect(e.kind == .missingTensor)
        #expect(e.message.contains("blk.1.ffn_up.weight") && !e.message.contains("\n"))
    }

    @Test func wrongShape() throws {
        let url = try Self.patched("shape") { f, b in
            let t = try #require(f.tensor(named: "blk.0.ffn_up.weight"))
            let o = Self.dimsOffset(t)   // [256, 512] → [512, 256]: same byte size, wrong orientation
            let d0 = Array(b[o..<o + 8]), d1 = Array(b[o + 8..<o + 16])
            b.replaceSubrange(o..<o + 8, with: d1)
            b.replaceSubrange(o + 8..<o + 16, with: d0)
        }
        let e = try #require(Self.loadError(url))
        #expect(e.kind == .wrongShape)
        #expect(e.message.contains("blk.0.ffn_up.weight") && e.message.contains("[512, 256]"))
    }

    @Test func wrongType() throws {
        let url = try Self.patched("type") { f, b in
            let t = try #require(f.tensor(named: "blk.0.ffn_norm.weight"))
            let o = Self.dimsOffset(t) + 8 * t.dims.count   // F32 (0) → I32 (26): same size, not a float vector
            b[o] = 26
        }
        let e = try #require(Self.loadError(url))
        #expect(e.kind == .wrongType)
        #expect(e.message.contains("blk.0.ffn_norm.weight"))
    }

    @Test func truncatedData() throws {
        let url = try Self.patched("truncated") { _, b in b.removeLast(1000) }
        let e = try #require(Self.loadError(url))
        #expect(e.kind == .container)
        #expect(e.message.lowercased().contains("truncat") || e.message.lowercased().contains("end"))
        #expect(!e.message.contains("\n"))
    }

    @Test func notAModel() throws {
        let url = SynthFixtures.dir.appendingPathComponent("not-a-model.gguf")
        try Data("hello".utf8).write(to: url)
        let e = try #require(Self.loadError(url))
        #expect(e.kind == .container)
    }
}
