import Foundation
import Testing
import TestSupport
@testable import GGUF

/// Random ternary values from a SplitMix64 stream.
func randomTernary(_ n: Int, seed: UInt64) -> [Int8] {
    var state = seed
    return (0 ..< n).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int8((z ^ (z >> 31)) % 3) - 1
    }
}

@Suite struct TLCodecTests {
    struct Case: CustomStringConvertible, Sendable {
        var format: TensorFormat, rows: Int, cols: Int, config: TLConfig
        var description: String { "\(format.rawValue) \(rows)x\(cols) \(config)" }
    }

    /// Every preset configuration on a one-row-tile slice of its shape (same columns, so the same
    /// column tiling and TL2 remainder), plus the configurations the tiny synthetic model uses.
    static let cases: [Case] =
        TLConfig.presetsTL1.map { Case(format: .tl1, rows: $0.config.bigM, cols: $0.cols, config: $0.config) }
        + TLConfig.presetsTL2.map { Case(format: .tl2, rows: $0.config.bigM, cols: $0.cols, config: $0.config) }
        + [Case(format: .tl1, rows: 256, cols: 512, config: TLConfig(bigM: 128, bigK: 64, smallM: 64)),
           Case(format: .tl2, rows: 128, cols: 256, config: TLConfig(bigM: 128, bigK: 96, smallM: 32)),
           Case(format: .tl2, rows: 256, cols: 512, config: TLConfig(bigM: 128, bigK: 96, smallM: 32))]

    static func encode(_ c: Case, _ v: [Int8], scale: Float) throws -> [UInt8] {
        c.format == .tl1 ? try TensorCodec.encodeTL1(values: v, rows: c.rows, cols: c.cols, scale: scale, config: c.config)
                         : try TensorCodec.encodeTL2(values: v, rows: c.rows, cols: c.cols, scale: scale, config: c.config)
    }

    static func decode(_ c: Case, _ b: [UInt8]) throws -> TernaryWeights {
        try b.withUnsafeBytes {
            c.format == .tl1 ? try TensorCodec.decodeTL1($0, rows: c.rows, cols: c.cols, config: c.config)
                             : try TensorCodec.decodeTL2($0, rows: c.rows, cols: c.cols, config: c.config)
        }
    }

    @Test(arguments: cases) func roundTrip(_ c: Case) throws {
        let v = randomTernary(c.rows * c.cols, seed: UInt64(c.rows * 31 + c.cols))
        let bytes = try Self.encode(c, v, scale: 0.0421)
        #expect(bytes.count == c.format.traits.byteSize(elements: c.rows * c.cols, rowLength: c.cols))
        let back = try Self.decode(c, bytes)
        #expect(back.values == v)
        #expect(back.scales == [0.0421])
    }

    /// Full-size round trip for the bitnet_b1_58-large (700m) shapes, recognised by shape.
    @Test func fullLargeShapes() throws {
        for (rows, cols) in [(1536, 1536), (4096, 1536), (1536, 4096)] {
            for format in [TensorFormat.tl1, .tl2] {
                let config = try #require(TLConfig.preset(format, rows: rows, cols: cols))
                let c = Case(format: format, rows: rows, cols: cols, config: config)
                let v = randomTernary(rows * cols, seed: 5)
                #expect(try Self.decode(c, Self.encode(c, v, scale: 1)).values == v, "\(c)")
            }
        }
    }

