import CKernels
import Foundation
import GGUF
import Testing
import TestSupport
@testable import Engine

/// The load-time repacks (TL1, TL2, uniform BitNet32-F16 → I2_S 128) against the GGUF layer's reference
/// encoders and decoders: the same ternary values and the same scale, byte for byte the I2_S encoding.
@Suite struct FormatRepackTests {
    static func values(_ n: Int, seed: UInt64) -> [Int8] {
        var g = SplitMix64(state: seed)
        return (0..<n).map { _ in Int8(Int(g.next() % 3) - 1) }
    }

    /// The I2_S bytes of a repacked buffer, decoded by the GGUF layer.
    static func decodeRepacked(_ b: RepackedBuffer, count: Int) throws -> TernaryWeights {
        try TensorCodec.ternary(UnsafeRawBufferPointer(start: b.bytes, count: b.count), format: .i2_s, count: count)
    }

    @Test(arguments: [(WeightFormat.tl1, 256, 512, TLConfig(bigM: 128, bigK: 64, smallM: 32)),
                      (.tl1, 128, 256, TLConfig(bigM: 64, bigK: 128, smallM: 64)),
                      (.tl2, 256, 512, TLConfig(bigM: 128, bigK: 96, smallM: 32)),
                      (.tl2, 128, 256, TLConfig(bigM: 128, bigK: 96, smallM: 32)),
                      (.tl2, 64, 384, TLConfig(bigM: 64, bigK: 192, smallM: 32))])
    func tlRepackIsExact(format: WeightFormat, rows: Int, cols: Int, config: TLConfig) throws {
        let v = Self.values(rows * cols, seed: UInt64(rows * 31 + cols))
        let scale: Float = 0.8125
        let bytes = format == .tl1
            ? try TensorCodec.encodeTL1(values: v, rows: rows, cols: cols, scale: scale, config: config)
            : try TensorCodec.encodeTL2(values: v, rows: rows, cols: cols, scale: scale, config: config)
        // the GGUF layer's decoder reads back what was encoded (the truth both sides share)
        let ref = try bytes.withUnsafeBytes {
            format == .tl1 ? try TensorCodec.decodeTL1($0, rows: rows, cols: cols, config: config)
                           : try TensorCodec.decodeTL2($0, rows: rows, cols: cols, config: config)
        }
        #expect(ref.values == v)
        let out = try bytes.withUnsafeBytes {
            try WeightRepack.tl(format, name: "w", data: $0.baseAddress!, rows: rows, cols: cols, config: config)
        }
        let w = try Self.decodeRepacked(out, count: rows * cols)
        #expect(w.values == v, "\(format.name) \(rows)×\(cols) \(config)")
        #expect(w.scales == [scale])
        let i2s = try TensorCodec.encodeI2S(values: v, scale: scale)
        #expect(Array(UnsafeRawBufferPointer(start: out.bytes, count: out.count)) == i2s)
    }

    @Test func tlRepackRejectsForeignCodesAndBadTiles() throws {
        let rows = 128, cols = 256, c = TLConfig(bigM: 128, bigK: 64, smallM: 32)
        var bytes = try TensorCodec.encodeTL1(values: Self.values(rows * cols, seed: 3), rows: rows, cols: cols, scale: 1, config: c)
        bytes[17] = 0xF0                                           // pair index 15 does not exist
        #expect(throws: EngineError.self) {
            try bytes.withUnsafeBytes { _ = try WeightRepack.tl(.tl1, name: "w", data: $0.baseAddress!, rows: rows, cols: cols, config: c) }
        }
        #expect(throws: EngineError.self) {
            try bytes.withUnsafeBytes {
                _ = try WeightRepack.tl(.tl1, name: "w", data: $0.baseAddress!, rows: rows, cols: cols,
                                        config: TLConfig(bigM: 96, bigK: 64, smallM: 32))
            }
        }
        let c2 = TLConfig(bigM: 128, bigK: 96, smallM: 32)
        var tl2 = try TensorCodec.encodeTL2(values: Self.values(rows * cols, seed: 4), rows: rows, cols: cols, scale: 1, config: c2)
        tl2[40] = 0xE0                                             // magnitude 14 does not exist
        #expect(throws: EngineError.self) {
            try tl2.withUnsafeBytes { _ = try WeightRepack.tl(.tl2, name: "w", data: $0.baseAddress!, rows: rows, cols: cols, config: c2) }
        }
    }

    @Test func uniformBitNet32RepacksExactlyAndVaryingScalesDoNot() throws {
        let rows = 64, cols = 256
        let v = Self.values(rows * cols, seed: 11)
        var bytes = TensorCodec.encodeBitNet32F16(values: v, scale: 0.375)
        let out = try #require(bytes.withUnsafeBytes { WeightRepack.bitnet32(data: $0.baseAddress!, rows: rows, cols: cols) })
        let w = try Self.decodeRepacked(out, count: rows * cols)
        #expect(w.values == v && w.scales == [0.375])
        #expect(Array(UnsafeRawBufferPointer(start: out.bytes, count: out.count)) == (try TensorCodec.encodeI2S(values: v, scale: 0.375)))
        // a different scale on one block with a non-zero weight: no repack (the bn32 kernel runs it)
        let block = try #require((0..<(rows * cols / 32)).first { b in v[(b * 32)..<(b * 32 + 32)].contains { $0 != 0 } })
        bytes[block * 10 + 8] ^= 0x01
        #expect(bytes.withUnsafeBytes { WeightRepack.bitnet32(data: $0.baseAddress!, rows: rows, cols: cols) } == nil)
        // the varying-scale repack (codes + f16 block scales) decodes to the file's weights, row by row
        let ref = try bytes.withUnsafeBytes { try TensorCodec.dequantize($0, format: .bitnet32_f16, count: rows * cols) }
        let (codes, scales) = try #require(bytes.withUnsafeBytes { WeightRepack.bitnet32Blocks(data: $0.baseAddress!, rows: rows, cols: cols) })
        var m = MatVec(name: "w", format: .bitnet32_f16, rows: rows, cols: cols, data: UnsafeRawPointer(codes.bytes),
                       interleave: 128, parity: .bitnet)
        m.blockScales = UnsafePointer(scales.bytes.assumingMemoryBound(to: UInt16.self))
        var row = [Float](repeating: 0, count: cols)
        for r in 0..<rows {
            row.withUnsafeMutableBufferPointer { m.row(r, into: $0.baseAddress!) }
            #expect(row == Array(ref[r * cols..<(r + 1) * cols]), "row \(r)")
        }
    }
}

/// The C IQ2_S grid (generated) holds exactly the GGUF layer's table, in order (which the GGUF codec tests check
/// against the PyPI gguf package's dequantization).
@Suite struct IQ2SGridSyncTests {
    static func hexValues(_ relative: String) throws -> [String] {
        let text = try String(contentsOf: TestEnvironment.repoRoot.appendingPathComponent(relative), encoding: .utf8)
        let re = try NSRegularExpression(pattern: "0x[0-9a-fA-F]{16}")
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range, in: text)!]).lowercased()
        }
    }

    @Test func generatedHeaderMatchesTheSwiftTable() throws {
        let swift = try Self.hexValues("Sources/GGUF/IQ2SGrid.swift")
        let c = try Self.hexValues("Sources/CKernels/iq2s_grid.h")
        #expect(swift.count == 1024)
        #expect(c == swift, "run python3 scripts/gen-iq2s-grid.py")
    }
}
