import Foundation
import Testing
import TestSupport
import GGUF
@testable import ModelInspector

/// `synth` in every ternary layout and embedding type, checked through `inspect` and independent decoders.
@Suite struct SynthFormatsTests {
    static let ternary: [SyntheticModel.WeightFormat] = [.i2_s, .tq2_0, .tq1_0, .tl1, .tl2, .bitnet32_f16]

    static func synth(_ o: SyntheticModel.Options) throws -> String {
        let dir = try TestEnvironment.makeTempDir("synthfmt")
        let path = dir.appendingPathComponent("m.gguf").path
        try SyntheticModel.write(to: path, options: o)
        return path
    }

    /// inspect names the layout, the dialect, the file type, and every ternary tensor has the type.
    @Test(arguments: ternary)
    func inspectNamesEachFormat(_ format: SyntheticModel.WeightFormat) throws {
        let path = try Self.synth(.init(shape: .tiny, format: format, seed: 5))
        let f = try GGUFFile.open(path)
        let i = ModelInspector.inspect(f)
        let expected: String = ["i2_s": "i2_s", "tq2_0": "tq2_0", "tq1_0": "tq1_0", "tl1": "tl1", "tl2": "tl2",
                                "bitnet32-f16": "bitnet32_f16"][format.rawValue]!
        #expect(i.ternaryFormat == expected)
        #expect(i.ternaryDescription == format.tensorFormat.traits.summary)
        let fileTypes: [String: UInt64] = ["i2_s": 40, "tq1_0": 36, "tq2_0": 37, "tl1": 38, "tl2": 39]
        #expect(i.fileType == fileTypes[format.rawValue])
        #expect(f.tensors.filter { $0.type.isTernary }.count == 14)
        #expect(f.tensors.filter { $0.type.isTernary }.allSatisfy { $0.type.format == format.tensorFormat })
        #expect(i.i2sInterleave == (format == .i2_s ? "128" : nil))
        // The text report says the same.
        #expect(i.text().contains(format.tensorFormat.traits.summary))
    }

    /// TL files record a configuration for every weight shape, and each ternary tensor decodes with it to the
    /// synthetic weights (the same values and scale as every other format of the seed).
    @Test(arguments: [SyntheticModel.WeightFormat.tl1, .tl2, .bitnet32_f16])
    func newFormatsHoldTheSeedsWeights(_ format: SyntheticModel.WeightFormat) throws {
        let f = try GGUFFile.open(try Self.synth(.init(shape: .tiny, format: format, seed: 5)))
        for t in f.tensors where t.type.isTernary {
            let (values, scales) = try SyntheticModelTests.weights(f, t.name)
            let truth = SyntheticModel.ternaryWeights(name: t.name, count: t.elementCount, fanIn: t.dims[0], seed: 5)
            #expect(values == truth.values, "\(t.name)")
            #expect(scales.allSatisfy { $0 == truth.scale }, "\(t.name)")
        }
        if format != .bitnet32_f16 {
            #expect(Conversion.Plan.recordedTL(f).count == 4)   // q, k/v, gate/up, down shapes
        }
    }

    @Test func tlConfigThatDoesNotTileIsRefused() throws {
        let dir = try TestEnvironment.makeTempDir("synthfmt")
        let path = dir.appendingPathComponent("m.gguf").path
        #expect(throws: GGUFError.self) {
            try SyntheticModel.write(to: path, options: .init(format: .tl1, tlConfig: TLConfig(bigM: 96, bigK: 64, smallM: 32)))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// The embedding in Q8_0/Q6_K: the PyPI gguf package dequantizes it to within the format's error of the F16
    /// embedding of the same seed, and our bytes are our quantizer's of those values.
    @Test(arguments: [SyntheticModel.EmbeddingFormat.q8_0, .q6_k])
    func embeddingFormats(_ e: SyntheticModel.EmbeddingFormat) throws {
        let q = try Self.synth(.init(shape: .tiny, format: .tq2_0, seed: 5, embedding: e))
        let h = try Self.synth(.init(shape: .tiny, format: .tq2_0, seed: 5))
        let fq = try GGUFFile.open(q), fh = try GGUFFile.open(h)
        let tq = try #require(fq.tensor(named: "token_embd.weight")), th = try #require(fh.tensor(named: "token_embd.weight"))
        #expect(tq.type.format == e.tensorFormat && tq.dims == th.dims)
        #expect(ModelInspector.inspect(fq).embeddingType == e.tensorFormat.rawValue)
        #expect(ModelInspector.inspect(fq).headType == e.tensorFormat.rawValue)
        // Layer weights are untouched by the embedding choice.
        let name = "blk.1.ffn_up.weight"
        #expect(Array(fq.tensorBytes(fq.tensor(named: name)!)) == Array(fh.tensorBytes(fh.tensor(named: name)!)))
        guard TestEnvironment.shouldRun(needs: TestEnvironment.python != nil) else { return }
        let out = try #require(try Subprocess.python("gguf_dequant.py", [q, "token_embd.weight"]))
        try #require(out.status == 0, "\(out.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: out.stdout) as? [String: Any])
        let theirs = try #require((json["token_embd.weight"] as? [String: Any])?["values"] as? [Double])
        let f16 = try TensorCodec.dequantize(fh.tensorBytes(th), format: .f16, count: th.elementCount)
        try #require(theirs.count == f16.count)
        let maxAbs = f16.map(abs).max()!
        let worst = zip(theirs, f16).map { abs(Float($0) - $1) }.max()!
        #expect(worst < maxAbs / (e == .q8_0 ? 100 : 20))
        #expect(worst > 0)
    }
}
