import Foundation
import Testing
import TestSupport
import GGUF
@testable import ModelInspector

@Suite struct ConversionTests {
    static let tinyTL: [Conversion.Target: TLConfig] = [.tl1: TLConfig(bigM: 128, bigK: 64, smallM: 32),
                                                        .tl2: TLConfig(bigM: 128, bigK: 96, smallM: 32)]

    static func tinyI2S(seed: UInt64 = 7) throws -> (dir: URL, path: String) {
        let dir = try TestEnvironment.makeTempDir("convert")
        let path = dir.appendingPathComponent("i2s.gguf").path
        try SyntheticModel.write(to: path, options: .init(shape: .tiny, format: .i2_s, seed: seed))
        return (dir, path)
    }

    static func convert(_ input: String, _ target: Conversion.Target, in dir: URL, name: String? = nil,
                        embedding: Conversion.Embedding = .keep) throws -> String {
        let out = dir.appendingPathComponent(name ?? "\(target.rawValue).gguf").path
        try Conversion.convert(input: input, output: out,
                               options: .init(target: target, embedding: embedding, tlConfig: tinyTL[target]))
        return out
    }

    /// I2_S → X → I2_S gives the identical bytes for every ternary tensor; every other tensor and the
    /// metadata (bar general.file_type and our layout keys) come through unchanged.
    @Test(arguments: [Conversion.Target.tq2_0, .tq1_0, .bitnet32_f16, .tl1, .tl2, .i2_s])
    func roundTripThroughEachFormat(_ target: Conversion.Target) throws {
        let (dir, original) = try Self.tinyI2S()
        let mid = try Self.convert(original, target, in: dir)
        let back = try Self.convert(mid, .i2_s, in: dir, name: "back.gguf")
        let a = try GGUFFile.open(original), m = try GGUFFile.open(mid), b = try GGUFFile.open(back)
        #expect(a.tensors.map(\.name) == b.tensors.map(\.name))
        var ternary = 0
        for t in a.tensors {
            let tb = try #require(b.tensor(named: t.name)), tm = try #require(m.tensor(named: t.name))
            #expect(tb.dims == t.dims && tb.type.format == t.type.format)
            #expect(Array(a.tensorBytes(t)) == Array(b.tensorBytes(tb)), "\(t.name) via \(target.rawValue)")
            if t.type.isTernary { ternary += 1; #expect(tm.type.format == target.format) } else {
                #expect(Array(a.tensorBytes(t)) == Array(m.tensorBytes(tm)))
            }
        }
        #expect(ternary == 14)
        #expect(m.uint("general.file_type") == target.fileType.map(UInt64.init))
        let keys = { (f: GGUFFile) in f.metadata.entries.map(\.key).filter { !$0.hasPrefix("bitnet_doctor.tl.") && $0 != "general.file_type" && $0 != ModelInspector.i2sInterleaveKey } }
        #expect(keys(a) == keys(m))
        #expect(a.string("tokenizer.ggml.model") == m.string("tokenizer.ggml.model"))
        #expect(a.array("tokenizer.ggml.tokens")?.strings() == m.array("tokenizer.ggml.tokens")?.strings())
        // inspect classifies the output by its ternary format
        #expect(ModelInspector.inspect(m).ternaryFormat == target.format.rawValue)
    }

    /// The TL outputs carry their tile configuration, and decode to the synthetic weights.
    @Test func tlOutputsRecordTheirConfig() throws {
        let (dir, original) = try Self.tinyI2S()
        let out = try Self.convert(original, .tl2, in: dir)
        let f = try GGUFFile.open(out)
        #expect(f.array(Conversion.tlKeys.rows)?.integers() == [128, 256, 256, 512])
        #expect(f.array(Conversion.tlKeys.cols)?.integers() == [256, 256, 512, 256])
        #expect(f.array(Conversion.tlKeys.bk)?.integers() == [96, 96, 96, 96])
        let t = try #require(f.tensor(named: "blk.1.ffn_down.weight"))
        let w = try TensorCodec.decodeTL2(f.tensorBytes(t), rows: 256, cols: 512, config: Self.tinyTL[.tl2]!)
        let truth = SyntheticModel.ternaryWeights(name: t.name, count: 512 * 256, fanIn: 512, seed: 7)
        #expect(w.values == truth.values)
        #expect(w.scales == [truth.scale])
    }

