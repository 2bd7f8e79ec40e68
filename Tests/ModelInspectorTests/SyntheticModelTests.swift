import Foundation
import Testing
import TestSupport
import GGUF
@testable import ModelInspector

@Suite struct SyntheticModelTests {
    static func synth(_ format: SyntheticModel.WeightFormat, seed: UInt64 = 11, arch: SyntheticModel.Architecture = .bitnetB158,
                      vocab: String? = nil, interleave: Int = 128) throws -> GGUFFile {
        let dir = try TestEnvironment.makeTempDir("synth")
        let path = dir.appendingPathComponent("\(format.rawValue).gguf").path
        try SyntheticModel.write(to: path, options: .init(shape: .tiny, format: format, architecture: arch, vocabPath: vocab,
                                                          seed: seed, i2sInterleave: interleave))
        return try GGUFFile.open(path)
    }

    /// Ternary values and per-weight scale of a layer weight, decoded from whatever format stores it.
    static func weights(_ f: GGUFFile, _ name: String, interleave: Int = 128) throws -> ([Int8], [Float]) {
        let t = try #require(f.tensor(named: name))
        let n = t.elementCount
        if t.type.format == .tl1 || t.type.format == .tl2 {
            let config = try #require(Conversion.Plan.recordedTL(f)[.init(rows: t.dims[1], cols: t.dims[0])], "no recorded TL config")
            let w = t.type.format == .tl1 ? try TensorCodec.decodeTL1(f.tensorBytes(t), rows: t.dims[1], cols: t.dims[0], config: config)
                                          : try TensorCodec.decodeTL2(f.tensorBytes(t), rows: t.dims[1], cols: t.dims[0], config: config)
            return (w.values, (0 ..< n).map { w.scale(at: $0) })
        }
        if t.type.isTernary {
            let w = try TensorCodec.ternary(f.tensorBytes(t), format: t.type.format, count: n, options: .init(i2sInterleave: interleave))
            return (w.values, (0 ..< n).map { w.scale(at: $0) })
        }
        let x = try TensorCodec.dequantize(f.tensorBytes(t), format: t.type.format, count: n)
        let scale = x.map(abs).max() ?? 0
        return (x.map { $0 == 0 ? 0 : ($0 > 0 ? 1 : -1) }, [Float](repeating: scale, count: n))
    }

