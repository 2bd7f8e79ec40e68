import Foundation
import Testing

/// `run` and `bench` take `--tl-config` for TL files that record no tile configuration; a malformed value is a
/// usage error (exit 2, one line on stderr, nothing on stdout) before any model is read.
@Suite struct TLConfigOptionTests {
    @Test(arguments: [["run", "--model", "/nonexistent.gguf", "--prompt", "x"], ["bench", "-m", "/nonexistent.gguf"]])
    func malformedTLConfigIsAUsageError(base: [String]) throws {
        for bad in ["128,96", "a,b,c", "0,96,32"] {
            let r = try CLI.run(base + ["--tl-config", bad])
            #expect(r.status == 2, "\(base[0]) --tl-config \(bad)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("--tl-config must be BM,BK,bm"), "\(r.stderr)")
        }
    }
}

/// `bench` on a TL2 file: the engine repacks it to I2_S at load and streams the I2_S bytes, so the bytes per token
/// behind its roofline are the engine's count, which equals the I2_S original's (receipts), not the inspector's
/// figure for the TL2 file (a different file, a different count: this assertion failed before).
@Suite struct BenchRepackedBytesTests {
    @Test func benchCountsTheBytesTheEngineStreams() throws {
        let (dir, original) = try EngineCommandTests.tinyModel(format: "i2_s")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tl2 = dir.appendingPathComponent("tiny-tl2.gguf")
        let c = try CLI.run(["convert", original.path, tl2.path, "--to", "tl2", "--tl-config", "128,96,32", "--no-verify"])
        #expect(c.status == 0, "\(c.stderr)")
        func engineBytes(_ m: URL) throws -> Int? {
            let receipt = dir.appendingPathComponent("r-\(m.lastPathComponent).json")
            let r = try CLI.run(["run", "--model", m.path, "--prompt", "x", "--max-tokens", "1", "--receipt", receipt.path])
            #expect(r.status == 0, "\(r.stderr)")
            let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: receipt)) as? [String: Any]
            return (doc?["model"] as? [String: Any])?["bytes_per_token"] as? Int
        }
        let i2s = try #require(try engineBytes(original)), streamed = try #require(try engineBytes(tl2))
        #expect(streamed == i2s)
        let b = try CLI.run(["bench", "-m", tl2.path, "-p", "0", "-n", "2", "-r", "1", "-o", "json"])
        #expect(b.status == 0, "\(b.stderr)")
        #expect((b.json as? [String: Any])?["bytes_per_token"] as? Int == streamed)
    }
}

/// `--repack` takes i2_s, tq1_0 or none; anything else is a usage error before a model is read.
@Suite struct RepackOptionTests {
    /// `--repack tq1_0` reaches the engine: bench's output names the layout (or why it was declined) and the smaller
    /// bytes per token (the logits and tokens are I2_S's: `TernaryRepackTests`).
    @Test func tq1RepackIsRecordedAndKeepsTheTokens() throws {
        let (dir, model) = try EngineCommandTests.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        func run(_ extra: [String]) throws -> [String: Any] {
            let r = try CLI.run(["bench", "-m", model.path, "-t", "2", "-p", "4", "-n", "4", "-r", "1", "-o", "json"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return try #require(r.json as? [String: Any])
        }
        let plain = try run([]), tq1 = try run(["--repack", "tq1_0"])
        let layout = try #require((tq1["weight_layouts"] as? [String])?.first)
        #expect(layout.hasPrefix("I2_S→TQ1_0 (load-time repack") || layout.hasPrefix("--repack tq1_0 declined: "), "\(layout)")
        #expect(plain["weight_layouts"] == nil)
        if layout.hasPrefix("I2_S→TQ1_0") {
            #expect((tq1["bytes_per_token"] as? Int ?? 0) < (plain["bytes_per_token"] as? Int ?? 0))
        }
    }

    @Test(arguments: [["run", "--model", "/nonexistent.gguf", "--prompt", "x"], ["bench", "-m", "/nonexistent.gguf"]])
    func unknownRepackIsAUsageError(base: [String]) throws {
        let r = try CLI.run(base + ["--repack", "tl2"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("--repack must be i2_s, tq1_0 or none"), "\(r.stderr)")
    }
}
