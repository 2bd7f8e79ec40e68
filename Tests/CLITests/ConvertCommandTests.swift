import Foundation
import Testing
import TestSupport

/// convert end to end: I2_S → TQ2_0 / TQ1_0 keeps the ternary weights exactly, so the engine's default
/// numerics (per-token int8 for every ternary type) must give the same greedy tokens on the converted files.
@Suite struct ConvertCommandTests {
    func tokens(_ model: URL, _ dir: URL) throws -> [Int] {
        let receipt = dir.appendingPathComponent("r-\(model.lastPathComponent).json")
        let r = try CLI.run(["run", "--model", model.path, "--prompt", "convert me", "--max-tokens", "10",
                             "--greedy", "--receipt", receipt.path])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: receipt)) as? [String: Any]
        return try #require(doc?["generated_tokens"] as? [Int])
    }

    @Test func convertedModelsGiveTheSameTokens() throws {
        let (dir, original) = try EngineCommandTests.tinyModel(format: "i2_s")
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = try tokens(original, dir)
        for target in ["tq2_0", "tq1_0"] {
            let out = dir.appendingPathComponent("tiny-\(target).gguf")
            let c = try CLI.run(["convert", original.path, out.path, "--to", target])
            #expect(c.status == 0, "\(c.stderr)")
            let inspect = try CLI.run(["inspect", out.path, "--format", "json"])
            let ternary = (inspect.json as? [String: Any])?["ternary_format"]
            #expect(String(describing: ternary).uppercased().contains(target.uppercased()))
            #expect(try tokens(out, dir) == reference, "\(target) tokens equal I2_S tokens")
        }
    }

    @Test func refusesToOverwriteWithGarbageInput() throws {
        let dir = try TestEnvironment.makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.gguf")
        try Data("not a gguf file at all".utf8).write(to: bad)
        let out = dir.appendingPathComponent("out.gguf")
        let r = try CLI.run(["convert", bad.path, out.path, "--to", "tq2_0"])
        #expect(r.status != 0)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
