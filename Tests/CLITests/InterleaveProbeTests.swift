import Foundation
import Testing
import TestSupport
import GGUF
import ModelInspector
@testable import Engine

/// The I2_S interleave probe. A synthetic model has random weights, so it does not predict English: on the
/// built-in probe text both candidates give near-uniform perplexities and the choice is chance. The decision
/// test therefore uses a text the true model does predict — its own greedy continuation of a prompt — and
/// checks that the probe picks the interleave the file was written with, for each of 64 and 128, with the
/// file's interleave key removed (the situation of an ARM-converted bitnet.cpp file). The CLI tests check the
/// mechanics on the built-in text: both candidates run, finite perplexities, reported in text and JSON.
@Suite(.serialized) struct InterleaveProbeTests {
    /// A tiny I2_S model written with `interleave`, copied without `bitnet_doctor.i2_s.interleave`.
    static func unlabeled(interleave: Int, seed: UInt64 = 3) throws -> (dir: URL, labeled: URL, unlabeled: URL) {
        let dir = try TestEnvironment.makeTempDir("probe")
        let labeled = dir.appendingPathComponent("labeled.gguf"), bare = dir.appendingPathComponent("bare.gguf")
        try SyntheticModel.write(to: labeled.path, options: .init(shape: .tiny, format: .i2_s, seed: seed, i2sInterleave: interleave))
        let f = try GGUFFile.open(labeled.path)
        var w = try GGUFWriter(alignment: f.alignment)
        for e in f.metadata.entries where e.key != ModelInspector.i2sInterleaveKey && e.key != "general.alignment" {
            w.set(e.key, GGUFWriteValue(e.value))
        }
        for t in f.tensors { try w.addTensor(t.name, dims: t.dims, type: t.type.format, .bytes(Array(f.tensorBytes(t)))) }
        try w.write(to: bare.path)
        return (dir, labeled, bare)
    }

    static func options() -> ModelOptions {
        var o = ModelOptions()
        o.checkMemory = false
        return o
    }

    @Test(arguments: [64, 128])
    func picksTheInterleaveUnderWhichTheModelPredictsItsOwnText(_ interleave: Int) throws {
        let (dir, _, bare) = try Self.unlabeled(interleave: interleave)
        defer { try? FileManager.default.removeItem(at: dir) }
        var o = Self.options()
        o.i2sInterleave = interleave
        let truth = try Model.load(url: bare, options: o)
        let prompt = [1, 40, 50, 60]
        var sampling = SamplingOptions()
        sampling.greedy = true
        var g = GenerateOptions(maxTokens: 24, sampling: sampling)
        g.stopAtEndOfGeneration = false
        let generated = try Session(model: truth).generate(promptTokens: prompt, options: g).generatedTokens
        let text = prompt + generated
        let r = try InterleaveProbe.decide(url: bare, options: Self.options(), tokens: text)
        #expect(r.method == "perplexity")
        #expect(r.tokens == text.count - 1)
        #expect(r.chosen == interleave, "\(r.perplexities)")
        let right = try #require(r.perplexities[String(interleave)]), wrong = try #require(r.perplexities[String(192 - interleave)])
        #expect(right < wrong)
        #expect(wrong > 2 * right)          // seeds 1–8 gave 5–14×: the decision is not a coin toss
        // The probe's perplexity is the engine's: the right one equals a direct computation on the true model.
        #expect(abs(try InterleaveProbe.perplexity(truth, text) - right) <= 1e-9 * right)
    }

    @Test func recordedInterleaveWinsWithoutRunning() throws {
        let (dir, labeled, _) = try Self.unlabeled(interleave: 64)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try InterleaveProbe.decide(url: labeled, options: Self.options())
        #expect(r == .init(chosen: 64, perplexities: [:], tokens: 0, method: "metadata"))
        let j = try CLI.run(["inspect", labeled.path, "--probe-interleave", "--format", "json"])
        #expect(j.status == 0, "\(j.stderr)")
        let probe = (j.json as? [String: Any])?["i2s_interleave_probe"] as? [String: Any]
        #expect(probe?["method"] as? String == "metadata" && probe?["chosen"] as? Int == 64)
    }

