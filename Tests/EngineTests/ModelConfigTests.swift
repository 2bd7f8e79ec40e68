import Testing
@testable import Engine

struct DictMetadata: MetadataLookup {
    var values: [String: Any]
    func string(_ key: String) -> String? { values[key] as? String }
    func int(_ key: String) -> Int64? { (values[key] as? Int).map(Int64.init) }
    func double(_ key: String) -> Double? { values[key] as? Double ?? (values[key] as? Int).map(Double.init) }
}

@Suite struct ModelConfigTests {
    static func meta(_ arch: String, _ extra: [String: Any] = [:]) -> DictMetadata {
        var v: [String: Any] = [
            "general.architecture": arch, "\(arch).embedding_length": 2560, "\(arch).block_count": 30,
            "\(arch).feed_forward_length": 6912, "\(arch).attention.head_count": 20,
            "\(arch).attention.head_count_kv": 5, "\(arch).context_length": 4096, "\(arch).vocab_size": 128256,
            "\(arch).rope.freq_base": 500000.0, "\(arch).attention.layer_norm_rms_epsilon": 1e-5,
        ]
        for (k, x) in extra { v[k] = x }
        return DictMetadata(values: v)
    }

    /// The official 2B-4T hyper-parameters (docs: hidden 2560, 20 heads, 5 KV heads ⇒ head dim 128).
    @Test func bitnet2B4T() throws {
        let c = try ModelConfig(metadata: Self.meta("bitnet-b1.58"), vocabFallback: nil)
        #expect(c.headDim == 128 && c.kvDim == 640 && c.ropeDimensionCount == 128)
        #expect(c.activation == .reluSquared && c.architecture.ropeNeox && c.architecture.hasSubNorms)
    }

    @Test func activationPerArchitectureAndOverride() throws {
        #expect(try ModelConfig(metadata: Self.meta("bitnet"), vocabFallback: nil).activation == .silu)
        #expect(try ModelConfig(metadata: Self.meta("bitnet", ["bitnet.hidden_activation": "relu2"]), vocabFallback: nil).activation == .reluSquared)
        #expect(try ModelConfig(metadata: Self.meta("llama"), vocabFallback: nil).architecture.ropeNeox == false)
        #expect(throws: EngineError.self) { try ModelConfig(metadata: Self.meta("bitnet", ["bitnet.hidden_activation": "tanh"]), vocabFallback: nil) }
    }

    @Test func badMetadataIsOneClearError() {
        #expect { try ModelConfig(metadata: Self.meta("gpt-neox"), vocabFallback: nil) } throws: {
            ($0 as? EngineError)?.kind == .unsupportedArchitecture
        }
        var m = Self.meta("llama")
        m.values["llama.attention.head_count"] = nil
        #expect { try ModelConfig(metadata: m, vocabFallback: nil) } throws: {
            ($0 as? EngineError)?.message == "llama.attention.head_count is missing"
        }
        m = Self.meta("llama", ["llama.attention.head_count_kv": 7])
        #expect { try ModelConfig(metadata: m, vocabFallback: nil) } throws: { ($0 as? EngineError)?.kind == .badMetadata }
    }
}
