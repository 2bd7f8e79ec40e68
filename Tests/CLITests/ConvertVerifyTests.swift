import Foundation
import Testing
import TestSupport
@testable import bitnet_doctor

/// convert's token check: greedy tokens of a fixed prompt on the input and the converted output.
@Suite struct ConvertVerifyTests {
    static func inspectOK(_ path: String) throws -> Bool {
        let r = try CLI.run(["inspect", path, "--format", "json"])
        let compat = (r.json as? [String: Any])?["compatibility"] as? [String: Any]
        return (compat?["bitnet_doctor"] as? [String: Any])?["ok"] as? Bool ?? false
    }

    /// The tokens `run` generates for the check's prompt (an independent path through the CLI).
    static func runTokens(_ model: URL, _ dir: URL) throws -> [Int] {
        let receipt = dir.appendingPathComponent("r.json")
        let r = try CLI.run(["run", "--model", model.path, "--prompt", ConvertVerification.prompt, "--max-tokens",
                             String(ConvertVerification.tokenCount), "--greedy", "--receipt", receipt.path])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: receipt)) as? [String: Any]
        return try #require(doc?["generated_tokens"] as? [Int])
    }

    @Test(arguments: [["--to", "tq2_0"], ["--to", "tq1_0"], ["--to", "i2_s", "--i2s-interleave", "64"]])
    func runnableTargetsAreVerifiedByDefault(_ args: [String]) throws {
        let (dir, original) = try EngineCommandTests.tinyModel(format: "i2_s")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.gguf")
        let c = try CLI.run(["convert", original.path, out.path] + args)
        #expect(c.status == 0, "\(c.stderr)")
        let line = try #require(c.stderr.split(separator: "\n").first { $0.hasPrefix("verify: equal") }, "\(c.stderr)")
        let reference = try Self.runTokens(original, dir)
        // `run` stops at end-of-generation; the check does not: `run`'s tokens are a prefix of the reported ones.
        #expect(!reference.isEmpty && line.contains(String("\(reference)".dropLast())), "\(line) vs run \(reference)")
        let skip = try CLI.run(["convert", original.path, out.path, "--no-verify"] + args)
        #expect(skip.status == 0 && !skip.stderr.contains("verify"), "\(skip.stderr)")
    }

    /// Targets the engine does not run (per inspect's bitnet_doctor verdict): skipped by default, refused with
    /// --verify. Once the engine runs them, they are verified like the others.
    @Test(arguments: ["tl1", "tl2", "bitnet32-f16"])
    func otherTargetsFollowTheEnginesVerdict(_ target: String) throws {
        let (dir, original) = try EngineCommandTests.tinyModel(format: "i2_s")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.gguf")
        let tl = target == "tl1" ? ["--tl-config", "128,64,32"] : target == "tl2" ? ["--tl-config", "128,96,32"] : []
        let c = try CLI.run(["convert", original.path, out.path, "--to", target] + tl)
        #expect(c.status == 0, "\(c.stderr)")
        let forced = try CLI.run(["convert", original.path, out.path, "--to", target, "--verify"] + tl)
        if try Self.inspectOK(out.path) {
            #expect(c.stderr.contains("verify: equal") && forced.status == 0, "\(c.stderr)")
        } else {
            #expect(c.stderr.contains("verify skipped: the engine does not run the output"), "\(c.stderr)")
            #expect(forced.status == 1 && forced.stderr.contains("cannot verify"), "\(forced.stderr)")
            #expect(FileManager.default.fileExists(atPath: out.path))
        }
    }

    /// The comparison tells different models apart (two seeds) and equal ones together (a file and itself).
    @Test func comparisonDetectsDifferentTokens() throws {
        let (d1, a) = try EngineCommandTests.tinyModel(format: "i2_s")
        let dir = try TestEnvironment.makeTempDir()
        defer { try? FileManager.default.removeItem(at: d1); try? FileManager.default.removeItem(at: dir) }
        let b = dir.appendingPathComponent("seed9.gguf")
        let s = try CLI.run(["synth", b.path, "--shape", "tiny", "--format", "i2_s", "--seed", "9"])
        try #require(s.status == 0)
        let different = try ConvertVerification.compare(input: a.path, output: b.path)
        #expect(!different.equal)
        #expect(different.input.count == ConvertVerification.tokenCount && different.output.count == ConvertVerification.tokenCount)
        #expect(try ConvertVerification.compare(input: a.path, output: a.path).equal)
    }
}
