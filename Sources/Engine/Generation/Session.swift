import Foundation
import Tokenizers

/// A conversation state over one model: KV cache, dispatcher and sampler. Not thread-safe; one generation at a time.
public final class Session: @unchecked Sendable {
    public let model: Model
    public let threads: Int
    let dispatcher: Dispatcher
    let transformer: Transformer
    /// Prompt tokens per batched prefill step (each layer's matrices run over the batch as one GEMM);
    /// 1 = token by token. Results are bit-identical either way. Environment `BITNET_DOCTOR_PREFILL_BATCH` sets
    /// the default (A/B measurements).
    /// Set by `probeHeadCosine` (recorded in the receipt).
    public internal(set) var headLogitCosine: Double?
    public var prefillBatchSize = Int(ProcessInfo.processInfo.environment["BITNET_DOCTOR_PREFILL_BATCH"] ?? "").map { max(1, $0) } ?? 64

    public init(model: Model, threads: Int? = nil) {
        self.model = model
        self.threads = max(1, threads ?? model.options.threads)
        dispatcher = Dispatcher(threads: self.threads)
        transformer = Transformer(config: model.config, weights: model.weights, dispatcher: dispatcher,
                                  contextSize: model.contextSize,
                                  llamaCppFloat: model.options.parity == .llamaCpp || model.config.architecture == .llama,
                                  screenedHead: model.screenedHead)
    }

    /// Tokenizes `prompt` with the model's tokenizer and generates.
    public func generate(prompt: String, options: GenerateOptions,
                         onToken: (GeneratedToken) -> Bool = { _ in true }) throws -> GenerationResult {
        guard let tok = model.tokenizer else { throw EngineError(.tokenizer, "the model file has no usable tokenizer") }
        let ids = tok.encode(prompt, addSpecial: true, parseSpecial: false).map(Int.init)
        return try generate(promptTokens: ids, options: options, onToken: onToken)
    }

    /// Generates from token ids (the prompt is evaluated from an empty cache). `onToken` returns false to stop.
    public func generate(promptTokens: [Int], options: GenerateOptions,
                         onToken: (GeneratedToken) -> Bool = { _ in true }) throws -> GenerationResult {
        guard !promptTokens.isEmpty else { throw EngineError(.badInput, "the prompt has no tokens") }
        guard promptTokens.count + options.maxTokens <= model.contextSize else {
            throw EngineError(.badInput, "prompt (\(promptTokens.count)) + max tokens (\(options.maxTokens)) exceed the context (\(model.contextSize))")
        }
        transformer.reset()
        dispatcher.counters.reset()
        CKernelCounters.reset()
        var sampler = Sampler(options.sampling)
        // --head screened: greedy decoding needs only the argmax, top-k sampling only the k largest logits (exact by
        // the screen's bound); sampling without a small top-k needs them all
        transformer.screener?.resetStats()
        transformer.screenTopK = transformer.screener == nil ? 0 : Self.screenTopK(options.sampling)
        defer { transformer.screenTopK = 0 }
        var stream = UTF8Stream()
        var text = "", out: [Int] = [], decode: [Double] = [], overBudget = 0
        let t0 = DispatchTime.now()
        try transformer.prefill(promptTokens, batchSize: prefillBatchSize)
        let prefill = Self.ms(since: t0)
        while out.count < options.maxTokens {
            let next = sampler.sample(transformer.logits)
            out.append(next)
            let piece = stream.push(model.tokenizer?.piece(Int32(next), special: false) ?? [])
            text += piece
            let eog = options.stopAtEndOfGeneration && (model.tokenizer?.isEndOfGeneration(Int32(next)) ?? false)
            let goOn = onToken(GeneratedToken(id: next, text: piece, index: out.count - 1))
            if eog || !goOn || out.count == options.maxTokens { break }
            if transformer.screenTopK > 1, let s = transformer.screener {
                overBudget = s.lastCandidateCount > s.topKBudget ? overBudget + 1 : 0
                if overBudget >= 2 { transformer.screenTopK = 0 }   // the rest of this generation: the exact head
            }
            let stepStart = DispatchTime.now()
            try transformer.step(next, wantLogits: true)
            decode.append(Self.ms(since: stepStart))
        }
        let rest = stream.flush()
        text += rest
        return GenerationResult(promptTokens: promptTokens, generatedTokens: out, text: text,
                                prefillMilliseconds: prefill, decodeMilliseconds: decode,
                                kernelCalls: dispatcher.counters.snapshot.merging(CKernelCounters.snapshot()) { a, b in a + b }, sampling: options.sampling,
                                tokensRequested: options.maxTokens,
                                headScreening: transformer.screener?.stats)
    }

    /// How many of the largest logits a token's choice reads: 1 for greedy, the sampler's top-k when it is at most
    /// `maxScreenedTopK`, else 0 (every logit: the softmax of an uncut distribution).
    public static func screenTopK(_ s: SamplingOptions) -> Int {
        if s.greedy || s.temperature <= 0 { return 1 }
        return s.topK > 0 && s.topK <= maxScreenedTopK ? s.topK : 0
    }
    /// Above this top-k the screen's candidates would approach its cap: the whole exact head runs.
    public static let maxScreenedTopK = 256

    /// Logits after feeding `tokens` from an empty cache (tests, reference comparisons).
    public func logits(after tokens: [Int]) throws -> [Float] {
        transformer.reset()
        guard !tokens.isEmpty else { throw EngineError(.badInput, "no tokens") }
        try transformer.prefill(tokens, batchSize: prefillBatchSize)
        return transformer.logits
    }

    static func ms(since t: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e6 }
}