    @Test func tinyHasTheBitNetStructure() throws {
        let f = try Self.synth(.i2_s)
        #expect(f.tensors.count == 2 * 11 + 2)
        #expect(f.architecture == "bitnet-b1.58")
        #expect(f.dialect == .bitnetFork)
        #expect(f.tensor(named: "token_embd.weight")?.type.format == .f16)
        #expect(f.tensor(named: "blk.1.ffn_down.weight")?.dims == [512, 256])
        #expect(f.tensor(named: "blk.0.attn_k.weight")?.dims == [256, 128])
        #expect(f.tensor(named: "blk.0.ffn_sub_norm.weight")?.dims == [512])
        #expect(f.tensor(named: "output.weight") == nil)
        let i = ModelInspector.inspect(f)
        #expect(i.shape == .init(layers: 2, hidden: 256, ffn: 512, heads: 4, kvHeads: 2, headDim: 64, vocab: 272, context: 512,
                                 ropeBase: 10000, ropeDims: 64, eps: Double(Float(1e-5))))
        #expect(i.ternaryFormat == "i2_s" && i.i2sInterleave == "128")
        #expect(i.compatibility["bitnet_doctor"]?.ok == true)
        #expect(i.compatibility["llama_cpp"]?.ok == false)
    }

    @Test func sameSeedGivesTheSameWeightsInEveryFormat() throws {
        // IQ2_S has no zero: synth approximates the ternary values (checked below), every other format stores them
        let files = try SyntheticModel.WeightFormat.allCases.filter { $0 != .iq2_s }.map { ($0, try Self.synth($0)) }
        let names = ["blk.0.attn_q.weight", "blk.1.ffn_down.weight", "blk.0.attn_v.weight"]
        let iq2s = try Self.synth(.iq2_s)
        for name in names {
            let (v0, s0) = try Self.weights(files[0].1, name)
            #expect(Set(v0) == [-1, 0, 1])
            let t = try #require(iq2s.tensor(named: name))
            #expect(t.type.format == .iq2_s)
            let a = try TensorCodec.dequantize(iq2s.tensorBytes(t), format: .iq2_s, count: t.elementCount)
            #expect(zip(v0, a).allSatisfy { v, x in v == 0 || (v > 0) == (x > 0) }, "\(name): IQ2_S flips a sign")
            for (format, f) in files.dropFirst() {
                let (v, s) = try Self.weights(f, name)
                #expect(v == v0, "\(name) values differ in \(format)")
                #expect(s == s0, "\(name) scales differ in \(format)")
            }
        }
        // Norms: identical f32 values in every format.
        for (_, f) in files {
            let t = try #require(f.tensor(named: "blk.0.attn_norm.weight"))
            let a = try TensorCodec.dequantize(f.tensorBytes(t), format: .f32, count: t.elementCount)
            #expect(a == SyntheticModel.normWeights(name: t.name, count: 256, seed: 11))
        }
        let other = try Self.synth(.i2_s, seed: 12)
        #expect(try Self.weights(other, names[0]).0 != (try Self.weights(files[0].1, names[0]).0))
    }

    @Test func i2s64InterleaveIsRecordedAndDecodes() throws {
        let f = try Self.synth(.i2_s, interleave: 64)
        let ref = try Self.synth(.tq2_0)
        #expect(ModelInspector.inspect(f).i2sInterleave == "64")
        #expect(try Self.weights(f, "blk.0.attn_q.weight", interleave: 64).0 == (try Self.weights(ref, "blk.0.attn_q.weight").0))
        #expect(try Self.weights(f, "blk.0.attn_q.weight", interleave: 128).0 != (try Self.weights(ref, "blk.0.attn_q.weight").0))
    }

    @Test func officialShapeHasTheOfficialTensorList() throws {
        let w = try SyntheticModel.plan(.init(shape: .b2_4t, format: .i2_s))
        #expect(w.tensors.count == 332)
        #expect(w.tensors.filter { $0.type.format == .i2_s }.count == 210)
        #expect(w.tensors.filter { $0.type.format == .f32 }.count == 121)
        let embd = try #require(w.tensors.first { $0.name == "token_embd.weight" })
        #expect(embd.type.format == .f16 && embd.dims == [2560, 128_256])
        #expect(!w.tensors.contains { $0.name == "output.weight" })
        let dataBytes = w.tensors.reduce(0) { $0 + ($1.byteCount + 31) / 32 * 32 }
        // About 1.19 GB of tensor data, like the official file.
        #expect(dataBytes > 1_170_000_000 && dataBytes < 1_200_000_000)
        #expect(throws: GGUFError.self) { try SyntheticModel.plan(.init(shape: .b3, format: .tq2_0)) }
    }

    @Test func vocabularyIsCopiedFromAVocabFile() throws {
        let url = TestEnvironment.testData("vocab/ggml-vocab-llama-bpe.gguf")
        guard TestEnvironment.shouldRun(needs: url != nil) else { return }
        let vocabPath = try #require(url).path
        let vocab = try GGUFFile.open(vocabPath)
        let f = try Self.synth(.tq2_0, vocab: vocabPath)
        #expect(f.tensor(named: "token_embd.weight")?.dims == [256, 128_256])
        #expect(f.uint("bitnet-b1.58.vocab_size") == 128_256)
        for key in vocab.metadata.keys where key.hasPrefix("tokenizer.") {
            let a = try #require(f.metadata[key], "\(key) not copied")
            #expect(a.type == vocab.metadata[key]?.type)
            if let x = a.arrayValue, let y = vocab.array(key) { #expect(Array(x.rawBytes) == Array(y.rawBytes), "\(key)") }
            else { #expect(a.description == vocab.metadata[key]?.description, "\(key)") }
        }
    }

    @Test func builtinVocabularyIsGPT2ByteLevel() {
        let v = BuiltinVocabulary.tokens()
        #expect(v.tokens.count == 256 + BuiltinVocabulary.merges.count + 2)
        // GPT-2 byte-to-unicode: '!' is token 0, space is 'Ġ' (U+0120), newline is 'Ċ' (U+010A).
        #expect(v.tokens[0] == "!")
        let space = BuiltinVocabulary.byteOrder.first { $0.0 == 32 }
        #expect(space?.1 == "Ġ")
        #expect(BuiltinVocabulary.byteOrder.first { $0.0 == 10 }?.1 == "Ċ")
        #expect(Set(v.tokens).count == v.tokens.count)
        // Every merge's parts are tokens defined before it.
        for (i, (a, b)) in BuiltinVocabulary.merges.enumerated() {
            let known = Set(v.tokens[0 ..< 256 + i])
            #expect(known.contains(a) && known.contains(b), "merge \(a) \(b)")
        }
        #expect(v.tokens[v.bos] == "<|begin_of_text|>" && v.types[v.bos] == 3)
    }

    @Test(arguments: [SyntheticModel.WeightFormat.tq1_0, .tq2_0, .f16])
    func theGGUFPackageDecodesSynthWeightsAsTernaryTimesScale(format: SyntheticModel.WeightFormat) throws {
        guard TestEnvironment.shouldRun(needs: TestEnvironment.python != nil) else { return }
        let f = try Self.synth(format, arch: .bitnet)
        let name = "blk.1.ffn_down.weight"
        let path = try #require(f.path)
        let out = try #require(try Subprocess.python("gguf_dequant.py", [path, name]))
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: out.stdout) as? [String: [String: Any]])
        let values = try #require(json[name]?["values"] as? [Double])
        #expect(json[name]?["dims"] as? [Int] == [512, 256])
        let (t, s) = SyntheticModel.ternaryWeights(name: name, count: 512 * 256, fanIn: 512, seed: 11)
        #expect(values.count == t.count)
        #expect(zip(values, t).allSatisfy { Float($0) == Float($1) * s })
    }
}