    /// The PyPI gguf package reads our TQ2_0/TQ1_0 outputs and dequantizes them to ternary × scale exactly.
    @Test(arguments: [Conversion.Target.tq2_0, .tq1_0])
    func pypiDequantizesOutputs(_ target: Conversion.Target) throws {
        guard TestEnvironment.shouldRun(needs: TestEnvironment.python != nil) else { return }
        let (dir, original) = try Self.tinyI2S()
        let out = try Self.convert(original, target, in: dir)
        let names = ["blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.1.ffn_down.weight", "blk.1.ffn_up.weight"]
        let run = try #require(try Subprocess.python("gguf_dequant.py", [out] + names))
        try #require(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: [String: Any]])
        for name in names {
            let entry = try #require(json[name])
            let dims = try #require(entry["dims"] as? [Int])
            let values = try #require(entry["values"] as? [Double])
            let truth = SyntheticModel.ternaryWeights(name: name, count: dims[0] * dims[1], fanIn: dims[0], seed: 7)
            #expect(entry["type"] as? Int == Int(target.format.traits.id))
            #expect(values.count == truth.values.count)
            #expect(zip(values, truth.values).allSatisfy { Float($0) == Float($1) * truth.scale && Double(Float($0)) == $0 }, "\(name)")
        }
    }

    @Test func embeddingReencoding() throws {
        let (dir, original) = try Self.tinyI2S()
        let out = try Self.convert(original, .tq2_0, in: dir, embedding: .q8_0)
        let f = try GGUFFile.open(out), a = try GGUFFile.open(original)
        let t = try #require(f.tensor(named: "token_embd.weight")), s = try #require(a.tensor(named: "token_embd.weight"))
        #expect(t.type.format == .q8_0)
        let x = try TensorCodec.dequantize(a.tensorBytes(s), format: .f16, count: s.elementCount)
        #expect(Array(f.tensorBytes(t)) == TensorCodec.quantizeQ8_0(x))
    }

    // MARK: refusals

    static func singleTensorFile(_ dir: URL, type: TensorFormat, bytes: [UInt8], dims: [Int] = [256, 2]) throws -> String {
        var w = try GGUFWriter()
        w.set("general.architecture", .string("bitnet-b1.58"))
        try w.addTensor("blk.0.attn_q.weight", dims: dims, type: type, .bytes(bytes))
        let path = dir.appendingPathComponent("in-\(type.rawValue).gguf").path
        try w.write(to: path)
        return path
    }

    @Test func refusesScaleNotRepresentableInF16() throws {
        let dir = try TestEnvironment.makeTempDir("convert-refuse")
        let v = (0 ..< 512).map { Int8($0 % 3) - 1 }
        let input = try Self.singleTensorFile(dir, type: .i2_s, bytes: TensorCodec.encodeI2S(values: v, scale: 0.1))
        let out = dir.appendingPathComponent("out.gguf").path
        #expect { try Conversion.convert(input: input, output: out, options: .init(target: .tq2_0)) } throws: { e in
            "\(e)".contains("not exactly representable in f16")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        // I2_S → I2_S at the other interleave keeps the f32 scale: allowed
        try Conversion.convert(input: input, output: out, options: .init(target: .i2_s, i2sInterleave: 64))
        let f = try GGUFFile.open(out)
        let t = try #require(f.tensor(named: "blk.0.attn_q.weight"))
        let w = try TensorCodec.ternary(f.tensorBytes(t), format: .i2_s, count: 512, options: .init(i2sInterleave: 64))
        #expect(w.values == v && w.scales == [0.1])
    }

    @Test func refusesDifferingBlockScalesIntoOneScaleFormat() throws {
        let dir = try TestEnvironment.makeTempDir("convert-refuse")
        let v = (0 ..< 512).map { Int8(($0 * 7) % 3) - 1 }
        let bytes = TensorCodec.encodeTQ2_0(values: Array(v[0 ..< 256]), scale: 0.5) + TensorCodec.encodeTQ2_0(values: Array(v[256...]), scale: 0.25)
        let input = try Self.singleTensorFile(dir, type: .tq2_0, bytes: bytes)
        let out = dir.appendingPathComponent("out.gguf").path
        #expect { try Conversion.convert(input: input, output: out, options: .init(target: .i2_s)) } throws: { e in
            "\(e)".contains("2 different block scales")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        // TQ1_0 keeps per-block scales: allowed, and exact
        try Conversion.convert(input: input, output: out, options: .init(target: .tq1_0))
        let f = try GGUFFile.open(out)
        let t = try #require(f.tensor(named: "blk.0.attn_q.weight"))
        let w = try TensorCodec.ternary(f.tensorBytes(t), format: .tq1_0, count: 512)
        #expect(w.values == v && w.scales == [0.5, 0.25])
    }

