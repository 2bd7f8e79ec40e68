import Foundation
import Testing
import TestSupport
@testable import GGUF

/// fixtures/gguf/corpus (made by Tests/scripts/gguf_make_fixtures.py; also the fuzz seed corpus).
@Suite struct FixtureTests {
    static let dir = TestEnvironment.repoRoot.appendingPathComponent("fixtures/gguf/corpus")

    static let expected: [String: GGUFError.Kind] = [
        "bad-truncated.gguf": .tooLarge, "bad-magic.gguf": .badMagic, "bad-huge-tensor-count.gguf": .tooLarge,
        "bad-huge-string.gguf": .tooLarge, "bad-huge-array.gguf": .tooLarge, "bad-dims-overflow.gguf": .overflow,
        "bad-misaligned.gguf": .misaligned, "bad-overlap.gguf": .overlap, "bad-unknown-type.gguf": .unknownTensorType,
        "bad-deep-nesting.gguf": .nestingTooDeep, "bad-duplicate-key.gguf": .duplicateKey, "bad-out-of-bounds.gguf": .outOfBounds,
    ]

    @Test func hostileFixturesGiveTheirError() throws {
        for (name, kind) in Self.expected {
            let path = Self.dir.appendingPathComponent(name).path
            #expect { _ = try GGUFFile.open(path) } throws: { e in
                guard let g = e as? GGUFError else { return false }
                return g.kind == kind && g.offset != nil && !g.description.contains("\n")
            }
        }
    }

    @Test func validFixturesParse() throws {
        let v1 = try GGUFFile.open(Self.dir.appendingPathComponent("valid-v1.gguf").path)
        #expect(v1.version == 1 && v1.tensors.first?.dims == [4, 2] && v1.uint("llama.block_count") == 1)
        let v2 = try GGUFFile.open(Self.dir.appendingPathComponent("valid-v2.gguf").path)
        #expect(v2.version == 2 && v2.architecture == "llama")
        let i2s = try GGUFFile.open(Self.dir.appendingPathComponent("valid-i2s-fork.gguf").path)
        #expect(i2s.tensors.first?.type.format == .i2_s && i2s.tensors.first?.byteCount == 512 / 4 + 32)
        #expect(i2s.dialect == .bitnetFork)
        let mx = try GGUFFile.open(Self.dir.appendingPathComponent("valid-mxfp4.gguf").path)
        #expect(mx.tensors.first?.type.format == .mxfp4 && mx.dialect == .mainline)
        let w = try GGUFFile.open(Self.dir.appendingPathComponent("valid-v3-gguf-writer.gguf").path)
        #expect(w.tensors.map(\.type.format) == [.f32, .f16, .q8_0, .tq2_0, .tq1_0])
    }

    /// Found by the CI fuzz run: a tensor whose TL2 size computation overflowed (a trap, not an error).
    @Test func fuzzFoundTL2SizeOverflowIsAnError() throws {
        let path = Self.dir.appendingPathComponent("bad-fuzz-tl2-size-overflow.gguf").path
        #expect(throws: GGUFError.self) { _ = try GGUFFile.open(path) }
        let tl2 = try #require(TensorTypeTraits.all.first { $0.format == .tl2 })
        let huge = Int.max / 256 * 256  // one row: (huge - 256) / 3 * 5 overflows
        #expect(tl2.byteSize(elements: huge, rowLength: huge) == nil, "an overflowing size is nil, not a trap")
        #expect(tl2.byteSize(elements: 256 * 4, rowLength: 256) == 256 * 4 / 2 * 4 / 8 + 32, "hand-computed: 4 rows of 256")
    }
}
