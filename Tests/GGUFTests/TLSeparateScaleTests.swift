import Foundation
import Testing
import TestSupport
@testable import GGUF

/// The separate-scale TL form: the weight tensor holds only the converter's bytes (`preprocess_weights_tl1/tl2`,
/// TL2 zero-padded to the fork's size), then a tensor `<name>_scale` with the numpy scalar scale — what
/// utils/convert-hf-to-gguf-bitnet.py's `add_tensor(name + "_scale", …)` calls would give with a plain gguf-py
/// writer (bitnet.cpp's bundled one folds the scale into a tail instead: TLForkWriterLayoutTests). Files here are
/// laid out by hand the way gguf-py writes them (tensor infos, 32-byte alignment, data in order), independent
/// of our writer.
@Suite struct TLSeparateScaleTests {
    static func values(_ n: Int, seed: UInt64) -> [Int8] {
        var s = seed
        return (0 ..< n).map { _ in s = s &* 6364136223846793005 &+ 1442695040888963407; return Int8((s >> 33) % 3) - 1 }
    }

    /// A file with one TL weight (`rows` × `cols`) and its `_scale` tensor (`scaleDims` [] is numpy's 0-d scalar).
    static func file(_ format: TensorFormat, rows: Int, cols: Int, config: TLConfig, scale: Float,
                     scaleDims: [UInt64], withScaleTensor: Bool = true) throws -> (bytes: [UInt8], values: [Int8]) {
        let v = values(rows * cols, seed: 99)
        var data = format == .tl1 ? try TensorCodec.tl1Layout(values: v, rows: rows, cols: cols, config: config)
                                  : try TensorCodec.tl2Layout(values: v, rows: rows, cols: cols, config: config)
        if format == .tl2 { data += [UInt8](repeating: 0, count: (cols - 256) * rows / 3 * 5 / 8 + 256 * rows / 2 * 4 / 8 - data.count) }
        let padded = (data.count + 31) / 32 * 32
        var r = RawGGUF(tensors: withScaleTensor ? 2 : 1, kvs: 1)
        r.kvString("general.architecture", "bitnet-b1.58")
        r.tensor("blk.0.attn_q.weight", dims: [UInt64(cols), UInt64(rows)], type: format == .tl1 ? 38 : 39, offset: 0)
        if withScaleTensor { r.tensor("blk.0.attn_q.weight_scale", dims: scaleDims, type: 0, offset: UInt64(padded)) }
        while r.bytes.count % 32 != 0 { r.bytes.append(0) }
        r.bytes += data + [UInt8](repeating: 0, count: padded - data.count)
        if withScaleTensor { withUnsafeBytes(of: scale.bitPattern.littleEndian) { r.bytes += $0 } }
        return (r.bytes, v)
    }

    @Test(arguments: [(TensorFormat.tl1, TLConfig(bigM: 128, bigK: 64, smallM: 32)), (.tl2, TLConfig(bigM: 128, bigK: 96, smallM: 32))],
          [[UInt64](), [1]])
    func readsAndDecodesTheSeparateScaleForm(_ c: (TensorFormat, TLConfig), _ scaleDims: [UInt64]) throws {
        let (format, config) = c
        let rows = 128, cols = 512
        let (bytes, v) = try Self.file(format, rows: rows, cols: cols, config: config, scale: 0.375, scaleDims: scaleDims)
        let f = try GGUFFile(bytes: bytes)
        let t = try #require(f.tensor(named: "blk.0.attn_q.weight"))
        #expect(t.type.format == format)
        #expect(t.scaleTensor == "blk.0.attn_q.weight_scale")
        let bare = format == .tl1 ? rows * cols / 4 : (cols - 256) * rows / 3 * 5 / 8 + 256 * rows / 2 * 4 / 8
        #expect(t.byteCount == bare)
        #expect(f.tensor(named: "blk.0.attn_q.weight_scale")?.type.format == .f32)
        let w = format == .tl1 ? try TensorCodec.decodeTL1(f.tensorBytes(t), rows: rows, cols: cols, config: config, scale: 0.375)
                               : try TensorCodec.decodeTL2(f.tensorBytes(t), rows: rows, cols: cols, config: config, scale: 0.375)
        #expect(w.values == v)
        #expect(w.scales == [0.375])
    }

    /// Without its `_scale` tensor the bare bytes are too short for either meaning of the id: refused, one line.
    @Test func bareTLWithoutScaleTensorIsRefused() throws {
        let (bytes, _) = try Self.file(.tl1, rows: 128, cols: 512, config: TLConfig(bigM: 128, bigK: 64, smallM: 32),
                                       scale: 1, scaleDims: [1], withScaleTensor: false)
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: bytes) }
    }

    /// Our writer's bitnet.cpp form (`separateScale`) gives the same sizes.
    @Test func writerSeparateScaleSizes() throws {
        var w = try GGUFWriter()
        try w.addTensor("a", dims: [512, 128], type: .tl2, .bytes([UInt8](repeating: 0, count: (512 - 256) * 128 / 3 * 5 / 8 + 256 * 128 / 2 * 4 / 8)),
                        separateScale: true)
        #expect(throws: GGUFError.self) { try w.addTensor("b", dims: [512, 128], type: .i2_s, .bytes([]), separateScale: true) }
        #expect(TensorFormat.tl1.traits.tlDataSize(elements: 512 * 128, rowLength: 512) == 512 * 128 / 4)
        #expect(TensorFormat.i2_s.traits.tlDataSize(elements: 512, rowLength: 512) == nil)
    }
}
