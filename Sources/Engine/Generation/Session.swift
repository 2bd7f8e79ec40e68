import Foundation
import Tokenizers

/// A conversation state over one model: KV cache, dispatcher and sampler. Not thread-safe; one generation at a time.
public final class Session: @unchecked Sendable {
    public let model: Model
    public let threads: Int
    let dispatcher: Dispatcher
    let transformer: Transformer

    public init(model: Model, threads: Int? = nil) {
        self.model = model
        self.threads = max(1, threads ?? model.options.threads)
        dispatcher = Dispatcher(threads: self.threads)
        transformer = Transformer(config: model.config, weights: model.weights, dispatcher: dispatcher,
                                  contextSize: model.contextSize,
                                  llamaCppFloat: model.options.parity == .llamaCpp || model.config.architecture == .llama)
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
        var stream = UTF8Stream()
        var text = "", out: [Int] = [], decode: [Double] = []
        let t0 = DispatchTime.now()
        for (i, t) in promptTokens.enumerated() {
            try transformer.step(t, wantLogits: i == promptTokens.count - 1, inBatch: promptTokens.count > 1)
        }
        let prefill = Self.ms(since: t0)
        while out.count < options.maxTokens {
            let next = sampler.sample(transformer.logits)
            out.append(next)
            let piece = stream.push(model.tokenizer?.piece(Int32(next), special: false) ?? [])
            text += piece
            let eog = options.stopAtEndOfGeneration && (model.tokenizer?.isEndOfGeneration(Int32(next)) ?? false)
            let goOn = onToken(GeneratedToken(id: next, text: piece, index: out.count - 1))
            if eog || !goOn || out.count == options.maxTokens { break }
            let stepStart = DispatchTime.now()
            try transformer.step(next, wantLogits: true)
            decode.append(Self.ms(since: stepStart))
        }
        let rest = stream.flush()
        text += rest
        return GenerationResult(promptTokens: promptTokens, generatedTokens: out, text: text,
                                prefillMilliseconds: prefill, decodeMilliseconds: decode,
                                kernelCalls: dispatcher.counters.snapshot.merging(CKernelCounters.snapshot()) { a, b in a + b }, sampling: options.sampling,
                                tokensRequested: options.maxTokens)
    }

    /// Logits after feeding `tokens` from an empty cache (tests, reference comparisons).
    public func logits(after tokens: [Int]) throws -> [Float] {
        transformer.reset()
        for (i, t) in tokens.enumerated() { try transformer.step(t, wantLogits: i == tokens.count - 1, inBatch: tokens.count > 1) }
        return transformer.logits
    }

    static func ms(since t: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e6 }
}
