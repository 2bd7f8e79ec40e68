import Foundation
import Testing
import TestSupport

extension EngineCommandTests {
    /// `run --head int8` records the option and the probe's logit cosine in the receipt and on stderr; the default
    /// receipt has no `options`; a bad value is one clear error.
    @Test func runWithInt8HeadRecordsTheOptionAndTheLogitCosine() throws {
        let (dir, model) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("receipt-int8.json")
        let r = try CLI.run(["run", "--model", model.path, "--prompt", "hello doctor", "--max-tokens", "6",
                             "--greedy", "--threads", "2", "--head", "int8", "--receipt", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("logit cosine"))
        let options = try #require(try receipt(out)["options"] as? [String: Any])
        #expect(options["head"] as? String == "int8")
        let cosine = try #require(options["head_logit_cosine"] as? Double)
        #expect(cosine > 0.99 && cosine <= 1.000001)

        let plain = dir.appendingPathComponent("receipt-exact.json")
        let e = try CLI.run(["run", "--model", model.path, "--prompt", "hello doctor", "--max-tokens", "2",
                             "--greedy", "--receipt", plain.path])
        #expect(e.status == 0, "\(e.stderr)")
        #expect(try receipt(plain)["options"] == nil)

        let bad = try CLI.run(["run", "--model", model.path, "--prompt", "x", "--head", "int4"])
        #expect(bad.status != 0 && bad.stderr.contains("--head must be one of exact, int8, screened"))
    }

    /// `run --head screened` generates the exact head's greedy tokens and its receipt says so, with the candidate
    /// counts of the run; `bench --head screened` reports them per decode row.
    @Test func screenedHeadRecordsExactTokensAndCandidates() throws {
        let (dir, model) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        var tokens: [[Int]] = []
        for head in ["exact", "screened"] {
            let out = dir.appendingPathComponent("receipt-\(head).json")
            let r = try CLI.run(["run", "--model", model.path, "--prompt", "hello doctor", "--max-tokens", "8",
                                 "--greedy", "--threads", "2", "--head", head, "--receipt", out.path])
            #expect(r.status == 0, "\(r.stderr)")
            let rec = try receipt(out)
            tokens.append(try #require(rec["generated_tokens"] as? [Int]))
            guard head == "screened" else { continue }
            #expect(!r.stderr.contains("logit cosine"))
            let options = try #require(rec["options"] as? [String: Any])
            #expect(options["head"] as? String == "screened" && options["head_tokens_exact"] as? Bool == true)
            #expect(options["head_logit_cosine"] == nil)
            let mean = try #require(options["head_candidates_mean"] as? Double), max = try #require(options["head_candidates_max"] as? Int)
            #expect(mean >= 1 && Double(max) >= mean && options["head_fallbacks"] as? Int == 0)
            #expect(options["head_screened_tokens"] as? Int == tokens.last?.count)
        }
        #expect(tokens[0] == tokens[1])

        let b = try CLI.run(["bench", "-m", model.path, "-t", "1,2", "-p", "0", "-n", "3", "-r", "1", "--head", "screened", "-o", "json"])
        #expect(b.status == 0, "\(b.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(b.stdout.utf8)) as? [String: Any])
        #expect(json["head"] as? String == "screened" && json["head_tokens_exact"] as? Bool == true)
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.count == 2)
        for row in rows {
            #expect((row["head_candidates_mean"] as? Double ?? 0) >= 1 && row["head_fallbacks"] as? Int == 0)
        }
    }
}