    @Test func inspectReportsBothPerplexities() throws {
        let (dir, _, bare) = try Self.unlabeled(interleave: 64)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try CLI.run(["inspect", bare.path, "--format", "json"])
        #expect((plain.json as? [String: Any])?["i2s_interleave_probe"] == nil)       // off by default
        #expect((plain.json as? [String: Any])?["i2s_interleave"] as? String == "unknown")
        let j = try CLI.run(["inspect", bare.path, "--probe-interleave", "--format", "json"])
        #expect(j.status == 0, "\(j.stderr)")
        let probe = try #require((j.json as? [String: Any])?["i2s_interleave_probe"] as? [String: Any])
        #expect(probe["method"] as? String == "perplexity")
        let ppl = try #require(probe["perplexities"] as? [String: Double])
        #expect(Set(ppl.keys) == ["128", "64"])
        #expect(ppl.values.allSatisfy { $0.isFinite && $0 > 1 })
        #expect((probe["tokens"] as? Int ?? 0) > 10)
        let chosen = try #require(probe["chosen"] as? Int)
        #expect(chosen == (ppl["64"]! < ppl["128"]! ? 64 : 128))
        let t = try CLI.run(["inspect", bare.path, "--probe-interleave"])
        #expect(t.stdout.contains("i2_s interleave   \(chosen)  (probe: perplexity 128 → "))
    }

    @Test func runAutoUsesTheProbe() throws {
        let (dir, labeled, bare) = try Self.unlabeled(interleave: 64)
        defer { try? FileManager.default.removeItem(at: dir) }
        func tokens(_ model: URL, _ extra: [String]) throws -> (Int32, [Int], String) {
            let receipt = dir.appendingPathComponent("r.json")
            let r = try CLI.run(["run", "--model", model.path, "--prompt", "probe me", "--max-tokens", "6", "--greedy",
                                 "--receipt", receipt.path] + extra)
            let doc = try? JSONSerialization.jsonObject(with: Data(contentsOf: receipt)) as? [String: Any]
            return (r.status, doc?["generated_tokens"] as? [Int] ?? [], r.stderr)
        }
        let (s1, byKey, e1) = try tokens(labeled, ["--i2s-interleave", "auto"])
        #expect(s1 == 0 && !e1.contains("probe perplexity"), "\(e1)")            // metadata: no probe
        let (s2, probed, e2) = try tokens(bare, ["--i2s-interleave", "auto"])
        #expect(s2 == 0 && e2.contains("probe perplexity"), "\(e2)")
        let chosen = e2.contains("i2_s interleave 64") ? "64" : "128"
        let (_, forced, _) = try tokens(bare, ["--i2s-interleave", chosen])
        #expect(probed == forced)
        #expect(byKey.count == 6)
        let bad = try CLI.run(["run", "--model", bare.path, "--prompt", "x", "--i2s-interleave", "96"])
        #expect(bad.status != 0 && bad.stderr.contains("128, 64 or auto"))
    }

    /// convert reads an unlabeled ARM file correctly when told (or probed): the result equals synth's x86 file of
    /// the same seed, tensor for tensor; read as 128 instead, the weights come out scrambled.
    @Test func convertReadsTheInputInterleave() throws {
        let (dir, _, bare) = try Self.unlabeled(interleave: 64)
        defer { try? FileManager.default.removeItem(at: dir) }
        let x86 = dir.appendingPathComponent("x86.gguf"), told = dir.appendingPathComponent("told.gguf")
        let wrong = dir.appendingPathComponent("wrong.gguf"), auto = dir.appendingPathComponent("auto.gguf")
        try SyntheticModel.write(to: x86.path, options: .init(shape: .tiny, format: .i2_s, seed: 3, i2sInterleave: 128))
        let c = try CLI.run(["convert", bare.path, told.path, "--to", "i2_s", "--input-i2s-interleave", "64"])
        #expect(c.status == 0 && c.stderr.contains("verify: equal"), "\(c.stderr)")
        #expect(try CLI.run(["convert", bare.path, wrong.path, "--to", "i2_s"]).status == 0)
        let a = try GGUFFile.open(x86.path), w = try GGUFFile.open(wrong.path)
        let b = try #require(try? GGUFFile.open(told.path))
        var scrambled = 0
        for t in a.tensors where t.type.isTernary {
            let same = b.tensor(named: t.name).map { Array(a.tensorBytes(t)) == Array(b.tensorBytes($0)) } ?? false
            #expect(same, "\(t.name)")
            if Array(a.tensorBytes(t)) != Array(w.tensorBytes(w.tensor(named: t.name)!)) { scrambled += 1 }
        }
        #expect(scrambled == 14)
        let p = try CLI.run(["convert", bare.path, auto.path, "--to", "tq2_0", "--input-i2s-interleave", "auto"])
        #expect(p.status == 0 && p.stderr.contains("input i2_s interleave") && p.stderr.contains("verify: equal"), "\(p.stderr)")
        let bad = try CLI.run(["convert", bare.path, auto.path, "--to", "tq2_0", "--input-i2s-interleave", "32"])
        #expect(bad.status != 0 && bad.stderr.contains("128, 64 or auto"))
    }
}
