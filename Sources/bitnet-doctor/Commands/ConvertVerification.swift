import Engine
import Foundation
import ModelInspector

/// `convert`'s check that the converted model produces the same tokens as the input: a few greedy tokens of a
/// fixed prompt on each file with the bundled engine.
enum ConvertVerification {
    static let prompt = "The capital of France is"
    static let tokenCount = 8

    struct Outcome: Equatable {
        var input: [Int]
        var output: [Int]
        var equal: Bool { input == output }
    }

    /// Whether the bundled engine runs the file, and why not. The one list of what it runs is the inspector's
    /// `bitnet_doctor` verdict (ModelInspector Compatibility), so conversions to a layout are verified as soon as
    /// the engine runs that layout.
    static func runnable(_ path: String) -> (ok: Bool, reason: String) {
        do {
            let v = try ModelInspector.inspect(path: path).compatibility["bitnet_doctor"]
            return (v?.ok ?? false, v?.reason ?? "no verdict")
        } catch {
            return (false, "\(error)")
        }
    }

    /// Greedy tokens of `prompt` (end-of-generation does not stop it). `interleave`: I2_S interleave to read
    /// the file with (nil: the file's key, else 128).
    static func greedyTokens(_ path: String, count: Int = tokenCount, interleave: Int? = nil) throws -> [Int] {
        var options = ModelOptions()
        options.threads = ProcessInfo.processInfo.activeProcessorCount
        options.i2sInterleave = interleave
        let model = try Model.load(url: URL(fileURLWithPath: path), options: options)
        var sampling = SamplingOptions()
        sampling.greedy = true
        var g = GenerateOptions(maxTokens: count, sampling: sampling)
        g.stopAtEndOfGeneration = false
        return try Session(model: model).generate(prompt: prompt, options: g).generatedTokens
    }

    static func compare(input: String, output: String, count: Int = tokenCount, inputInterleave: Int? = nil) throws -> Outcome {
        Outcome(input: try greedyTokens(input, count: count, interleave: inputInterleave),
                output: try greedyTokens(output, count: count))
    }
}
