import Foundation
import Testing
import TestSupport
@testable import GGUF

@Suite struct CodecTests {
    /// gguf_write_sample.py output, shared by the tests below (written once per process).
    static let sample: Result<GGUFFile, Error> = Result { try GGUFFile.open(try PythonGGUF.sample(seed: 7)) }

    func floats(_ f: GGUFFile, _ name: String) throws -> [Float] {
        let t = try #require(f.tensor(named: name))
        return try TensorCodec.dequantize(f.tensorBytes(t), format: t.type.format, count: t.elementCount)
    }

    @Test(arguments: ["bf16", "q8_0", "q4_0", "q4_1", "q6_k", "tq1_0", "tq2_0", "tq1_0g", "tq2_0g"])
    func dequantizationMatchesTheGGUFPackage(name: String) throws {
        guard TestEnvironment.shouldRun(needs: PythonGGUF.available) else { return }
        let f = try Self.sample.get()
        let ours = try floats(f, name)
        let theirs = try floats(f, name + ".deq")
        #expect(ours.count == theirs.count && ours.count == 2048)
        #expect(zip(ours, theirs).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(name) decodes differently")
    }

    @Test(arguments: ["bf16", "q8_0", "tq1_0", "tq2_0", "tq1_0g", "tq2_0g"])
    func quantizationMatchesTheGGUFPackageByteForByte(name: String) throws {
        guard TestEnvironment.shouldRun(needs: PythonGGUF.available) else { return }
        let f = try Self.sample.get()
        let src = try floats(f, name + ".src")
        let ours: [UInt8]
        switch name {
        case "bf16": ours = TensorCodec.encodeBF16(src)
        case "q8_0": ours = TensorCodec.quantizeQ8_0(src)
        case "tq1_0", "tq1_0g": ours = TensorCodec.quantizeTQ1_0(src)
        default: ours = TensorCodec.quantizeTQ2_0(src)
        }
        let theirs = Array(f.tensorBytes(try #require(f.tensor(named: name))))
        #expect(ours == theirs, "\(name): first difference at byte \(zip(ours, theirs).enumerated().first { $1.0 != $1.1 }?.offset ?? -1)")
    }

    @Test func f16ConversionMatchesNumpy() throws {
        guard TestEnvironment.shouldRun(needs: PythonGGUF.available) else { return }
        let f = try Self.sample.get()
        let src = try floats(f, "f16conv.src")
        #expect(TensorCodec.encodeF16(src) == Array(f.tensorBytes(try #require(f.tensor(named: "f16conv")))))
    }

    @Test func i2sLayoutByHand() throws {
        // 128 weights: w[0] = +1, w[32] = -1, w[64] = 0, w[96] = +1, w[1] = -1, rest 0; scale 0.5.
        var w = [Int8](repeating: 0, count: 128)
        w[0] = 1; w[32] = -1; w[64] = 0; w[96] = 1; w[1] = -1
        let bytes = try TensorCodec.encodeI2S(values: w, scale: 0.5)
        #expect(bytes.count == 128 / 4 + 32)
        // byte 0: codes 2,0,1,2 in bits 7:6, 5:4, 3:2, 1:0 = 0b10_00_01_10
        #expect(bytes[0] == 0x86)
        // byte 1: w[1] = -1 → code 0 in bits 7:6, then zeros (code 1) → 0b00_01_01_01
        #expect(bytes[1] == 0x15)
        #expect(bytes[2] == 0x55)
        #expect(Array(bytes[32 ..< 36]) == [0x00, 0x00, 0x00, 0x3F]) // 0.5f little-endian
        #expect(bytes[36...].allSatisfy { $0 == 0 })
        let back = try bytes.withUnsafeBytes { try TensorCodec.dequantize($0, format: .i2_s, count: 128) }
        #expect(back == w.map { Float($0) * 0.5 })
    }

    @Test func i2s64InterleaveDiffersAndRoundTrips() throws {
        var rng = SplitMix(seed: 9)
        let w = (0 ..< 512).map { _ in Int8(Int(rng.next() % 3) - 1) }
        let b128 = try TensorCodec.encodeI2S(values: w, scale: 1.25)
        let b64 = try TensorCodec.encodeI2S(values: w, scale: 1.25, interleave: 64)
        #expect(b128 != b64)
        // 64-interleave byte 0 holds weights 0, 16, 32, 48.
        #expect(b64[0] == UInt8(w[0] + 1) << 6 | UInt8(w[16] + 1) << 4 | UInt8(w[32] + 1) << 2 | UInt8(w[48] + 1))
        let t64 = try b64.withUnsafeBytes { try TensorCodec.ternary($0, format: .i2_s, count: 512, options: .init(i2sInterleave: 64)) }
        #expect(t64.values == w && t64.scales == [1.25])
        // The bitnet.cpp quantizer (sign of each float, scale = max|x|) gives the same bytes.
        let q = try TensorCodec.quantizeI2S(w.map { Float($0) * 1.25 })
        #expect(q == b128)
    }

    @Test func sameTernaryWeightsInEveryLayout() throws {
        var rng = SplitMix(seed: 5)
        let w = (0 ..< 1024).map { _ in Int8(Int(rng.next() % 3) - 1) }
        let scale: Float = 0.0234375 // exactly representable in f16
        let layouts: [(TensorFormat, [UInt8])] = [
            (.i2_s, try TensorCodec.encodeI2S(values: w, scale: scale)),
            (.tq2_0, TensorCodec.encodeTQ2_0(values: w, scale: scale)),
            (.tq1_0, TensorCodec.encodeTQ1_0(values: w, scale: scale)),
            (.bitnet32_f16, TensorCodec.encodeBitNet32F16(values: w, scale: scale)),
        ]
        // The direct ternary encoders give the bytes ggml's float quantizers give.
        #expect(layouts[1].1 == TensorCodec.quantizeTQ2_0(w.map { Float($0) * scale }))
        #expect(layouts[2].1 == TensorCodec.quantizeTQ1_0(w.map { Float($0) * scale }))
        var zeros = w; for i in 256 ..< 512 { zeros[i] = 0 }
        #expect(TensorCodec.encodeTQ2_0(values: zeros, scale: scale) == TensorCodec.quantizeTQ2_0(zeros.map { Float($0) * scale }))
        #expect(TensorCodec.encodeTQ1_0(values: zeros, scale: scale) == TensorCodec.quantizeTQ1_0(zeros.map { Float($0) * scale }))
        for (format, bytes) in layouts {
            #expect(bytes.count == format.traits.byteSize(elements: 1024, rowLength: 1024))
            let t = try bytes.withUnsafeBytes { try TensorCodec.ternary($0, format: format, count: 1024) }
            #expect(t.values == w, "\(format)")
            #expect(t.scales.allSatisfy { $0 == scale }, "\(format)")
            let f = try bytes.withUnsafeBytes { try TensorCodec.dequantize($0, format: format, count: 1024) }
            #expect(f == w.map { Float($0) * scale }, "\(format)")
        }
    }

    @Test func halfFloatEdgeCases() {
        #expect(HalfFloat.fromFloat(65504) == 0x7BFF)
        #expect(HalfFloat.fromFloat(65520) == 0x7C00) // rounds to +inf
        #expect(HalfFloat.fromFloat(-0.0) == 0x8000)
        #expect(HalfFloat.fromFloat(5.960464477539063e-08) == 0x0001) // smallest subnormal
        #expect(HalfFloat.toFloat(0x0001) == 5.960464477539063e-08)
        #expect(HalfFloat.toFloat(0x3C00) == 1)
        #expect(HalfFloat.toFloat(0xC000) == -2)
        #expect(HalfFloat.fromFloat(1 + 1.0 / 2048) == 0x3C00) // tie → even
        #expect(HalfFloat.fromFloat(1 + 3.0 / 2048) == 0x3C02) // tie → even (up)
        #expect(HalfFloat.toFloat(HalfFloat.fromFloat(.nan)).isNaN)
        #expect(HalfFloat.bf16ToFloat(HalfFloat.floatToBF16(1.5)) == 1.5)
    }
}