    /// The Swift encoder writes the same bytes as an independent numpy transcription of the converter.
    @Test(arguments: cases) func matchesConverterPreprocessing(_ c: Case) throws {
        guard TestEnvironment.shouldRun(needs: PythonGGUF.available) else { return }
        let v = randomTernary(c.rows * c.cols, seed: UInt64(c.cols))
        let dir = try TestEnvironment.makeTempDir("tl-ref")
        let inPath = dir.appendingPathComponent("w.i8"), outPath = dir.appendingPathComponent("out.bin")
        try Data(v.map { UInt8(bitPattern: $0) }).write(to: inPath)
        _ = try PythonGGUF.run("formats_tl_ref.py", [c.format.rawValue, inPath.path, String(c.rows), String(c.cols),
                                                    String(c.config.bigM), String(c.config.bigK), String(c.config.smallM), outPath.path])
        let theirs = [UInt8](try Data(contentsOf: outPath))
        var ours: [UInt8]
        if c.format == .tl1 {
            ours = try TensorCodec.tl1Layout(values: v, rows: c.rows, cols: c.cols, config: c.config)
        } else {
            ours = try TensorCodec.tl2Layout(values: v, rows: c.rows, cols: c.cols, config: c.config)
            ours += [UInt8](repeating: 0, count: TensorCodec.tl2PaddedSize(rows: c.rows, cols: c.cols) - ours.count)
        }
        #expect(ours.count == theirs.count)
        let firstDifference = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "first differing byte: \(firstDifference ?? -1)")
    }

    /// Hand-computed TL1 bytes: rows 32, cols 8, BM 32, BK 8, bm 32 (by 8). Byte 0 = row 0 pairs 0–1,
    /// byte 16 = row 0 pairs 2–3 (next pair-of-pairs), byte 32 = row 16 pairs 0–1 (next 16-row strip).
    @Test func tl1HandComputed() throws {
        var v = [Int8](repeating: 0, count: 32 * 8)
        v.replaceSubrange(0 ..< 8, with: [1, -1, 0, 1, -1, -1, 1, 1])     // indices 6, 5, 0, 8
        v[16 * 8] = -1                                                    // row 16 pair 0: index 1
        let bytes = try TensorCodec.tl1Layout(values: v, rows: 32, cols: 8, config: TLConfig(bigM: 32, bigK: 8, smallM: 32))
        #expect(bytes.count == 64)
        #expect(bytes[0] == 0x65)
        #expect(bytes[16] == 0x08)
        #expect(bytes[32] == 0x14)
        #expect(bytes.enumerated().allSatisfy { [0, 16, 32].contains($0.offset) || $0.element == 0x44 })
    }

    @Test func presetsByShape() {
        #expect(TLConfig.preset(.tl2, rows: 1536, cols: 1536) == TLConfig(bigM: 128, bigK: 192, smallM: 32))
        #expect(TLConfig.preset(.tl1, rows: 3200, cols: 3200) == TLConfig(bigM: 320, bigK: 128, smallM: 64))
        #expect(TLConfig.preset(.tl2, rows: 2560, cols: 2560) == nil)       // 2B-4T: no published preset
        #expect(TLConfig(parsing: "128, 96,32") == TLConfig(bigM: 128, bigK: 96, smallM: 32))
        #expect(TLConfig(parsing: "128,96") == nil)
        #expect(TLConfig(parsing: "0,96,32") == nil)
    }

    @Test func badInputIsOneError() throws {
        let v = randomTernary(256 * 256, seed: 1)
        #expect(throws: GGUFError.self) { try TensorCodec.encodeTL2(values: v, rows: 256, cols: 256, scale: 1, config: TLConfig(bigM: 100, bigK: 96, smallM: 32)) }
        #expect(throws: GGUFError.self) { try TensorCodec.encodeTL1(values: v, rows: 256, cols: 256, scale: 1, config: TLConfig(bigM: 128, bigK: 64, smallM: 16)) }
        let junk = [UInt8](repeating: 0xFF, count: 256 * 256 / 4 + 32)
        #expect(throws: GGUFError.self) { try junk.withUnsafeBytes { try TensorCodec.decodeTL1($0, rows: 256, cols: 256, config: TLConfig(bigM: 128, bigK: 64, smallM: 32)) } }
        #expect(throws: GGUFError.self) { try [UInt8](repeating: 0, count: 10).withUnsafeBytes { try TensorCodec.decodeTL2($0, rows: 256, cols: 256, config: TLConfig(bigM: 128, bigK: 96, smallM: 32)) } }
    }
}
