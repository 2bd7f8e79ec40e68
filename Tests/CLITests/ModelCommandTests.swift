import Foundation
import Testing
import TestSupport

@Suite struct ModelCommandTests {
    /// synth writes a model; inspect reads it back; the PyPI gguf package (an independent reader) agrees on
    /// the tensor count, the element count and the ternary type.
    @Test func synthThenInspect() throws {
        let dir = try TestEnvironment.makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tiny.gguf").path
        let s = try CLI.run(["synth", path, "--shape", "tiny", "--format", "tq2_0", "--seed", "7"])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stdout.isEmpty, "synth prints progress to stderr only")
        let r = try CLI.run(["inspect", path, "--format", "json"])
        #expect(r.status == 0)
        let doc = try #require(r.json as? [String: Any])
        let params = try #require(doc["parameters"] as? Int)
        guard TestEnvironment.shouldRun(needs: TestEnvironment.python != nil) else { return }
        let py = try #require(try Subprocess.python("gguf_dump.py", [path]), "the test venv with PyPI gguf is required")
        #expect(py.status == 0, "\(py.stderr)")
        let dump = try #require(try JSONSerialization.jsonObject(with: py.stdout) as? [String: Any])
        let tensors = try #require(dump["tensors"] as? [[String: Any]])
        let elements = tensors.reduce(0) { acc, t in acc + ((t["dims"] as? [Int]) ?? []).reduce(1, *) }
        #expect(params == elements)
        #expect(tensors.contains { ($0["type"] as? Int) == 35 }, "TQ2_0 is ggml type 35")
    }

    @Test func hostileFileIsOneLineError() throws {
        let dir = try TestEnvironment.makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.gguf").path
        try Data("GGUF\u{3}\0\0\0".utf8).write(to: URL(fileURLWithPath: path))
        let r = try CLI.run(["inspect", path])
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("byte"))
    }

    @Test func inspectSystemShowsFacts() throws {
        let r = try CLI.run(["inspect", "--system", "--format", "json"])
        #expect(r.status == 0)
        #expect((r.json as? [String: Any])?["families"] != nil)
    }
}
