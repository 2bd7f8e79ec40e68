import ArgumentParser
import Engine
import Foundation
import ModelInspector

/// `bitnet-doctor bench`: prefill and decode speed of the bundled engine, against the memory-bandwidth roofline.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prefill and decode speed (llama-bench style) and decode efficiency against the roofline.",
        discussion: """
        Examples:
          bitnet-doctor bench --synthetic 2b-4t --format i2_s -t 1,2
          bitnet-doctor bench -m model.gguf -p 64 -n 32 -r 3 --output json
          bitnet-doctor bench -m model.gguf -t 1,2 --peer ~/BitNet/build/bin/llama-bench
        """,
        aliases: ["benchmark"])

    enum Output: String, ExpressibleByArgument, CaseIterable { case text, md, json }

    @Option(name: [.customShort("m"), .long], help: "GGUF model to measure.")
    var model: String?
    @Option(help: "Measure a synthetic model of this shape instead (\(SyntheticModel.Shape.allCases.map(\.rawValue).joined(separator: ", "))).")
    var synthetic: String?
    @Option(help: "Weight format of the synthetic model (\(SyntheticModel.WeightFormat.allCases.map(\.rawValue).joined(separator: ", "))).")
    var format: String = "i2_s"
    @Option(name: [.customShort("t"), .long], help: "Thread counts, comma-separated.")
    var threads: String = "1"
    @Option(name: [.customShort("p"), .long], help: "Prompt tokens for the prefill test.")
    var prompt: Int = 64
    @Option(name: [.customShort("n"), .long], help: "Tokens to decode.")
    var gen: Int = 32
    @Option(name: [.customShort("r"), .long], help: "Repetitions per test.")
    var repetitions: Int = 3
    @Option(help: "Activation numerics: bitnet.cpp (default) or llama.cpp.")
    var parity: String = "bitnet.cpp"
    @Option(help: "Output head precision: auto (default: screened when the float head is at least 30% of the bytes per token, else exact), exact, int8 (F16 head re-quantized to Q8_0 at load) or screened (int8 speed, greedy tokens exact).")
    var head: String = "auto"
    @OptionGroup var load: WeightLoadOptions
    @Option(help: "A peer's llama-bench (bitnet.cpp's or llama.cpp's build) to run on the same model with the same -p/-n and threads, one repetition before each of ours (the engines alternate); adds its tok/s and our ratio (the median of the paired runs' ratios) to every row.")
    var peer: String?
    @Option(name: [.customShort("o"), .long], help: "Output: text, md or json.")
    var output: Output = .text

    func validate() throws {
        guard (model == nil) != (synthetic == nil) else { throw ValidationError("give exactly one of --model or --synthetic") }
        guard threadList != nil else { throw ValidationError("--threads must be positive integers, e.g. 1,2") }
        guard prompt >= 0, gen >= 1, repetitions >= 1 else { throw ValidationError("-p ≥ 0, -n ≥ 1 and -r ≥ 1 are required") }
        guard Parity(rawValue: parity) != nil else { throw ValidationError("--parity must be bitnet.cpp or llama.cpp") }
        guard HeadPrecision(rawValue: head) != nil else { throw ValidationError("--head must be one of \(HeadPrecision.names)") }
        if let peer, !FileManager.default.isExecutableFile(atPath: peer) {
            throw ValidationError("--peer must be an executable llama-bench: \(peer)")
        }
        if peer != nil && model == nil { throw ValidationError("--peer needs --model (the peer reads the same file)") }
    }

    var threadList: [Int]? {
        let parts = threads.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return parts.map { $0! }
    }

    func run() async throws {
        let url: URL
        if let model {
            url = URL(fileURLWithPath: model)
        } else {
            guard let shape = SyntheticModel.Shape(rawValue: synthetic!),
                  let fmt = SyntheticModel.WeightFormat(rawValue: format) else {
                throw ValidationError("unknown synthetic shape or format: \(synthetic!) \(format)")
            }
            url = try SyntheticModelCache.model(SyntheticModel.Options(shape: shape, format: fmt))
        }
        var runner = BenchRunner(modelURL: url, threads: threadList!, promptTokens: prompt, generateTokens: gen,
                                 repetitions: repetitions, parity: Parity(rawValue: parity)!,
                                 head: HeadPrecision(rawValue: head)!, baseOptions: try load.apply(to: ModelOptions()))
        nonisolated(unsafe) var peerRows: [BenchPeer.Row] = []
        if let peer {
            let p = BenchPeer(path: peer)
            let (path, prompt, gen, reps) = (url.path, prompt, gen, repetitions)
            runner.beforeRepetition = { t, r in
                Log.progress("peer: \(URL(fileURLWithPath: p.path).lastPathComponent) at \(t) thread\(t == 1 ? "" : "s"), run \(r + 1)/\(reps)")
                peerRows += try p.run(model: path, prompt: prompt, gen: gen, threads: t, repetitions: 1)
            }
        }
        var result = try runner.run()
        if let peer { result.attach(BenchResult.Peer(path: peer, rows: BenchPeer.merge(peerRows))) }
        switch output {
        case .text: print(result.table(markdown: false))
        case .md: print(result.table(markdown: true))
        case .json:
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try enc.encode(result), as: UTF8.self))
        }
    }
}
