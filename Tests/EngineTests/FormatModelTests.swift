import CKernels
import Foundation
import GGUF
import ModelInspector
import Testing
import TestSupport
@testable import Engine

/// Whole models in TL1, TL2, BitNet32-F16 and with IQ2_S tensors, made from the tiny synthetic I2_S model with
/// `Conversion` (or written here), against the I2_S original or an f32 twin.
@Suite struct FormatModelTests {
    static let prompt = [270, 10, 20, 30, 40, 50]
    static let tiny: [Conversion.Target: TLConfig] = [.tl1: TLConfig(bigM: 128, bigK: 64, smallM: 32),
                                                      .tl2: TLConfig(bigM: 128, bigK: 96, smallM: 32)]

    static func convert(_ input: URL, _ target: Conversion.Target, _ dir: URL, name: String? = nil) throws -> URL {
        let out = dir.appendingPathComponent(name ?? "\(target.rawValue).gguf")
        try Conversion.convert(input: input.path, output: out.path, options: .init(target: target, tlConfig: tiny[target]))
        return out
    }

    /// Calls of kernel `name` made on this thread while `body` ran (threads = 1: every kernel runs on the caller).
    static func calls<T>(_ names: [String], _ body: () throws -> T) rethrows -> (T, UInt64) {
        let ids = names.map { Int32(ck_kernel_index($0)) }
        let before = ids.map { ck_kernel_calls_this_thread($0) }.reduce(0, +)
        let r = try body()
        return (r, ids.map { ck_kernel_calls_this_thread($0) }.reduce(0, +) - before)
    }

    /// The I2_S kernels (gemv for decode, gemm for batched prefill) on every path.
    static let i2sKernels = (0..<ck_kernel_count()).compactMap { ck_kernel_name($0).map { String(cString: $0) } }
        .filter { $0.hasPrefix("i2s_i8_") }

