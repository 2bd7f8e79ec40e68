import Foundation

/// Who is writing the receipt (the CLI passes its version; the commit defaults to the one this binary was built from).
public struct ToolIdentity: Sendable {
    /// The git commit this binary was built from: "<sha>", "<sha>-dirty" when the checkout had uncommitted or
    /// untracked changes, or "unknown" when the build could not tell (no git, not a git checkout). Written before
    /// each build by Plugins/GitCommitPlugin.
    public static let buildCommit: String = BuildGitCommit.value

    public var name: String
    public var version: String
    public var commit: String
    public init(name: String = "bitnet-doctor", version: String, commit: String = ToolIdentity.buildCommit) {
        self.name = name; self.version = version; self.commit = commit
    }
}

extension Receipt {
    /// Builds the receipt of `result`, produced by `session`. Every value is measured or taken from the run.
    public init(result r: GenerationResult, session: Session, tool: ToolIdentity, deterministic: Bool,
                seed: UInt64?, now: Date = Date()) {
        let m = session.model
        let decodeTotal = r.decodeMilliseconds.reduce(0, +)
        var ids = SHA256()
        for t in r.promptTokens + r.generatedTokens {
            let v = UInt32(truncatingIfNeeded: t)
            ids.update([UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)])
        }
        let fmt = ISO8601DateFormatter()
        fmt.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        self.init(
            schema: Receipt.schemaName, schema_version: Receipt.currentSchemaVersion,
            timestamp: fmt.string(from: now), engine: "bitnet-doctor",
            tool: Tool(name: tool.name, version: tool.version, commit: tool.commit),
            backend: "cpu", compute_path: "real", parity: m.options.parity.rawValue,
            activation_formats: Array(Set(m.weights.layers.flatMap { $0.matrices.map(\.activation.rawValue) }
                                          + [m.weights.output.activation.rawValue])).sorted(),
            kernels: r.kernelCalls.filter { $0.value > 0 }.keys.sorted(), kernel_calls: r.kernelCalls,
            threads: session.threads, deterministic: deterministic, seed: seed,
            sampling: Sampling(greedy: r.sampling.greedy || r.sampling.temperature <= 0,
                               temperature: r.sampling.greedy ? nil : Double(r.sampling.temperature),
                               top_k: r.sampling.greedy ? nil : r.sampling.topK,
                               top_p: r.sampling.greedy ? nil : Double(r.sampling.topP)),
            tokens_requested: r.tokensRequested, tokens_generated: r.generatedTokens.count,
            tokens_per_second: decodeTotal > 0 ? Double(r.decodeMilliseconds.count) / (decodeTotal / 1000) : nil,
            prefill_tokens_per_second: r.prefillMilliseconds > 0 ? Double(r.promptTokens.count) / (r.prefillMilliseconds / 1000) : nil,
            prompt_tokens: r.promptTokens, generated_tokens: r.generatedTokens, tokens_hash: ids.finalizeHex(),
            timings: Timings(load_ms: m.loadMilliseconds, prefill_ms: r.prefillMilliseconds, decode_ms: r.decodeMilliseconds),
            peak_rss_bytes: ProcessStats.peakRSSBytes(),
            model: ModelInfo(path: m.source.path, identity: m.identity, architecture: m.config.architecture.rawValue,
                             format: m.blockFormat, formats: m.formats, parameters: m.parameters,
                             bytes_per_token: m.bytesPerToken, file_bytes: m.source.fileSize),
            build: ProcessStats.build, environment: ProcessStats.environment(), cpu: ProcessStats.cpu(),
            options: m.options.head == .exact && m.headChoice == nil
                ? nil : Self.headOptions(m.options.head, choice: m.headChoice, result: r, cosine: session.headLogitCosine),
            weight_layouts: m.weightLayouts.isEmpty ? nil : m.weightLayouts,
            weight_pages: m.filePages().map {
                WeightPages(resident_bytes: $0.residentBytes, huge_bytes: $0.hugeBytes,
                            huge_share: $0.residentBytes > 0 ? Double($0.hugeBytes) / Double($0.residentBytes) : nil,
                            source: "/proc/self/smaps")
            })
    }

    /// The receipt's `options` for a non-default head; "screened" records what the run's screen did.
    static func headOptions(_ head: HeadPrecision, choice: String?, result r: GenerationResult, cosine: Double?) -> Options {
        var o = Options(head: head.rawValue, head_logit_cosine: cosine)
        o.head_choice = choice
        if head == .screened, let s = r.headScreening {
            o.head_tokens_exact = true
            o.head_candidates_mean = s.meanCandidates
            o.head_candidates_max = s.tokens > 0 ? s.maxCandidates : nil
            o.head_screened_tokens = s.tokens
            o.head_fallbacks = s.fallbacks
        }
        return o
    }
}
