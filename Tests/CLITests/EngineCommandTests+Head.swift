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
        #expect(bad.status != 0 && bad.stderr.contains("--head must be exact or int8"))
    }
}
