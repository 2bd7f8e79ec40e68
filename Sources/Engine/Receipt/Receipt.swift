/// What one run of the bundled engine really did. Schema `bitnet-doctor.receipt`, documented in docs/receipt.md.
/// Top-level names include the normalised core receipt paths (docs/architecture.md) and the fields BitNet.rs
/// writes to ci/inference.json.
public struct Receipt: Codable, Sendable, Equatable {
    public static let schemaName = "bitnet-doctor.receipt"
    public static let currentSchemaVersion = "1.0.0"

    public struct Tool: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        /// The git commit the tool was built from, or "unknown".
        public var commit: String
    }
    public struct ModelInfo: Codable, Sendable, Equatable {
        public var path: String
        /// SHA-256 of the file's header, metadata and tensor table plus its size (hex).
        public var identity: String
        public var architecture: String
        /// Dominant weight format of the transformer blocks (e.g. "I2_S").
        public var format: String
        public var formats: [String]
        public var parameters: Int
        public var bytes_per_token: Int
        public var file_bytes: Int
    }
    public struct Timings: Codable, Sendable, Equatable {
        public var load_ms: Double
        public var prefill_ms: Double
        public var decode_ms: [Double]
    }
    public struct Sampling: Codable, Sendable, Equatable {
        public var greedy: Bool
        public var temperature: Double?
        public var top_k: Int?
        public var top_p: Double?
    }
    public struct CPU: Codable, Sendable, Equatable {
        public var model_name: String?
        public var logical_cpus: Int
        public var simd: [String]
    }

    public var schema: String
    public var schema_version: String
    public var timestamp: String
    public var engine: String
    public var tool: Tool
    public var backend: String
    public var compute_path: String
    public var parity: String
    public var activation_formats: [String]
    public var kernels: [String]
    public var kernel_calls: [String: Int]
    public var threads: Int
    public var deterministic: Bool
    public var seed: UInt64?
    public var sampling: Sampling
    public var tokens_requested: Int
    public var tokens_generated: Int
    public var tokens_per_second: Double?
    public var prefill_tokens_per_second: Double?
    public var prompt_tokens: [Int]
    public var generated_tokens: [Int]
    /// SHA-256 (hex) of the prompt and generated ids as little-endian u32, prompt first.
    public var tokens_hash: String
    public var timings: Timings
    public var peak_rss_bytes: Int?
    public var model: ModelInfo
    public var build: String
    public var environment: [String: String]
    public var cpu: CPU
    /// Load-time speed options of the output head; absent when the head ran exact and was asked for by name.
    public struct Options: Codable, Sendable, Equatable {
        /// "int8": the float output head re-quantized to Q8_0 rows at load. "screened": the int8 head with a rigorous
        /// per-row error bound and the exact dot for every row that can be the argmax.
        public var head: String
        /// Cosine between the logits of this head and of the exact head on the probe prompt, when measured (not for
        /// "screened", whose logits are exact wherever they can be the maximum and whose probe runs the exact head).
        public var head_logit_cosine: Double?
        /// "screened": true, the generated tokens are the exact head's: greedy decoding by the bound (proved per
        /// token, not measured), top-k sampling (k ≤ 256) by the same bound for the k largest, other sampling by running the
        /// whole exact head (nothing screened then).
        public var head_tokens_exact: Bool? = nil
        /// "screened": exact candidate rows per screened token, mean and max, from this run.
        public var head_candidates_mean: Double? = nil
        public var head_candidates_max: Int? = nil
        /// "screened": screened tokens and tokens that fell back to the whole exact head.
        public var head_screened_tokens: Int? = nil
        public var head_fallbacks: Int? = nil
        /// `--head auto`: the choice made at load and why (e.g. "auto: screened (the F16 head is 56% of the bytes per
        /// token)"); absent when the head was asked for by name.
        public var head_choice: String? = nil
    }
    public var options: Options? = nil
    /// Load-time re-encodings of the file's weights, e.g. "TL2→I2_S (load-time repack): 210 tensors"; absent when
    /// every weight ran as stored.
    public var weight_layouts: [String]? = nil
    /// How the model file's map was backed when the run ended, from /proc/self/smaps: bytes in memory, bytes of them
    /// mapped by 2 MiB page-table entries, and their share. Absent where the kernel does not say (or no file map).
    public struct WeightPages: Codable, Sendable, Equatable {
        public var resident_bytes: Int
        public var huge_bytes: Int
        public var huge_share: Double?
        public var source: String
    }
    public var weight_pages: WeightPages? = nil
}