    @Test func refusesTLShapeWithoutConfig() throws {
        let (dir, original) = try Self.tinyI2S()
        let out = dir.appendingPathComponent("tl2.gguf").path
        #expect { try Conversion.convert(input: original, output: out, options: .init(target: .tl2)) } throws: { e in
            "\(e)".contains("--tl-config")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

/// TL output in the separate-scale form (`--tl-scale tensor`) and TL input in that form.
@Suite struct ConversionTLScaleTests {
    @Test(arguments: [Conversion.Target.tl1, .tl2])
    func separateScaleFormRoundTrips(_ target: Conversion.Target) throws {
        let (dir, original) = try ConversionTests.tinyI2S()
        let config = try #require(ConversionTests.tinyTL[target])
        let mid = dir.appendingPathComponent("mid.gguf").path, back = dir.appendingPathComponent("back.gguf").path
        try Conversion.convert(input: original, output: mid, options: .init(target: target, tlConfig: config, tlScale: .tensor))
        let summary = try Conversion.convert(input: mid, output: back, options: .init(target: .i2_s))
        #expect(summary.dropped == 14 && summary.converted == 14)
        let a = try GGUFFile.open(original), m = try GGUFFile.open(mid), b = try GGUFFile.open(back)
        #expect(a.tensors.map(\.name) == b.tensors.map(\.name))
        for t in a.tensors { #expect(Array(a.tensorBytes(t)) == Array(b.tensorBytes(b.tensor(named: t.name)!)), "\(t.name)") }
        #expect(ModelInspector.inspect(m).tlScale == "tensor")
        #expect(ModelInspector.inspect(m).text().contains("separate <name>_scale F32 tensors"))
        #expect(ModelInspector.inspect(m).compatibility["bitnet_cpp"]?.ok == false)
        // The weight holds exactly the converter's bytes; the scale tensor right after it holds β.
        let names = m.tensors.map(\.name)
        for t in m.tensors where t.type.isTernary {
            #expect(t.scaleTensor == t.name + "_scale")
            #expect(names.firstIndex(of: t.name)! + 1 == names.firstIndex(of: t.name + "_scale")!)
            let truth = SyntheticModel.ternaryWeights(name: t.name, count: t.elementCount, fanIn: t.dims[0], seed: 7)
            let layout = target == .tl1 ? try TensorCodec.tl1Layout(values: truth.values, rows: t.dims[1], cols: t.dims[0], config: config)
                                        : try TensorCodec.tl2Layout(values: truth.values, rows: t.dims[1], cols: t.dims[0], config: config)
            let bytes = Array(m.tensorBytes(t))
            #expect(Array(bytes[0 ..< layout.count]) == layout && bytes[layout.count...].allSatisfy { $0 == 0 })
            let s = try #require(m.tensor(named: t.name + "_scale"))
            #expect(s.type.format == .f32 && s.dims == [1])
            #expect(try TensorCodec.dequantize(m.tensorBytes(s), format: .f32, count: 1) == [truth.scale])
        }
        // Our own tail form of the same data: inspect says so.
        let tail = dir.appendingPathComponent("tail.gguf").path
        try Conversion.convert(input: mid, output: tail, options: .init(target: target, tlConfig: config))
        #expect(ModelInspector.inspect(try GGUFFile.open(tail)).tlScale == "tail")
        #expect(ModelInspector.inspect(try GGUFFile.open(tail)).compatibility["bitnet_cpp"]?.ok == true)
    }
}

@Suite struct ConversionInputInterleaveTests {
    /// An explicit input interleave overrides the recorded key: reading a 128 file as 64 scrambles every weight
    /// (the output differs from the 128 reading), and an impossible one is refused before anything is written.
    @Test func explicitInputInterleave() throws {
        let (dir, original) = try ConversionTests.tinyI2S()
        let as64 = dir.appendingPathComponent("as64.gguf").path, as128 = dir.appendingPathComponent("as128.gguf").path
        try Conversion.convert(input: original, output: as64, options: .init(target: .i2_s, inputI2SInterleave: 64))
        try Conversion.convert(input: original, output: as128, options: .init(target: .i2_s, inputI2SInterleave: 128))
        let a = try GGUFFile.open(original), x = try GGUFFile.open(as64), y = try GGUFFile.open(as128)
        for t in a.tensors where t.type.isTernary {
            let orig = Array(a.tensorBytes(t))
            #expect(orig == Array(y.tensorBytes(y.tensor(named: t.name)!)))
            #expect(orig != Array(x.tensorBytes(x.tensor(named: t.name)!)))
        }
        let bad = dir.appendingPathComponent("bad.gguf").path
        #expect(throws: Conversion.Failure.self) {
            try Conversion.convert(input: original, output: bad, options: .init(target: .tq2_0, inputI2SInterleave: 96))
        }
        #expect(!FileManager.default.fileExists(atPath: bad))
    }
}
