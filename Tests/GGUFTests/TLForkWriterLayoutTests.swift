import Foundation
import Testing
import TestSupport
@testable import GGUF

/// TL1/TL2 files as bitnet.cpp writes them. Its converter (utils/convert-hf-to-gguf-bitnet.py) calls
/// `add_tensor(name, bytes, raw_shape=(M, K), raw_dtype=TL1|TL2)` then `add_tensor(name + "_scale", scale,
/// raw_dtype=F32)`; its bundled gguf-py (3rdparty/llama.cpp/gguf-py/gguf/gguf_writer.py) then
/// - counts and lists only the tensors whose names do not end in `_scale`,
/// - advances the next tensor's offset past a TL1/TL2 tensor by its byte count rounded up to 32, plus 32,
/// - writes each tensor's bytes followed by zeros up to a multiple of 32, in order, so the scale's 4 bytes and
///   28 zeros fill exactly that extra 32-byte slot.
/// The files here are laid out by hand from those facts (independent of our writer), with shapes whose TL2 size
/// is not a multiple of 32 and that use the TL2 remainder columns.
@Suite struct TLForkWriterLayoutTests {
    struct Case: CustomStringConvertible, Sendable {
        var format: TensorFormat, rows: Int, cols: Int, config: TLConfig
        var description: String { "\(format.rawValue) \(rows)x\(cols) \(config)" }
        /// The converter's byte count: TL1 M·K/4; TL2 the np.pad target (K − 256)·M/3·5/8 + 256·M/2·4/8.
        var converterBytes: Int { format == .tl1 ? rows * cols / 4 : (cols - 256) * rows / 3 * 5 / 8 + 256 * rows / 2 * 4 / 8 }
    }

    static let cases = [
        Case(format: .tl1, rows: 32, cols: 128, config: TLConfig(bigM: 32, bigK: 64, smallM: 32)),   // 1024 bytes
        Case(format: .tl2, rows: 32, cols: 320, config: TLConfig(bigM: 32, bigK: 96, smallM: 32)),   // 2474 bytes, 32 remainder columns
        Case(format: .tl2, rows: 32, cols: 288, config: TLConfig(bigM: 32, bigK: 96, smallM: 32)),   // 2261 bytes
    ]

    static let scale = Float(0.0546875).nextDown

    /// The file: the TL weight, then an F32 norm of `cols` values; header counts 2 tensors (no `_scale`).
    static func file(_ c: Case) throws -> (bytes: [UInt8], values: [Int8], norm: [Float], span: [UInt8]) {
        let v = randomTernary(c.rows * c.cols, seed: 7)
        var data = c.format == .tl1 ? try TensorCodec.tl1Layout(values: v, rows: c.rows, cols: c.cols, config: c.config)
                                    : try TensorCodec.tl2Layout(values: v, rows: c.rows, cols: c.cols, config: c.config)
        data += [UInt8](repeating: 0, count: c.converterBytes - data.count)          // the converter's np.pad
        let padded = (data.count + 31) / 32 * 32
        var span = data + [UInt8](repeating: 0, count: padded - data.count)          // write_padding after the weight
        withUnsafeBytes(of: scale.bitPattern.littleEndian) { span += $0 }            // the `_scale` tensor's 4 bytes
        span += [UInt8](repeating: 0, count: 28)                                     // write_padding after it
        let norm = (0 ..< c.cols).map { Float($0) * 0.25 + 1 }

        var r = RawGGUF(tensors: 2, kvs: 2)
        r.kvString("general.architecture", "bitnet")
        r.kvU32("general.file_type", c.format == .tl1 ? 38 : 39)
        r.tensor("blk.0.attn_q.weight", dims: [UInt64(c.cols), UInt64(c.rows)], type: c.format == .tl1 ? 38 : 39, offset: 0)
        r.tensor("blk.0.attn_norm.weight", dims: [UInt64(c.cols)], type: 0, offset: UInt64(padded + 32))
        while r.bytes.count % 32 != 0 { r.bytes.append(0) }
        r.bytes += span
        for x in norm { withUnsafeBytes(of: x.bitPattern.littleEndian) { r.bytes += $0 } }
        return (r.bytes, v, norm, span)
    }

    @Test(arguments: cases) func readsAndDecodesTheForkWritersTailForm(_ c: Case) throws {
        let (bytes, v, norm, span) = try Self.file(c)
        let f = try GGUFFile(bytes: bytes)
        #expect(f.tensors.count == 2)
        let t = try #require(f.tensor(named: "blk.0.attn_q.weight"))
        #expect(t.type.format == c.format)
        #expect(t.scaleTensor == nil)
        #expect(t.byteCount == (c.converterBytes + 31) / 32 * 32 + 32)
        #expect(t.byteCount == c.format.traits.byteSize(elements: c.rows * c.cols, rowLength: c.cols))
        let w = c.format == .tl1 ? try TensorCodec.decodeTL1(f.tensorBytes(t), rows: c.rows, cols: c.cols, config: c.config)
                                 : try TensorCodec.decodeTL2(f.tensorBytes(t), rows: c.rows, cols: c.cols, config: c.config)
        #expect(w.values == v)
        #expect(w.scales.map(\.bitPattern) == [Self.scale.bitPattern])

        let n = try #require(f.tensor(named: "blk.0.attn_norm.weight"))
        let nb = f.tensorBytes(n)
        let got = (0 ..< c.cols).map { Float(bitPattern: UInt32(littleEndian: nb.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        #expect(got == norm)

        // Our tail-form encoder writes exactly the bytes the fork's writer puts in that span.
        let ours = c.format == .tl1 ? try TensorCodec.encodeTL1(values: v, rows: c.rows, cols: c.cols, scale: Self.scale, config: c.config)
                                    : try TensorCodec.encodeTL2(values: v, rows: c.rows, cols: c.cols, scale: Self.scale, config: c.config)
        #expect(ours.count == span.count)
        #expect(ours.indices.first { $0 < span.count && ours[$0] != span[$0] } == nil, "first differing byte")
    }
}
