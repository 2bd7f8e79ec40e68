import CKernels
import Engine
import Foundation
import ModelInspector

/// Runs llama-bench style measurements with the bundled engine: for each thread count, `repetitions` runs of
/// a prefill of `promptTokens` random tokens and `generateTokens` decoded tokens (greedy, EOS ignored), after
/// one warm-up run. Tokens per second come from the engine's own per-step timings.
struct BenchRunner {
    var modelURL: URL
    var threads: [Int]
    var promptTokens: Int
    var generateTokens: Int
    var repetitions: Int
    var parity: Parity
    var head: HeadPrecision = .exact
    /// Load choices the runner does not set itself (TL configuration, re-encodings).
    var baseOptions = ModelOptions()
    /// Runs right before each repetition at each thread count (`--peer`: one llama-bench repetition of the peer at that
    /// thread count, so the two engines alternate and every pair of runs is seconds apart). Arguments: threads, repetition.
    var beforeRepetition: ((Int, Int) throws -> Void)? = nil

    func run() throws -> BenchResult {
        var options = baseOptions
        options.parity = parity
        // room for the warm-up (up to 8 prompt tokens + 2) and for a run whose empty prompt becomes one start token
        options.contextSize = max(promptTokens, 8) + generateTokens + 2
        options.head = head
        let model = try Model.load(url: modelURL, options: options)
        let head = model.options.head   // `auto` resolved
        Log.progress(String(format: "loaded %@ in %.0f ms", modelURL.lastPathComponent, model.loadMilliseconds)
                     + (model.headChoice.map { "; head \($0)" } ?? ""))
        // Bytes per token as the inspector (and so the rules) count them: one definition for the whole tool.
        // (With --head int8, or weights re-encoded at load such as TL2 → I2_S, the engine streams other bytes than
        // the file's: its own count.)
        let streamsFileBytes = head == .exact && model.weightLayouts.isEmpty
        let bytesPerToken = streamsFileBytes ? try ModelInspector.inspect(path: modelURL.path).bytesPerToken : model.bytesPerToken
        let cosine = head == .int8 ? try Session(model: model).probeHeadCosine() : nil
        if let cosine {
            Log.progress(String(format: "head %@: logit cosine vs the exact head %.6f on the probe prompt", head.rawValue, cosine))
        }
        let prompt = Self.randomTokens(count: promptTokens, vocab: model.config.vocabSize)
        var rows: [BenchResult.Row] = []
        var bandwidth: [String: Double] = [:]
        for t in threads {
            let gbps = ck_measure_read_bandwidth(512 << 20, Int32(t))
            if gbps > 0 { bandwidth[String(t)] = gbps }
            let session = Session(model: model, threads: t)
            var generate = GenerateOptions(maxTokens: generateTokens + 1)
            generate.stopAtEndOfGeneration = false
            _ = try session.generate(promptTokens: Array(prompt.prefix(8)), options: GenerateOptions(maxTokens: 2))
            var prefill: [Double] = [], decode: [Double] = []
            var screen = HeadScreenStats()
            for r in 0..<repetitions {
                try beforeRepetition?(t, r)
                Log.progress("bench: threads \(t), run \(r + 1)/\(repetitions)")
                let result = try session.generate(promptTokens: prompt, options: generate)
                prefill.append(Double(promptTokens) / (result.prefillMilliseconds / 1000))
                let steps = result.decodeMilliseconds
                decode.append(Double(steps.count) / (steps.reduce(0, +) / 1000))
                if let s = result.headScreening {
                    screen.tokens += s.tokens; screen.candidates += s.candidates; screen.fallbacks += s.fallbacks
                    screen.maxCandidates = max(screen.maxCandidates, s.maxCandidates)
                }
            }
            if promptTokens > 0 {
                rows.append(BenchResult.Row(test: "pp\(promptTokens)", threads: t, tokens: promptTokens, samples: prefill))
            }
            var tg = BenchResult.Row(test: "tg\(generateTokens)", threads: t, tokens: generateTokens, samples: decode)
            if let gbps = bandwidth[String(t)] {
                let roofline = gbps * 1e9 / Double(bytesPerToken)
                tg.rooflineTokensPerSecond = roofline
                tg.rooflineEfficiency = tg.tokensPerSecondMean / roofline
            }
            if head == .screened {
                tg.headCandidatesMean = screen.meanCandidates
                tg.headCandidatesMax = screen.tokens > 0 ? screen.maxCandidates : nil
                tg.headFallbacks = screen.fallbacks
            }
            rows.append(tg)
        }
        return BenchResult(
            modelPath: modelURL.path, architecture: model.config.architecture.rawValue,
            blockFormat: model.blockFormat, formats: model.formats, bytesPerToken: bytesPerToken,
            parity: parity.rawValue, kernelPath: String(cString: ck_path_name()), repetitions: repetitions,
            head: head.rawValue, headChoice: model.headChoice, headLogitCosine: cosine, headTokensExact: head == .screened ? true : nil, weightLayouts: model.weightLayouts.isEmpty ? nil : model.weightLayouts,
            loadMilliseconds: model.loadMilliseconds,
            tool: ["name": "bitnet-doctor", "version": ToolInfo.version, "commit": ToolIdentity.buildCommit],
            bandwidthGBps: bandwidth, weightPages: model.filePages(), rows: rows)
    }

    /// Deterministic prompt ids, as llama-bench uses random tokens: the content does not change the cost.
    static func randomTokens(count: Int, vocab: Int) -> [Int] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<max(1, count)).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(max(1, vocab)))
        }
    }
}
