import Foundation
import GGUF

/// What `bitnet-doctor bench` measured, in llama-bench's terms: one row per (threads, test).
struct BenchResult: Codable, Sendable {
    struct Row: Codable, Sendable {
        /// "pp64" (prefill of 64 tokens) or "tg32" (32 decoded tokens), as llama-bench names tests.
        var test: String
        var threads: Int
        var tokens: Int
        var tokensPerSecondMean: Double
        var tokensPerSecondStddev: Double
        var samples: [Double]
        /// Decode rows: bytes per token × tok/s ÷ measured bandwidth at this thread count.
        var rooflineEfficiency: Double?
        /// Decode rows: measured bandwidth ÷ bytes per token.
        var rooflineTokensPerSecond: Double?
        /// Decode rows with `--head screened`: exact candidate rows per screened token over the repetitions (mean,
        /// max) and the tokens that fell back to the whole exact head.
        var headCandidatesMean: Double?
        var headCandidatesMax: Int?
        var headFallbacks: Int?
        /// With `--peer`: ours ÷ the peer's for the same test and threads: the median of the ratios of the paired runs
        /// (each of ours right after one of the peer's; the mean's ratio when the counts differ), and their range.
        var peerRatio: Double?
        var peerRatioMin: Double?
        var peerRatioMax: Double?

        enum CodingKeys: String, CodingKey {
            case test, threads, tokens, samples
            case peerRatio = "peer_ratio"
            case peerRatioMin = "peer_ratio_min"
            case peerRatioMax = "peer_ratio_max"
            case tokensPerSecondMean = "tokens_per_second_mean"
            case tokensPerSecondStddev = "tokens_per_second_stddev"
            case rooflineEfficiency = "roofline_efficiency"
            case rooflineTokensPerSecond = "roofline_tokens_per_second"
            case headCandidatesMean = "head_candidates_mean"
            case headCandidatesMax = "head_candidates_max"
            case headFallbacks = "head_fallbacks"
        }
    }

    var schema = "bitnet-doctor.bench"
    var schemaVersion = 1
    var modelPath: String
    var architecture: String
    var blockFormat: String
    var formats: [String]
    var bytesPerToken: Int
    var parity: String
    var kernelPath: String
    var repetitions: Int
    /// Output head precision the engine ran ("exact", "int8", "screened") and, for int8, its logit cosine against the
    /// exact head on the probe prompt (nil for screened: its greedy tokens are the exact head's, `headTokensExact`).
    var head: String
    /// `--head auto` (the default): what it chose and why; nil when the head was asked for by name.
    var headChoice: String?
    var headLogitCosine: Double?
    /// true for "screened": every greedy token is the exact head's (by the bound, per token).
    var headTokensExact: Bool?
    /// Load-time layouts, as the receipt's `weight_layouts` (nil when every matrix ran from the file as stored).
    var weightLayouts: [String]?
    var loadMilliseconds: Double
    /// The binary that measured: name, version, git commit of the build.
    var tool: [String: String]
    /// Measured read bandwidth in GB/s per thread count (key: threads).
    var bandwidthGBps: [String: Double]
    /// How the model file's map was backed after the runs (the receipt's `weight_pages`: resident bytes and those
    /// mapped by 2 MiB entries, from /proc/self/smaps); nil where the kernel does not say. Side-by-side figures depend
    /// on it for every engine that maps the file (docs/performance.md "Huge pages").
    var weightPages: MappedPages?
    var rows: [Row]
    /// `--peer`: the peer's llama-bench and its rows.
    struct Peer: Codable, Sendable {
        var path: String
        var rows: [BenchPeer.Row]
    }
    var peer: Peer?

    /// Sets each row's `peerRatio` from the peer's row of the same test and thread count.
    mutating func attach(_ p: Peer) {
        peer = p
        for i in rows.indices {
            (rows[i].peerRatio, rows[i].peerRatioMin, rows[i].peerRatioMax) = (nil, nil, nil)
            guard let q = p.rows.first(where: { $0.test == rows[i].test && $0.threads == rows[i].threads }),
                  q.tokensPerSecondMean > 0 else { continue }
            let ours = rows[i].samples
            if ours.count == q.samples.count, !ours.isEmpty, q.samples.allSatisfy({ $0 > 0 }) {
                let ratios = zip(ours, q.samples).map { $0 / $1 }.sorted()
                let m = ratios.count
                rows[i].peerRatio = m % 2 == 1 ? ratios[m / 2] : (ratios[m / 2 - 1] + ratios[m / 2]) / 2
                rows[i].peerRatioMin = ratios.first
                rows[i].peerRatioMax = ratios.last
            } else {
                rows[i].peerRatio = rows[i].tokensPerSecondMean / q.tokensPerSecondMean
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case schema, architecture, formats, parity, repetitions, rows, head, tool, peer
        case headChoice = "head_choice"
        case headLogitCosine = "head_logit_cosine"
        case headTokensExact = "head_tokens_exact"
        case weightLayouts = "weight_layouts"
        case loadMilliseconds = "load_ms"
        case schemaVersion = "schema_version"
        case modelPath = "model_path"
        case blockFormat = "block_format"
        case bytesPerToken = "bytes_per_token"
        case kernelPath = "kernel_path"
        case bandwidthGBps = "bandwidth_gbps"
        case weightPages = "weight_pages"
    }
}

extension BenchResult.Row {
    /// Mean and sample standard deviation of tok/s samples.
    init(test: String, threads: Int, tokens: Int, samples: [Double]) {
        let (mean, stddev) = BenchResult.meanAndStddev(samples)
        self.init(test: test, threads: threads, tokens: tokens, tokensPerSecondMean: mean,
                  tokensPerSecondStddev: stddev, samples: samples,
                  rooflineEfficiency: nil, rooflineTokensPerSecond: nil,
                  headCandidatesMean: nil, headCandidatesMax: nil, headFallbacks: nil, peerRatio: nil, peerRatioMin: nil,
                  peerRatioMax: nil)
    }
}

extension BenchResult {
    /// Mean and sample standard deviation (n − 1; 0 for one sample), as llama-bench reports tok/s.
    static func meanAndStddev(_ samples: [Double]) -> (Double, Double) {
        let mean = samples.reduce(0, +) / Double(max(1, samples.count))
        let variance = samples.count > 1
            ? samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count - 1) : 0
        return (mean, variance.squareRoot())
    }
}
