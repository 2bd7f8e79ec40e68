import Foundation
import Testing
import TestSupport

/// run, bench and check on a tiny synthetic model, end to end through the binary.
@Suite struct EngineCommandTests {
    static func tinyModel(format: String = "i2_s") throws -> (URL, URL) {
        let dir = try TestEnvironment.makeTempDir()
        let path = dir.appendingPathComponent("tiny-\(format).gguf")
        let s = try CLI.run(["synth", path.path, "--shape", "tiny", "--format", format, "--seed", "3"])
        guard s.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        return (dir, path)
    }

    func receipt(_ path: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    }

    /// Same greedy tokens at 1 and 3 threads, and the receipt records what ran: the streamed text is the
    /// decoding of exactly the generated ids, kernels were counted, and the counts are consistent.
    @Test func runIsDeterministicAcrossThreadsAndWritesAnHonestReceipt() throws {
        let (dir, model) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        var tokens: [[Int]] = []
        for t in ["1", "3"] {
            let out = dir.appendingPathComponent("receipt-\(t).json")
            let r = try CLI.run(["run", "--model", model.path, "--prompt", "hello doctor", "--max-tokens", "12",
                                 "--greedy", "--threads", t, "--receipt", out.path])
            #expect(r.status == 0, "\(r.stderr)")
            let rec = try receipt(out)
            #expect(rec["threads"] as? Int == Int(t))
            #expect(rec["compute_path"] as? String == "real")
            let generated = try #require(rec["generated_tokens"] as? [Int])
            #expect(rec["tokens_generated"] as? Int == generated.count)
            let kernels = try #require(rec["kernels"] as? [String])
            let calls = try #require(rec["kernel_calls"] as? [String: Int])
            #expect(!kernels.isEmpty)
            #expect(kernels.allSatisfy { (calls[$0] ?? 0) > 0 })
            #expect(kernels.contains { $0.hasPrefix("i2s_") }, "an I2_S model runs an I2_S kernel")
            tokens.append(generated)
        }
        #expect(tokens[0] == tokens[1])
    }

    @Test func benchReportsEveryRowAndTheInspectorsBytesPerToken() throws {
        let (dir, model) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["bench", "-m", model.path, "-t", "1,2", "-p", "8", "-n", "4", "-r", "2", "--head", "exact", "-o", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(r.json as? [String: Any])
        let rows = try #require(doc["rows"] as? [[String: Any]])
        #expect(rows.map { $0["test"] as? String } == ["pp8", "tg4", "pp8", "tg4"])
        #expect(rows.allSatisfy { ($0["samples"] as? [Double])?.count == 2 })
        let inspect = try CLI.run(["inspect", model.path, "--format", "json"])
        let bytes = try #require((inspect.json as? [String: Any])?["bytes_per_token"] as? Int)
        #expect(doc["bytes_per_token"] as? Int == bytes)
        // what ran is in the output: the head, no load-time layouts, the load time, the binary (its commit as the
        // receipts record it)
        #expect(doc["head"] as? String == "exact" && doc["head_logit_cosine"] == nil && doc["weight_layouts"] == nil)
        #expect(doc["head_choice"] == nil)
        #expect((doc["load_ms"] as? Double ?? 0) > 0)
        // the model map as the kernel counted it after the runs (Linux): the runs touched every matrix of the file
        if FileManager.default.fileExists(atPath: "/proc/self/smaps") {
            let pages = try #require(doc["weight_pages"] as? [String: Int])
            let size = try #require(FileManager.default.attributesOfItem(atPath: model.path)[.size] as? Int)
            let resident = try #require(pages["resident_bytes"]), huge = try #require(pages["huge_bytes"])
            #expect(resident > 0 && resident <= (size + 4095) / 4096 * 4096 && huge <= resident)
        }
        let tool = try #require(doc["tool"] as? [String: String])
        let version = try CLI.run(["--version"]).stdout
        #expect(tool["name"] == "bitnet-doctor" && version.contains("commit \(tool["commit"] ?? "?"))"), "\(tool) \(version)")
        // an int8 head is named, with its cosine, and so are the huge-page copies when THP is available
        let h = try CLI.run(["bench", "-m", model.path, "-t", "1", "-p", "0", "-n", "2", "-r", "1", "--head", "int8",
                             "--hugepages", "-o", "json"])
        #expect(h.status == 0, "\(h.stderr)")
        let hd = try #require(h.json as? [String: Any])
        #expect(hd["head"] as? String == "int8" && (hd["head_logit_cosine"] as? Double ?? 0) > 0.99)
        #expect((hd["weight_layouts"] as? [String])?.count == 1, "\(hd["weight_layouts"] ?? "none")")
    }

    @Test func checkWithAModelRunsTheEngine() throws {
        let (dir, model) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["check", "--model", model.path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(r.json as? [String: Any])
        let areas = try #require(doc["areas"] as? [[String: Any]])
        let receipt = try #require(areas.first { $0["id"] as? String == "receipt" })
        #expect(receipt["status"] as? String == "ok")
        #expect((doc["notes"] as? [String])?.contains { $0.hasPrefix("No run") } != true)
        // on an AVX2 CPU our own run takes the SIMD kernels: the doctor must not report it as a scalar fallback
        let ids = (doc["findings"] as? [[String: Any]])?.compactMap { $0["rule_id"] as? String } ?? []
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if cpuinfo.range(of: "\\bavx2\\b", options: .regularExpression) != nil {
            #expect(!ids.contains("scalar-kernel"), "\(ids)")
        }
    }
}
