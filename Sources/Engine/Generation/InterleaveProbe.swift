import Foundation
import GGUF
import ModelInspector

/// Tells the I2_S interleave of a file whose bytes cannot: x86 converters pack 128-weight blocks, ARM ones
/// (bitnet.cpp QK_I2_S = 64) 64-weight blocks, and both give valid-looking tensors of the same size. The probe
/// runs a fixed English text (tokenized with the model's own vocabulary) through the model under each
/// candidate with teacher forcing, computes the perplexity of the text, and keeps the candidate with the lower
/// one: the wrong interleave scrambles every weight row, so the model stops predicting language.
public enum InterleaveProbe {
    /// The known text: plain, predictable English.
    public static let text = "The United States of America is a country in North America. Its capital is Washington, and its largest city is New York. The country has fifty states."

    public static let candidates = [128, 64]

    public struct Result: Sendable, Equatable, Codable {
        /// The interleave to use.
        public var chosen: Int
        /// Perplexity of the probe text per candidate, keyed by the interleave as a string ("128", "64").
        public var perplexities: [String: Double]
        /// Tokens of the probe text that were predicted (the text's tokens minus the first).
        public var tokens: Int
        /// "perplexity" (this probe), "metadata" (the file records the interleave; nothing ran) or
        /// "not_applicable" (no I2_S tensors; nothing ran).
        public var method: String
    }

    /// The interleave recorded in the file (`bitnet_doctor.i2_s.interleave`, written by our converters), if any.
    public static func recorded(_ source: ModelSource) -> Int? {
        source.metadata.int(ModelInspector.i2sInterleaveKey).map(Int.init).flatMap { $0 == 64 || $0 == 128 ? $0 : nil }
    }

    /// Decides the interleave of `url`: the recorded one when present (method "metadata"), else the probe.
    /// `tokens` replaces the probe text (tests); `options.i2sInterleave` is ignored.
    public static func decide(url: URL, options: ModelOptions = ModelOptions(), tokens: [Int]? = nil,
                              forceProbe: Bool = false) throws -> Result {
        let file: GGUFFile
        do { file = try GGUFFile.open(url.path) } catch { throw EngineError(.container, "\(url.path): \(error)") }
        guard file.tensors.contains(where: { $0.type.format == .i2_s }) else {
            return Result(chosen: 128, perplexities: [:], tokens: 0, method: "not_applicable")
        }
        let source = try GGUFModelSource(path: url.path)
        if !forceProbe, let r = recorded(source) {
            return Result(chosen: r, perplexities: [:], tokens: 0, method: "metadata")
        }
        var ppl: [String: Double] = [:]
        var count = 0
        for c in candidates {
            var o = options
            o.i2sInterleave = c
            let model = try Model.load(source: source, options: o)
            let ids = try tokens ?? probeTokens(model)
            let p = try perplexity(model, ids)
            ppl[String(c)] = p
            count = ids.count - 1
        }
        // Lower perplexity wins; on a tie (or NaN) the x86 default 128 stays.
        let chosen = candidates.dropFirst().reduce(candidates[0]) { best, c in
            (ppl[String(c)] ?? .infinity) < (ppl[String(best)] ?? .infinity) ? c : best
        }
        return Result(chosen: chosen, perplexities: ppl, tokens: count, method: "perplexity")
    }

    static func probeTokens(_ model: Model) throws -> [Int] {
        guard let tok = model.tokenizer else { throw EngineError(.tokenizer, "the model file has no usable tokenizer to probe the I2_S interleave") }
        return tok.encode(text, addSpecial: true, parseSpecial: false).map(Int.init)
    }

    /// exp(mean negative log-likelihood) of `ids[1...]` given the previous tokens, token by token from an empty cache.
    public static func perplexity(_ model: Model, _ ids: [Int]) throws -> Double {
        let ids = Array(ids.prefix(model.contextSize))
        guard ids.count >= 2 else { throw EngineError(.badInput, "the probe text has fewer than 2 tokens") }
        guard ids.allSatisfy({ $0 >= 0 && $0 < model.config.vocabSize }) else {
            throw EngineError(.badInput, "a probe token is outside the vocabulary")
        }
        let session = Session(model: model)
        let t = session.transformer
        t.reset()
        var nll = 0.0
        for i in 0 ..< ids.count - 1 {
            try t.step(ids[i], wantLogits: true)
            let logits = t.logits
            var m = -Double.infinity
            for v in logits { m = max(m, Double(v)) }
            var sum = 0.0
            for v in logits { sum += Foundation.exp(Double(v) - m) }
            nll += (m + Foundation.log(sum)) - Double(logits[ids[i + 1]])
        }
        return Foundation.exp(nll / Double(ids.count - 1))
    }
}
