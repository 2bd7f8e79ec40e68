#if canImport(Glibc)
import Glibc
#endif

/// Picks tokens from logits. Pure function of (logits, options, generator state): no threads involved.
public struct Sampler: Sendable {
    public let options: SamplingOptions
    private var rng: Xoshiro256

    public init(_ options: SamplingOptions) {
        self.options = options
        rng = Xoshiro256(seed: options.seed)
    }

    /// argmax with the lowest index winning ties (as llama.cpp's greedy sampler).
    public static func argmax(_ logits: [Float]) -> Int {
        var best = 0
        for i in 1..<logits.count where logits[i] > logits[best] { best = i }
        return best
    }

    public mutating func sample(_ logits: [Float]) -> Int {
        if options.greedy || options.temperature <= 0 { return Sampler.argmax(logits) }
        // Candidates sorted by logit (descending), ties by id, then cut by top-k.
        var ids = Array(0..<logits.count)
        ids.sort { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        if options.topK > 0 && options.topK < ids.count { ids.removeLast(ids.count - options.topK) }
        // Softmax at temperature, in double.
        let t = Double(options.temperature), m = Double(logits[ids[0]])
        var p = ids.map { exp((Double(logits[$0]) - m) / t) }
        let z = p.reduce(0, +)
        for i in p.indices { p[i] /= z }
        // top-p: smallest prefix whose mass reaches topP (at least one).
        if options.topP < 1 {
            var acc = 0.0, keep = p.count
            for i in p.indices { acc += p[i]; if acc >= Double(options.topP) { keep = i + 1; break } }
            p.removeLast(p.count - keep); ids.removeLast(ids.count - keep)
            let z2 = p.reduce(0, +)
            for i in p.indices { p[i] /= z2 }
        }
        let u = rng.nextUnit()
        var acc = 0.0
        for i in p.indices { acc += p[i]; if u < acc { return ids[i] } }
        return ids[ids.count - 1]
    }
}
