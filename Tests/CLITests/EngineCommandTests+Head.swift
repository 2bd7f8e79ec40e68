import Foundation
import Testing
import TestSupport

extension EngineCommandTests {
    /// `run --head int8` records the option and the probe's logit cosine in the receipt and on stderr; `--head exact`
    /// leaves the receipt without `options`; a bad value is one clear error.
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
                             "--greedy", "--head", "exact", "--receipt", plain.path])
        #expect(e.status == 0, "\(e.stderr)")
        #expect(try receipt(plain)["options"] == nil)

        let bad = try CLI.run(["run", "--model", model.path, "--prompt", "x", "--head", "int4"])
        #expect(bad.status != 0 && bad.stderr.contains("--head must be one of exact, int8, screened, auto"))
    }

    /// The default `--head auto` screens a float head that is at least 30% of the bytes per token (the tiny model's F16
    /// head: 136 of 435 KiB, by `inspect`), keeps the exact head for a quantized one and for sampling without top-k;
    /// the receipt and bench say what was chosen and why, and greedy and top-k sampled tokens equal `--head exact`'s.
    @Test func autoHeadScreensALargeFloatHeadOnlyAndSaysWhy() throws {
        let (dir, model) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inspect = try #require(try CLI.run(["inspect", model.path, "--format", "json"]).json as? [String: Any])
        let total = try #require(inspect["bytes_per_token"] as? Int)
        let head = try #require((inspect["bytes_per_token_breakdown"] as? [String: Any])?["head"] as? Int)
        #expect(Double(head) / Double(total) >= 0.3, "the fixture must have a head of at least 30%")
        var tokens: [[Int]] = []
        for args in [["--head", "exact"], []] {
            let out = dir.appendingPathComponent("receipt-auto-\(args.count).json")
            let r = try CLI.run(["run", "--model", model.path, "--prompt", "hello doctor", "--max-tokens", "8", "--threads", "2",
                                 "--receipt", out.path] + args)
            #expect(r.status == 0, "\(r.stderr)")
            let rec = try receipt(out)
            tokens.append(try #require(rec["generated_tokens"] as? [Int]))
            if args.isEmpty {
                let options = try #require(rec["options"] as? [String: Any])
                #expect(options["head"] as? String == "screened" && options["head_tokens_exact"] as? Bool == true)
                // the engine counts the matrices it streams; the inspector also counts norm vectors (11 KiB here)
                let choice = try #require(options["head_choice"] as? String)
                let pct = try #require(Int(choice.replacingOccurrences(of: "auto: screened (the F16 head is ", with: "")
                    .replacingOccurrences(of: "% of the bytes per token)", with: "")), "\(choice)")
                #expect(abs(Double(pct) - Double(head) / Double(total) * 100) <= 2, "\(choice)")
            }
        }
        #expect(tokens[0] == tokens[1])

        // sampling with the default top-k (40) is screened with the same tokens; without a top-k cut the whole exact
        // head runs every token, so auto does not screen
        var sampledTokens: [[Int]] = []
        for (args, screened) in [(["--head", "exact"], false), ([], true), (["--top-k", "0"], false)] {
            let out = dir.appendingPathComponent("receipt-sampled-\(sampledTokens.count).json")
            let s = try CLI.run(["run", "--model", model.path, "--prompt", "hello", "--max-tokens", "6", "--temperature", "1.2",
                                 "--seed", "5", "--receipt", out.path] + args)
            #expect(s.status == 0, "\(s.stderr)")
            let rec = try receipt(out)
            sampledTokens.append(try #require(rec["generated_tokens"] as? [Int]))
            let options = rec["options"] as? [String: Any]
            #expect((options?["head"] as? String == "screened") == screened, "\(args)")
            if screened { #expect(options?["head_screened_tokens"] as? Int == 6) }
        }
        #expect(sampledTokens[0] == sampledTokens[1])

        // a Q6_K head: exact, with the reason, in bench's JSON and text
        let q6 = dir.appendingPathComponent("tiny-q6k.gguf")
        #expect(try CLI.run(["synth", q6.path, "--shape", "tiny", "--format", "i2_s", "--embedding", "q6_k", "--seed", "3"]).status == 0)
        let b = try CLI.run(["bench", "-m", q6.path, "-t", "1", "-p", "0", "-n", "2", "-r", "1", "-o", "json"])
        #expect(b.status == 0, "\(b.stderr)")
        let doc = try #require(b.json as? [String: Any])
        #expect(doc["head"] as? String == "exact")
        #expect((doc["head_choice"] as? String)?.hasPrefix("auto: exact (the Q6_K head has no int8 screen") == true, "\(doc)")
        let text = try CLI.run(["bench", "-m", model.path, "-t", "1", "-p", "0", "-n", "2", "-r", "1"])
        #expect(text.status == 0 && text.stdout.contains("head: screened [auto: screened (the F16 head is"), "\(text.stdout)")
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
