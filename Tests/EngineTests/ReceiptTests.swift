import Foundation
import Testing
import TestSupport
@testable import Engine

/// The receipt records the run: core paths present, values taken from the run (kernels that ran, tokens, hash).
@Suite struct ReceiptTests {
    @Test func receiptOfARunCarriesTheCorePaths() throws {
        let url = try SynthFixtures.model(.bitnetB158, .i2_s)
        let s = try SynthFixtures.session(url, threads: 2)
        let r = try s.generate(promptTokens: [270, 5, 6], options: GenerateOptions(maxTokens: 5))
        let rec = Receipt(result: r, session: s, tool: ToolIdentity(version: "test"), deterministic: true, seed: nil)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(rec)) as! [String: Any]
        for key in ["engine", "backend", "compute_path", "kernels", "threads", "deterministic", "tokens_generated",
                    "tokens_per_second", "prefill_tokens_per_second", "model", "build", "environment", "schema_version",
                    "tokens_requested", "kernel_calls", "timings", "tokens_hash", "peak_rss_bytes", "cpu", "tool"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(rec.engine == "bitnet-doctor" && rec.backend == "cpu" && rec.compute_path == "real")
        #expect(rec.model.format == "I2_S" && rec.model.path == url.path && rec.model.architecture == "bitnet-b1.58")
        // The I2_S matrices ran on the CKernels I2_S kernel and activations went through the per-token quantizer.
        #expect(rec.kernels.contains { $0.hasPrefix("i2s_i8_gemv.") })
        #expect(rec.kernels.contains { $0.hasPrefix("quantize_i8_s.") })
        // the per-token graph ops in C have ids too (bitnet-b1.58: RMSNorm, RoPE, attention with softmax inside, ReLU²)
        #expect(rec.kernels.contains("graph_rmsnorm.c") && rec.kernels.contains("graph_relu2_mul.c"))
        for op in ["graph_rope.", "graph_attention."] { #expect(rec.kernels.contains { $0.hasPrefix(op) }, "\(op)") }
        #expect(rec.kernels == rec.kernel_calls.keys.sorted())
        #expect(rec.tokens_generated == 5 && rec.generated_tokens == r.generatedTokens && rec.threads == 2)
        #expect(rec.timings.decode_ms.count == 4)
        // weight_pages: the model map as the kernel counts it, after the run touched every matrix
        if FileManager.default.fileExists(atPath: "/proc/self/smaps") {
            let pages = try #require(rec.weight_pages)
            let fileBytes = try #require(FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
            #expect(pages.resident_bytes > 0 && pages.resident_bytes <= (fileBytes + 4095) / 4096 * 4096)
            #expect(pages.huge_bytes <= pages.resident_bytes && pages.source == "/proc/self/smaps")
            #expect(pages.huge_share == Double(pages.huge_bytes) / Double(pages.resident_bytes))
        }
        // tokens_hash: SHA-256 of the ids as little-endian u32 — recomputed here by Python's hashlib.
        let ids = (rec.prompt_tokens + rec.generated_tokens).map(String.init).joined(separator: ",")
        if let py = TestEnvironment.python {
            let out = try Subprocess.run(py, ["-c", "import hashlib,struct,sys; print(hashlib.sha256(b''.join(struct.pack('<I', int(t)) for t in sys.argv[1].split(','))).hexdigest())", ids])
            #expect(String(decoding: out.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == rec.tokens_hash)
        }
    }

    @Test func environmentIsAllowListed() {
        let env = ProcessStats.environment(["OMP_NUM_THREADS": "4", "HOME": "/root", "AWS_SECRET": "x", "BITNET_SEED": "1", "RUSTFLAGS": "-C"])
        #expect(env == ["OMP_NUM_THREADS": "4", "BITNET_SEED": "1", "RUSTFLAGS": "-C"])
    }
}
