import Foundation
import Testing
import TestSupport
@testable import GGUF

@Suite struct IQ2SCodecTests {
    /// Random bytes are valid IQ2_S blocks; the f16 `d` is kept finite so the comparison is bit for bit.
    static func randomBlocks(_ n: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB; return z ^ (z >> 31) }
        var bytes = (0 ..< n * 82).map { _ in UInt8(truncatingIfNeeded: next()) }
        for b in 0 ..< n { bytes[b * 82 + 1] &= 0xFB }   // clears one exponent bit: d finite, sign random
        return bytes
    }

    @Test func matchesPyPIGGUFBitForBit() throws {
        guard TestEnvironment.shouldRun(needs: PythonGGUF.available) else { return }
        let blocks = Self.randomBlocks(64, seed: 22)
        let dir = try TestEnvironment.makeTempDir("iq2s")
        let inPath = dir.appendingPathComponent("blocks.bin"), outPath = dir.appendingPathComponent("out.f32")
        try Data(blocks).write(to: inPath)
        _ = try PythonGGUF.run("formats_iq2s_dequant.py", [inPath.path, outPath.path])
        let theirs = try Data(contentsOf: outPath)
        let ours = try blocks.withUnsafeBytes { try TensorCodec.dequantize($0, format: .iq2_s, count: 64 * 256) }
        try #require(theirs.count == ours.count * 4)
        var mismatches = 0
        theirs.withUnsafeBytes { t in
            for i in 0 ..< ours.count where t.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian != ours[i].bitPattern {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    /// Hand-computed block: d = 1, scale nibble 3 → 0.875; group 0 uses grid index 0x101 (qh bits 1:0 = 1,
    /// qs = 1); ggml-common.h lists entry 257 as 0x0819081919192b08 (weight 0 is the low byte).
    @Test func handComputedGroup() throws {
        var block = [UInt8](repeating: 0, count: 82)
        block[0] = 0x00; block[1] = 0x3C                  // f16 1.0
        block[2] = 0x01                                   // qs[0]
        block[2 + 32] = 0b0000_0010                       // sign of weight 1
        block[2 + 64] = 0x01                              // qh[0]: group 0 high bits = 1
        block[2 + 72] = 0x03                              // scales[0] low nibble 3
        let magnitudes: [Float] = [8, 43, 25, 25, 25, 8, 25, 8]
        let out = try block.withUnsafeBytes { try TensorCodec.dequantize($0, format: .iq2_s, count: 256) }
        for j in 0 ..< 8 {
            #expect(out[j] == (j == 1 ? -1 : 1) * 0.875 * magnitudes[j])
        }
        // Group 1 (qs = 0, qh bits 3:2 = 0): entry 0, all bytes 8, scale 0.875.
        #expect(out[8 ..< 16].allSatisfy { $0 == 0.875 * 8 })
        // Groups 2–3 use the high nibble 0: (0.5) · 0.25 = 0.125, entry 0 → 1.
        #expect(out[16 ..< 32].allSatisfy { $0 == 1 })
    }

    @Test func gridTableEdges() {
        #expect(IQ2SGrid.table.count == 1024)
        #expect(IQ2SGrid.table[0] == 0x0808_0808_0808_0808)
        #expect(IQ2SGrid.table[1023] == 0x2B2B_2B2B_2B2B_2B2B)
        // Every byte of every entry is one of the three magnitudes.
        #expect(IQ2SGrid.table.allSatisfy { e in (0 ..< 8).allSatisfy { [0x08, 0x19, 0x2B].contains((e >> (8 * UInt64($0))) & 0xFF) } })
    }
}
