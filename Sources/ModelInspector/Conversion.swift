import Foundation
import GGUF

/// Exact conversion between the ternary layouts (`bitnet-doctor convert`). Ternary values and scales are
/// preserved; a conversion that would change either is refused with one line saying why. Other tensors and
/// all metadata are copied (the embedding can be re-encoded on request).
public enum Conversion {
    public enum Target: String, CaseIterable, Sendable {
        case i2_s, tq2_0, tq1_0, bitnet32_f16 = "bitnet32-f16", tl1, tl2

        public var format: TensorFormat {
            switch self {
            case .i2_s: .i2_s
            case .tq2_0: .tq2_0
            case .tq1_0: .tq1_0
            case .bitnet32_f16: .bitnet32_f16
            case .tl1: .tl1
            case .tl2: .tl2
            }
        }

        /// `general.file_type` for the output: llama.cpp's TQ1_0/TQ2_0 (36/37), the bitnet.cpp fork's TL1/TL2/I2_S
        /// (38/39/40). BitNet32-F16 has no published value: the key is removed.
        var fileType: UInt32? {
            switch self {
            case .tq1_0: 36
            case .tq2_0: 37
            case .tl1: 38
            case .tl2: 39
            case .i2_s: 40
            case .bitnet32_f16: nil
            }
        }
    }

    /// What to do with `token_embd.weight`.
    public enum Embedding: String, CaseIterable, Sendable {
        case keep, f16, q8_0, q6_k
        var format: TensorFormat? {
            switch self {
            case .keep: nil
            case .f16: .f16
            case .q8_0: .q8_0
            case .q6_k: .q6_k
            }
        }
    }

    /// Where TL1/TL2 output keeps each tensor's scale: a 32-byte tail of the tensor (the default, self-contained
    /// like I2_S; bitnet.cpp's files have it too) or a separate F32 tensor `<name>_scale` after it.
    public enum TLScale: String, CaseIterable, Sendable { case tail, tensor }

    public struct Options: Sendable {
        public var target: Target
        public var embedding: Embedding
        /// Tile configuration for TL1/TL2 shapes without a published preset (output, and input without
        /// recorded configuration).
        public var tlConfig: TLConfig?
        /// I2_S interleave of the output (128 x86, 64 ARM).
        public var i2sInterleave: Int
        public var tlScale: TLScale
        /// I2_S interleave of the input; nil = the recorded key, else 128.
        public var inputI2SInterleave: Int?
        public init(target: Target, embedding: Embedding = .keep, tlConfig: TLConfig? = nil, i2sInterleave: Int = 128,
                    tlScale: TLScale = .tail, inputI2SInterleave: Int? = nil) {
            self.target = target; self.embedding = embedding; self.tlConfig = tlConfig; self.i2sInterleave = i2sInterleave
            self.tlScale = tlScale; self.inputI2SInterleave = inputI2SInterleave
        }
    }

    public struct Summary: Sendable, Equatable {
        /// Ternary tensors re-encoded.
        public var converted: Int
        /// Tensors copied byte for byte.
        public var copied: Int
        /// Tensors re-encoded because of `--embedding`.
        public var reencoded: Int
        /// bitnet.cpp's separate TL scale tensors of the input, folded into the converted tensors.
        public var dropped: Int = 0
    }

    /// Metadata keys recording the TL tile configuration of the shapes in a file we wrote: parallel u32
    /// arrays, entry i says that weights of `rows[i]` × `cols[i]` use (BM, BK, bm) = (`bm[i]`, `bk[i]`, `bmm[i]`)
    /// (the names of bitnet.cpp's kernel_config.ini keys).
    public static let tlKeys = (rows: "bitnet_doctor.tl.rows", cols: "bitnet_doctor.tl.cols",
                                bm: "bitnet_doctor.tl.bm", bk: "bitnet_doctor.tl.bk", bmm: "bitnet_doctor.tl.bmm")

    /// Converts `input` to `output`. `progress(done, total)` counts tensor data bytes written.
    /// Everything is checked before the output is created; the output appears only when complete.
    @discardableResult
    public static func convert(input: String, output: String, options: Options,
                               progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        let file = try GGUFFile.open(input)
        let plan = try Plan(file: file, options: options)
        var writer = try GGUFWriter(alignment: file.alignment)
        let dropped: Set<String> = ["general.alignment", "general.file_type", ModelInspector.i2sInterleaveKey,
                                    tlKeys.rows, tlKeys.cols, tlKeys.bm, tlKeys.bk, tlKeys.bmm]
        for e in file.metadata.entries where !dropped.contains(e.key) {
            writer.set(e.key, GGUFWriteValue(e.value))
        }
        if let ft = options.target.fileType { writer.set("general.file_type", .uint32(ft)) }
        if options.target == .i2_s { writer.set(ModelInspector.i2sInterleaveKey, .uint32(UInt32(options.i2sInterleave))) }
        if options.target == .tl1 || options.target == .tl2 { recordTL(&writer, plan.outputTL) }
        var summary = Summary(converted: 0, copied: 0, reencoded: 0)
        for t in file.tensors {
            let action = plan.actions[t.name]!
            switch action {
            case .copy:
                summary.copied += 1
                try writer.addTensor(t.name, dims: t.dims, type: t.type.format, .stream { out in try out.write(file.tensorBytes(t)) })
            case .ternary:
                summary.converted += 1
                let format = options.target.format
                if (format == .tl1 || format == .tl2) && options.tlScale == .tensor {
                    guard let data = format.traits.tlDataSize(elements: t.elementCount, rowLength: t.dims[0]),
                          let scale = plan.scales[t.name] else { throw Failure("tensor '\(t.name)' has no \(format.traits.name) size") }
                    try writer.addTensor(t.name, dims: t.dims, type: format, .stream { out in
                        try out.write(Array(plan.encodeTernary(t)[0 ..< data]))
                    }, separateScale: true)
                    try writer.addTensor(t.name + TensorTypeTraits.tlScaleSuffix, dims: [1], type: .f32, .bytes(TensorCodec.encodeF32([scale])))
                } else {
                    try writer.addTensor(t.name, dims: t.dims, type: format, .stream { out in try out.write(plan.encodeTernary(t)) })
                }
            case .drop:
                summary.dropped += 1
            case .embedding(let format):
                summary.reencoded += 1
                try writer.addTensor(t.name, dims: t.dims, type: format, .stream { out in try out.write(plan.encodeEmbedding(t, as: format)) })
            }
        }
        let temp = output + ".partial"
        do {
            try writer.write(to: temp, progress: progress)
            if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
            try FileManager.default.moveItem(atPath: temp, toPath: output)
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
        return summary
    }

    /// A conversion refused or impossible: one line.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    struct TLShape: Hashable { var rows: Int, cols: Int }

    /// Writes `tlKeys` for `configs`, one entry per shape, sorted by shape.
    static func recordTL(_ writer: inout GGUFWriter, _ configs: [TLShape: TLConfig]) {
        let shapes = configs.sorted { ($0.key.rows, $0.key.cols) < ($1.key.rows, $1.key.cols) }
        func arr(_ f: (TLShape, TLConfig) -> Int) -> GGUFWriteValue { .array(.uint32, shapes.map { .uint32(UInt32(f($0.key, $0.value))) }) }
        writer.set(tlKeys.rows, arr { s, _ in s.rows })
        writer.set(tlKeys.cols, arr { s, _ in s.cols })
        writer.set(tlKeys.bm, arr { _, c in c.bigM })
        writer.set(tlKeys.bk, arr { _, c in c.bigK })
        writer.set(tlKeys.bmm, arr { _, c in c.smallM })
    }
}
