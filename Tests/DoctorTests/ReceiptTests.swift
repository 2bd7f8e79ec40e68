import Foundation
import Testing
@testable import Doctor

/// Normalised receipts are checked against the raw files as read by Foundation (independent of our parser).
@Suite struct ReceiptTests {
    func raw(_ name: String) throws -> Any {
        try Fixtures.foundationJSON(Data(contentsOf: Fixtures.receipts.appendingPathComponent(name)))
    }
    func read(_ name: String) throws -> JSONValue { try ReceiptReader.read(Fixtures.receipts.appendingPathComponent(name)) }

    @Test func bitnetRsInferenceJson() throws {
        let r = try read("bitnet-rs-qk256.json")
        let j = try raw("bitnet-rs-qk256.json") as! [String: Any]
        #expect(r["engine"] == "bitnet.rs")
        #expect(r["source_format"] == "bitnet.rs")
        #expect(r["tokens_per_second"]?.doubleValue == j["tokens_per_second"] as? Double)
        #expect(r["tokens_generated"]?.doubleValue == (j["tokens_generated"] as? NSNumber)?.doubleValue)
        #expect(r["kernels"]?.arrayValue?.compactMap(\.stringValue) == j["kernels"] as? [String])
        #expect(r.at("model.path")?.stringValue == (j["model"] as? [String: Any])?["path"] as? String)
        #expect(r.at("model.format") == "i2_s_qk256")  // the kernel list names the QK256 decoder
        #expect(r["threads"] == 8)  // from environment.RAYON_NUM_THREADS
        #expect(r["simd"] == "scalar")
        #expect(r["compute_path"] == "real")
    }

    /// A real llama-bench run with -t 1,2 (fixtures/receipts/measured): the receipt describes the slowest decode
    /// row, so a gate cannot pass on the 1-thread row while the 2-thread row is broken.
    @Test func llamaBenchSeveralThreadCountsDescribesTheSlowestDecode() throws {
        let name = "measured/llama-bench-llama-cpp-tq2_0-2b4t-synth-20261127T1505Z.json"
        let r = try read(name)
        let rows = try raw(name) as! [[String: Any]]
        let decode = rows.filter { ($0["n_gen"] as! Int) > 0 && ($0["n_prompt"] as! Int) == 0 }
        #expect(decode.count == 2)
        let slowest = decode.min { ($0["avg_ts"] as! Double) < ($1["avg_ts"] as! Double) }!
        #expect(r["tokens_per_second"]?.doubleValue == slowest["avg_ts"] as? Double)
        #expect(r["threads"]?.doubleValue == (slowest["n_threads"] as? NSNumber)?.doubleValue)
        #expect(r["rows"]?.arrayValue?.count == rows.count)
    }

    @Test func llamaBenchJsonArray() throws {
        let r = try read("llama-bench-bitnet-cpp.json")
        let rows = try raw("llama-bench-bitnet-cpp.json") as! [[String: Any]]
        let tg = rows.first { ($0["n_gen"] as! Int) > 0 }!, pp = rows.first { ($0["n_prompt"] as! Int) > 0 }!
        #expect(r["engine"] == "bitnet.cpp")
        #expect(r["backend"] == "cpu")
        #expect(r["tokens_per_second"]?.doubleValue == tg["avg_ts"] as? Double)
        #expect(r["tokens_per_second_stddev"]?.doubleValue == tg["stddev_ts"] as? Double)
        #expect(r["prefill_tokens_per_second"]?.doubleValue == pp["avg_ts"] as? Double)
        #expect(r["threads"]?.doubleValue == (tg["n_threads"] as? NSNumber)?.doubleValue)
        #expect(r["samples_tokens_per_second"]?.arrayValue?.compactMap(\.doubleValue) == tg["samples_ts"] as? [Double])
        #expect(r.at("model.format") == "i2_s")
        #expect(r["use_mmap"] == .bool(true))
    }

    @Test func llamaBenchJsonlAndGpuOffload() throws {
        let cpu = try read("llama-bench-llama-cpp.jsonl")
        #expect(cpu["engine"] == "llama.cpp")
        #expect(cpu["backend"] == "cpu")  // layers "offloaded" but only the CPU backend is built
        #expect(cpu.at("model.format") == "tq2_0")
        #expect(cpu["tokens_per_second"] == 23.0)
        let gpu = try read("llama-bench-cuda.json")
        #expect(gpu["backend"] == "cuda")
        #expect(gpu["gpu_info"] == "NVIDIA GeForce RTX 4090")
    }

    @Test func ourReceiptKeepsCorePathsAndDerivesSamples() throws {
        let r = try read("bitnet-doctor.json")
        #expect(r["engine"] == "bitnet-doctor")
        #expect(r.at("model.format") == "i2_s")
        let list = r["samples_tokens_per_second"]?.arrayValue?.compactMap { $0.doubleValue }
        let samples = try #require(list)
        #expect(samples.count == 8)
        #expect(abs(samples[0] - 1000 / 24.8) < 1e-9)
    }

    @Test func unknownAndBrokenReceiptsAreErrors() {
        #expect(throws: ReceiptError.self) { try ReceiptReader.normalise(data: Data("{\"hello\": 1}".utf8), file: "x.json") }
        #expect(throws: ReceiptError.self) { try ReceiptReader.normalise(data: Data("{\"n_gen\": ".utf8), file: "x.json") }
        #expect(throws: ReceiptError.self) { try ReceiptReader.normalise(data: Data(), file: "x.json") }
        #expect(throws: ReceiptError.self) { try ReceiptReader.read(URL(fileURLWithPath: "/nonexistent/receipt.json")) }
    }

    @Test(arguments: [("I2_S BitNet32-F16", "bitnet32_f16"), ("I2_S QK256 (GGML)", "i2_s_qk256"), ("i2s", "i2_s"),
                      ("bitnet-b1.58 2B TQ1_0 - 1.69 bpw ternary", "tq1_0"), ("llama 135M Q4_1", "q4_1")])
    func formatNamesAreCanonicalised(_ name: String, _ id: String) {
        #expect(ReceiptReader.canonicalFormat(name) == id)
    }
}
