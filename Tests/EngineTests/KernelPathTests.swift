import Foundation
import GGUF
import Testing
@testable import Engine

/// Every weight type the engine multiplies: rows decode exactly like the GGUF module's reference codecs, and the
/// matrix products (CKernels or Swift) equal the float product of the decoded weights within the error of the
/// activation encoding.
@Suite struct KernelPathTests {
    struct LCG { var s: UInt64; mutating func next() -> UInt64 { s = s &* 6364136223846793005 &+ 1442695040888963407; return s >> 11 }
        mutating func unit() -> Float { Float(next() % 1_000_000) / 1_000_000 } }

    static let rows = 6, cols = 512

    /// Bytes of a rows×cols matrix in `format` with sane block scales.
    static func matrix(_ f: WeightFormat, interleave: Int = 128) throws -> [UInt8] {
        var g = LCG(s: UInt64(f.rawValue) &+ 99)
        let n = rows * cols
        let x = (0..<n).map { _ in g.unit() * 2 - 1 }
        let tern = (0..<n).map { _ in Int8(Int(g.next() % 3) - 1) }
        func half(_ v: Float) -> [UInt8] { let b = Float16(v).bitPattern; return [UInt8(b & 0xff), UInt8(b >> 8)] }
        func randomBlocks(_ bytesPerBlock: Int, _ fix: (inout [UInt8]) -> Void) -> [UInt8] {
            var out: [UInt8] = []
            for _ in 0..<(n / f.blockSize) {
                var b = (0..<bytesPerBlock).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                fix(&b); out += b
            }
            return out
        }
        switch f {
        case .f32: return TensorCodec.encodeF32(x)
        case .f16: return TensorCodec.encodeF16(x)
        case .bf16: return TensorCodec.encodeBF16(x)
        case .q8_0: return TensorCodec.quantizeQ8_0(x)
        case .tq2_0: return TensorCodec.encodeTQ2_0(values: tern, scale: 0.03125)
        case .tq1_0: return TensorCodec.encodeTQ1_0(values: tern, scale: 0.03125)
        case .i2_s: return try TensorCodec.encodeI2S(values: tern, scale: 0.0421, interleave: interleave)
        case .q4_0: return randomBlocks(18) { b in b.replaceSubrange(0..<2, with: half(0.02 + 0.01 * g.unit())) }
        case .q4_1: return randomBlocks(20) { b in
            b.replaceSubrange(0..<2, with: half(0.02 + 0.01 * g.unit())); b.replaceSubrange(2..<4, with: half(-0.1 * g.unit())) }
        case .q6_K: return randomBlocks(210) { b in b.replaceSubrange(208..<210, with: half(0.001 + 0.001 * g.unit())) }
        // random codes (code 3 included, it decodes as 0) and a different scale per 32-weight block
        case .bitnet32_f16: return randomBlocks(10) { b in b.replaceSubrange(8..<10, with: half(0.02 + 0.02 * g.unit())) }
        case .iq2_s: return randomBlocks(82) { b in b.replaceSubrange(0..<2, with: half(0.001 + 0.001 * g.unit())) }
        case .tl1, .tl2: return []
        }
    }

    static func tensorFormat(_ f: WeightFormat) -> TensorFormat {
        f.tensorFormat
    }

    /// TL1/TL2 tile whole matrices (no addressable rows): the binder repacks them to I2_S (FormatRepackTests).
    static let cases: [(WeightFormat, Parity, Int)] = WeightFormat.allCases.filter { $0 != .tl1 && $0 != .tl2 }.flatMap { f in
        [(f, Parity.bitnet, 128), (f, .llamaCpp, 128)] } + [(.i2_s, .bitnet, 64)]

    @Test(arguments: 0..<cases.count)
    func rowsDecodeAndProductsMatchReference(caseIndex: Int) throws {
        let (f, parity, il) = Self.cases[caseIndex]
        let bytes = try Self.matrix(f, interleave: il)
        let ref = try bytes.withUnsafeBytes {
            try TensorCodec.dequantize($0, format: Self.tensorFormat(f), count: Self.rows * Self.cols,
                                       options: .init(i2sInterleave: il))
        }
        var g = LCG(s: 7)
        let x = (0..<Self.cols).map { _ in (g.unit() * 2 - 1) * (g.next() % 17 == 0 ? 8 : 1) }
        try bytes.withUnsafeBytes { raw in
            let m = MatVec(name: "w", format: f, rows: Self.rows, cols: Self.cols, data: raw.baseAddress!, interleave: il, parity: parity)
            var row = [Float](repeating: 0, count: Self.cols)
            for r in 0..<Self.rows {
                row.withUnsafeMutableBufferPointer { m.row(r, into: $0.baseAddress!) }
                #expect(row == Array(ref[r * Self.cols..<(r + 1) * Self.cols]), "\(f.name) row \(r) decodes differently")
            }
            let q = x.withUnsafeBufferPointer { ActivationQuantizer.quantize($0.baseAddress!, count: Self.cols, as: m.activation) }
            var out = [Float](repeating: .nan, count: Self.rows)
            out.withUnsafeMutableBufferPointer { m.apply(q, $0.baseAddress!, rows: 0..<Self.rows) }
            for r in 0..<Self.rows {
                var exact = 0.0, mag = 0.0
                for i in 0..<Self.cols { let p = Double(ref[r * Self.cols + i]) * Double(x[i]); exact += p; mag += abs(p) }
                // int8 encodings round each input by ≤ half a step of max|x|/127 (per token or per block).
                #expect(abs(Double(out[r]) - exact) <= 0.02 * mag + 1e-6,
                        "\(f.name) \(parity.rawValue) row \(r): \(out[r]) vs \(exact)")
            }
        }
    }
}