    @Test(arguments: [Conversion.Target.tl1, .tl2, .bitnet32_f16])
    func convertedModelGivesTheI2SLogitsAndTokens(_ target: Conversion.Target) throws {
        let original = try SynthFixtures.model(.bitnetB158, .i2_s)
        let dir = try TestEnvironment.makeTempDir("engine-formats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.convert(original, target, dir)
        let a = try SynthFixtures.session(original), b = try SynthFixtures.session(url)
        let format = try #require(WeightFormat(target.format))
        let (lb, i2sCalls) = try Self.calls(Self.i2sKernels) { try b.logits(after: Self.prompt) }
        let la = try a.logits(after: Self.prompt)
        #expect(la.map(\.bitPattern) == lb.map(\.bitPattern), "\(target.rawValue) logits differ from I2_S")
        let ta = try a.generate(promptTokens: Self.prompt, options: GenerateOptions(maxTokens: 16)).generatedTokens
        let rb = try b.generate(promptTokens: Self.prompt, options: GenerateOptions(maxTokens: 16))
        #expect(ta == rb.generatedTokens)
        let receipt = Receipt(result: rb, session: b, tool: ToolIdentity(version: "test"), deterministic: true, seed: nil)
        #expect(receipt.weight_layouts == b.model.weightLayouts && receipt.model.format == format.name)
        #expect(receipt.kernels.contains { $0.hasPrefix("i2s_i8_") })
        #expect(try ModelInspector.inspect(path: url.path).compatibility["bitnet_doctor"]?.ok == true)
        let mats = b.model.weights.layers.flatMap(\.matrices)
        #expect(mats.allSatisfy { $0.format == .i2_s && $0.sourceFormat == format })
        #expect(b.model.weightLayouts == ["\(format.name)→I2_S (load-time repack): \(mats.count) tensors"])
        #expect(b.model.blockFormat == format.name && b.model.formats.contains(format.name))
        #expect(i2sCalls > 0, "the repacked matrices should run on the I2_S kernels")
    }

    /// TL tensors whose shape has no preset and no recorded configuration: one clear error, no crash.
    @Test func tlWithoutConfigurationIsRefused() throws {
        let dir = try TestEnvironment.makeTempDir("engine-formats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tl2 = try Self.convert(try SynthFixtures.model(.bitnetB158, .i2_s), .tl2, dir)
        // drop the recorded configuration keys
        let f = try GGUFFile.open(tl2.path)
        var w = try GGUFWriter(alignment: f.alignment)
        for e in f.metadata.entries where !e.key.hasPrefix("bitnet_doctor.tl.") && e.key != "general.alignment" {
            w.set(e.key, GGUFWriteValue(e.value))
        }
        for t in f.tensors { try w.addTensor(t.name, dims: t.dims, type: t.type.format, .bytes(Array(f.tensorBytes(t)))) }
        let bare = dir.appendingPathComponent("bare.gguf")
        try w.write(to: bare.path)
        #expect(throws: EngineError.self) { _ = try SynthFixtures.session(bare) }
        let verdict = try ModelInspector.inspect(path: bare.path).compatibility["bitnet_doctor"]
        #expect(verdict?.ok == false && verdict?.reason.contains("tile configuration") == true)
        var o = ModelOptions()
        o.tlConfig = Self.tiny[.tl2]; o.contextSize = 64
        let s = Session(model: try Model.load(url: bare, options: o))
        let ref = try SynthFixtures.session(try SynthFixtures.model(.bitnetB158, .i2_s)).logits(after: Self.prompt)
        #expect(try s.logits(after: Self.prompt).map(\.bitPattern) == ref.map(\.bitPattern))
    }

    /// Rewrites `url` with `body` deciding each tensor's (type, bytes).
    static func rewrite(_ url: URL, to out: URL, _ body: (GGUFTensorInfo, UnsafeRawBufferPointer) throws -> (TensorFormat, [UInt8])?) throws {
        let f = try GGUFFile.open(url.path)
        var w = try GGUFWriter(alignment: f.alignment)
        for e in f.metadata.entries where e.key != "general.alignment" { w.set(e.key, GGUFWriteValue(e.value)) }
        for t in f.tensors {
            let bytes = f.tensorBytes(t)
            let (type, data) = try body(t, bytes) ?? (t.type.format, Array(bytes))
            try w.addTensor(t.name, dims: t.dims, type: type, .bytes(data))
        }
        try w.write(to: out.path)
    }

    /// The repacked varying-scale BitNet32-F16 kernels (gemv for decode, gemm for batched prefill) on every path.
    static let bn32rKernels = (0..<ck_kernel_count()).compactMap { ck_kernel_name($0).map { String(cString: $0) } }
        .filter { $0.hasPrefix("bn32r_i8_") }

    /// The tiny I2_S model converted to BitNet32-F16 (one scale per tensor), and that file with the block scales
    /// multiplied by 1, 1.5, 0.75, 1.25 in turn per 256 weights (so no tensor has one scale).
    static func varyingBitNet32(_ dir: URL) throws -> (uniform: URL, varying: URL) {
        let uniform = try Self.convert(try SynthFixtures.model(.bitnetB158, .i2_s), .bitnet32_f16, dir)
        let varying = dir.appendingPathComponent("bn32-varying.gguf")
        let factors: [Float] = [1, 1.5, 0.75, 1.25]
        try Self.rewrite(uniform, to: varying) { t, bytes in
            guard t.type.format == .bitnet32_f16 else { return nil }
            var b = Array(bytes)
            for blk in 0..<(t.elementCount / 32) {
                let d = Float(Float16(bitPattern: UInt16(b[blk * 10 + 8]) | UInt16(b[blk * 10 + 9]) << 8))
                let nd = Float16(d * factors[(blk / 8) % factors.count]).bitPattern
                b[blk * 10 + 8] = UInt8(nd & 0xff); b[blk * 10 + 9] = UInt8(nd >> 8)
            }
            return (.bitnet32_f16, b)
        }
        return (uniform, varying)
    }

    /// BitNet32-F16 with a different scale per 256 weights: repacked to bn32r codes + f16 block scales, run by the
    /// bn32r kernel, and the logits
    /// equal those of the same weights as TQ2_0 (per-256-block kernel) within float rounding of the block sums.
    @Test func bitnet32WithVaryingScalesRunsTheBN32Kernel() throws {
        let dir = try TestEnvironment.makeTempDir("engine-formats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (uniform, varying) = try Self.varyingBitNet32(dir)
        let tq2 = try Self.convert(varying, .tq2_0, dir, name: "tq2-varying.gguf")
        #expect(try ModelInspector.inspect(path: varying.path).compatibility["bitnet_doctor"]?.ok == true)
        let s = try SynthFixtures.session(varying)
        let mats = s.model.weights.layers.flatMap(\.matrices)
        #expect(mats.allSatisfy { $0.format == .bitnet32_f16 && $0.blockScales != nil })
        #expect(s.model.weightLayouts == ["\(WeightRepack.bitnet32BlocksDescription): \(mats.count) tensors"])
        let (logits, bn32Calls) = try Self.calls(Self.bn32rKernels) { try s.logits(after: Self.prompt) }
        #expect(bn32Calls > 0)
        let ref = try SynthFixtures.session(tq2).logits(after: Self.prompt)
        let uni = try SynthFixtures.session(uniform).logits(after: Self.prompt)
        let scale = ref.map { abs($0) }.max() ?? 1
        let diff = zip(logits, ref).map { abs($0 - $1) }.max() ?? .infinity
        let control = zip(logits, uni).map { abs($0 - $1) }.max() ?? 0
        // Both kernels sum exact integer block sums times the block scale in float; only the grouping (32 vs 256
        // weights) differs, a few ulp per layer. The uniform model (other weights) is the control.
        #expect(diff <= 1e-4 * scale, "max |bn32 − tq2_0| = \(diff) (logit scale \(scale))")
        #expect(control > 100 * diff && control > 1e-3 * scale, "the control should differ clearly, got \(control)")
        #expect(Sampler.argmax(logits) == Sampler.argmax(ref))
    }

    /// An IQ2_S token embedding, which the `bitnet` architecture also uses as the output head: rows decode like
    /// the GGUF layer, the head runs on the IQ2_S × Q8_K kernel, and the logits agree with an f32 twin holding the
    /// dequantized embedding (the difference is the Q8_K rounding of the final hidden state).
    @Test func iq2sEmbeddingAndTiedHeadRun() throws {
        let dir = try TestEnvironment.makeTempDir("engine-formats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = try SynthFixtures.model(.bitnet, .i2_s)
        var g = SplitMix64(state: 99)
        var iq2: [UInt8] = []
        var dequantized: [Float] = []
        let iqURL = dir.appendingPathComponent("iq2s-embd.gguf"), f32URL = dir.appendingPathComponent("f32-embd.gguf")
        try Self.rewrite(src, to: iqURL) { t, _ in
            guard t.name == "token_embd.weight" else { return nil }
            for _ in 0..<(t.elementCount / 256) {
                let d = Float16(0.002 + 0.002 * Float(g.next() % 1000) / 1000).bitPattern
                iq2 += [UInt8(d & 0xff), UInt8(d >> 8)] + (0..<80).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            }
            dequantized = try iq2.withUnsafeBytes { try TensorCodec.dequantize($0, format: .iq2_s, count: t.elementCount) }
            return (.iq2_s, iq2)
        }
        try Self.rewrite(src, to: f32URL) { t, _ in
            t.name == "token_embd.weight" ? (.f32, TensorCodec.encodeF32(dequantized)) : nil
        }
        let s = try SynthFixtures.session(iqURL)
        #expect(s.model.weights.tokenEmbedding.format == .iq2_s && s.model.weights.output.format == .iq2_s)
        var row = [Float](repeating: 0, count: 256)
        row.withUnsafeMutableBufferPointer { s.model.weights.tokenEmbedding.row(5, into: $0.baseAddress!) }
        #expect(row == Array(dequantized[5 * 256..<6 * 256]))
        #expect(try ModelInspector.inspect(path: iqURL.path).compatibility["bitnet_doctor"]?.ok == true)
        let (logits, iqCalls) = try Self.calls(["iq2_s_q8_K_gemv.scalar", "iq2_s_q8_K_gemv.avx2", "iq2_s_q8_K_gemv.avx512vnni"]) { try s.logits(after: Self.prompt) }
        #expect(iqCalls > 0)
        let ref = try SynthFixtures.session(f32URL).logits(after: Self.prompt)
        let scale = ref.map { abs($0) }.max() ?? 1
        let diff = zip(logits, ref).map { abs($0 - $1) }.max() ?? .infinity
        // Q8_K rounds each hidden value by ≤ half a step of its block's max/127.
        #expect(diff <= 0.02 * scale, "max |iq2_s − f32 twin| = \(diff) (logit scale \(scale))")
        let toks = try s.generate(promptTokens: Self.prompt, options: GenerateOptions(maxTokens: 8)).generatedTokens
        #expect(toks.count == 8)
    }
}
