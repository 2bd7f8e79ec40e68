import Foundation
import Testing
@testable import GGUF

@Suite struct HostileInputTests {
    /// Parses `bytes`, expecting a GGUFError of `kind`; returns it.
    @discardableResult
    func expectError(_ kind: GGUFError.Kind, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> GGUFError? {
        do {
            _ = try GGUFFile(bytes: bytes)
            Issue.record("expected \(kind), but the file parsed", sourceLocation: sourceLocation)
        } catch let e as GGUFError {
            #expect(e.kind == kind, "got \(e)", sourceLocation: sourceLocation)
            #expect(!e.description.contains("\n"), sourceLocation: sourceLocation)
            return e
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test(arguments: [UInt32(1), 2, 3]) func validFileParsesInEveryVersion(version: UInt32) throws {
        let f = try GGUFFile(bytes: RawGGUF.valid(version: version).bytes)
        #expect(f.version == version)
        #expect(f.architecture == "llama")
        #expect(f.uint("llama.block_count") == 1)
        #expect(f.stringArray("tokenizer.ggml.tokens") == ["a", "bc", ""])
        #expect(f.tensors.map(\.dims) == [[4, 2], [8]])
        #expect(f.tensors.map(\.byteCount) == [32, 16])
        let x = try #require(f.tensor(named: "x"))
        #expect(Array(f.tensorBytes(x)) == (0 ..< 32).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
    }

    @Test(arguments: [UInt32(1), 3]) func truncationAtEveryFieldBoundaryFails(version: UInt32) {
        let r = RawGGUF.valid(version: version)
        let cuts = Set(r.boundaries + (0 ..< r.bytes.count).filter { $0 % 7 == 3 }).filter { $0 < r.bytes.count }
        #expect(cuts.count > 40)
        for cut in cuts.sorted() {
            do {
                _ = try GGUFFile(bytes: Array(r.bytes[0 ..< cut]))
                Issue.record("prefix of \(cut) bytes parsed")
            } catch let e as GGUFError {
                #expect([.truncated, .tooLarge, .outOfBounds].contains(e.kind), "cut \(cut): \(e)")
                #expect((e.offset ?? 0) <= cut, "cut \(cut): \(e)")
            } catch { Issue.record("cut \(cut): \(error)") }
        }
    }

    @Test func badMagicVersionAndEndianness() {
        let e = expectError(.badMagic, RawGGUF(tensors: 0, kvs: 0, magic: "GGML").bytes)
        #expect(e?.offset == 0)
        expectError(.unsupportedVersion, RawGGUF(version: 4, tensors: 0, kvs: 0).bytes)
        expectError(.bigEndian, RawGGUF(version: UInt32(3).byteSwapped, tensors: 0, kvs: 0).bytes)
        expectError(.truncated, [])
        expectError(.truncated, Array("GG".utf8))
    }

    @Test func hugeCountsAndLengthsFailBeforeAllocating() {
        expectError(.tooLarge, RawGGUF(tensors: 1 << 40, kvs: 0).bytes)
        expectError(.tooLarge, RawGGUF(tensors: 0, kvs: UInt64.max).bytes)
        var s = RawGGUF(tensors: 0, kvs: 1); s.count(1 << 50); s.bytes += Array("key-padding-".utf8)
        let e = expectError(.tooLarge, s.bytes)
        #expect(e?.offset == 24)
        var a = RawGGUF(tensors: 0, kvs: 1); a.str("k"); a.u32(9); a.u32(8); a.count(1 << 60)
        expectError(.tooLarge, a.bytes)
        var a2 = RawGGUF(tensors: 0, kvs: 1); a2.str("k"); a2.u32(9); a2.u32(12); a2.count(UInt64.max / 4)
        expectError(.tooLarge, a2.bytes)
        var v = RawGGUF(tensors: 0, kvs: 1); v.str("k"); v.u32(8); v.count(UInt64(Int64.max) + 1)
        expectError(.tooLarge, v.bytes)
    }

    @Test func unknownValueAndTensorTypes() {
        var v = RawGGUF(tensors: 0, kvs: 1); v.str("k"); v.u32(13); v.u32(0)
        expectError(.unknownValueType, v.bytes)
        var a = RawGGUF(tensors: 0, kvs: 1); a.str("k"); a.u32(9); a.u32(99); a.count(0)
        expectError(.unknownValueType, a.bytes)
        for id: UInt32 in [4, 5, 42, 1000] {
            var t = RawGGUF(tensors: 1, kvs: 0); t.tensor("w", dims: [32], type: id, offset: 0); t.data(64)
            let e = expectError(.unknownTensorType, t.bytes)
            #expect(e?.message.contains("\(id)") == true)
        }
        var b = RawGGUF(tensors: 0, kvs: 1); b.str("k"); b.u32(7); b.u8(2)
        expectError(.typeMismatch, b.bytes)
    }

    @Test func badDimensions() {
        var five = RawGGUF(tensors: 1, kvs: 0); five.tensor("w", dims: [1, 1, 1, 1, 1], type: 0, offset: 0); five.data(32)
        expectError(.badDimensions, five.bytes)
        var zero = RawGGUF(tensors: 1, kvs: 0); zero.tensor("w", dims: [4, 0], type: 0, offset: 0); zero.data(32)
        expectError(.badDimensions, zero.bytes)
        var block = RawGGUF(tensors: 1, kvs: 0); block.tensor("w", dims: [16], type: 8, offset: 0); block.data(64)
        expectError(.badDimensions, block.bytes) // Q8_0 needs multiples of 32
    }

    @Test func overflowingDimsAndOffsets() {
        var d = RawGGUF(tensors: 1, kvs: 0); d.tensor("w", dims: [1 << 32, 1 << 32], type: 0, offset: 0); d.data(32)
        expectError(.overflow, d.bytes)
        var d2 = RawGGUF(tensors: 1, kvs: 0); d2.tensor("w", dims: [UInt64.max], type: 0, offset: 0); d2.data(32)
        expectError(.overflow, d2.bytes)
        var o = RawGGUF(tensors: 1, kvs: 0); o.tensor("w", dims: [4], type: 0, offset: UInt64.max); o.data(32)
        expectError(.overflow, o.bytes)
        var o2 = RawGGUF(tensors: 1, kvs: 0); o2.tensor("w", dims: [4], type: 0, offset: UInt64(Int64.max) - 31); o2.data(32)
        expectError(.outOfBounds, o2.bytes)
        // Size overflow: a big F32 tensor whose byte size exceeds Int.max.
        var s = RawGGUF(tensors: 1, kvs: 0); s.tensor("w", dims: [1 << 31, 1 << 31], type: 0, offset: 0); s.data(32)
        expectError(.overflow, s.bytes)
    }

    @Test func misalignedOverlappingAndOutOfBoundsTensors() {
        var m = RawGGUF(tensors: 1, kvs: 0); m.tensor("w", dims: [4], type: 0, offset: 4); m.data(64)
        expectError(.misaligned, m.bytes)
        var ov = RawGGUF(tensors: 2, kvs: 0)
        ov.tensor("a", dims: [16], type: 0, offset: 0); ov.tensor("b", dims: [4], type: 0, offset: 32); ov.data(96)
        let e = expectError(.overlap, ov.bytes)
        #expect(e?.message.contains("'a'") == true && e?.message.contains("'b'") == true)
        var same = RawGGUF(tensors: 2, kvs: 0)
        same.tensor("a", dims: [4], type: 0, offset: 0); same.tensor("b", dims: [4], type: 0, offset: 0); same.data(64)
        expectError(.overlap, same.bytes)
        var past = RawGGUF(tensors: 1, kvs: 0); past.tensor("w", dims: [64], type: 0, offset: 0); past.data(100)
        expectError(.outOfBounds, past.bytes)
    }

    @Test func duplicatesAndAlignment() {
        var k = RawGGUF(tensors: 0, kvs: 2); k.kvU32("a", 1); k.kvU32("a", 2)
        expectError(.duplicateKey, k.bytes)
        var t = RawGGUF(tensors: 2, kvs: 0)
        t.tensor("w", dims: [4], type: 0, offset: 0); t.tensor("w", dims: [4], type: 0, offset: 32); t.data(64)
        expectError(.duplicateTensor, t.bytes)
        for bad: UInt32 in [0, 3, 48] {
            var a = RawGGUF(tensors: 0, kvs: 1); a.kvU32("general.alignment", bad)
            expectError(.badAlignment, a.bytes)
        }
        var wrongType = RawGGUF(tensors: 0, kvs: 1); wrongType.kvString("general.alignment", "32")
        expectError(.badAlignment, wrongType.bytes)
        var custom = RawGGUF(tensors: 1, kvs: 1); custom.kvU32("general.alignment", 64)
        custom.tensor("w", dims: [4], type: 0, offset: 0); custom.data(16, alignment: 64)
        #expect((try? GGUFFile(bytes: custom.bytes))?.dataOffset == 128)
    }

    @Test func deepNestingIsRejected() {
        var r = RawGGUF(tensors: 0, kvs: 1); r.str("deep"); r.u32(9)
        for _ in 0 ..< 100 { r.u32(9); r.count(1) }
        r.u32(4); r.count(0)
        expectError(.nestingTooDeep, r.bytes)
        var ok = RawGGUF(tensors: 0, kvs: 1); ok.str("two"); ok.u32(9); ok.u32(9); ok.count(1); ok.u32(4); ok.count(2); ok.u32(1); ok.u32(2)
        #expect((try? GGUFFile(bytes: ok.bytes))?.array("two")?.arrays()?.first?.uint32s() == [1, 2])
    }

    @Test func invalidUTF8KeyIsRejected() {
        var r = RawGGUF(tensors: 0, kvs: 1); r.count(2); r.bytes += [0xFF, 0xFE]; r.u32(4); r.u32(1)
        expectError(.invalidUTF8, r.bytes)
    }
}
