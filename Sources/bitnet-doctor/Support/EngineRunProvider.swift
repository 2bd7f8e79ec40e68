import CKernels
import Doctor
import Engine
import Foundation
import ModelInspector

/// The short deterministic run `check` performs with the bundled engine: greedy, 16 tokens, on the model given
/// with --model or else the embedded default (a synthetic 2B-4T-shaped I2_S model, made once and cached),
/// bracketed by throttle counters and CPU sampling, followed by a memory-bandwidth probe for the roofline.
struct EngineRunProvider: RunProvider {
    static let prompt = "The doctor measured how fast this machine decodes BitNet b1.58, and"
    static let tokens = 16

    func run(modelPath: String?, model: JSONValue?, root: URL) async throws -> RunOutcome {
        let url = try modelPath.map { URL(fileURLWithPath: $0) } ?? SyntheticModelCache.defaultModel()
        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var options = ModelOptions()
        options.threads = threads
        options.contextSize = 256
        Log.progress("loading \(url.lastPathComponent)…")
        let loaded = try Model.load(url: url, options: options)
        let session = Session(model: loaded, threads: threads)
        let generate = GenerateOptions(maxTokens: Self.tokens)
        let (result, bracket) = try await RunBracket.measure(root: root) {
            try session.generate(prompt: Self.prompt, options: generate)
        }
        let receipt = Receipt(result: result, session: session, tool: ToolIdentity(version: ToolInfo.version),
                              deterministic: true, seed: nil)
        let data = try JSONEncoder().encode(receipt)
        let normalised = try ReceiptReader.normalise(data: data, file: "bitnet-doctor run")
        var run = bracket
        let gbps = ck_measure_read_bandwidth(256 << 20, Int32(threads))
        if gbps > 0 { run["bandwidth_gbps"] = .number(gbps) }
        run["tokens"] = .number(Double(result.generatedTokens.count))
        return RunOutcome(receipt: normalised, run: run)
    }
}
