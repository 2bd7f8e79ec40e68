import ArgumentParser
import Engine
import Foundation

/// `bitnet-doctor run`: generate with the bundled engine. Text to stdout, statistics to stderr, receipt to a file.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Generate text with the bundled CPU engine and write a receipt of what ran.")

    @Option(help: "GGUF model file.") var model: String
    @Option(help: "Prompt text.") var prompt: String
    @Option(name: .customLong("max-tokens"), help: "Tokens to generate.") var maxTokens = 32
    @Flag(help: "Greedy decoding (the default unless --temperature is given).") var greedy = false
    @Option(help: "Sampling temperature (enables sampling).") var temperature: Float?
    @Option(name: .customLong("top-k"), help: "Top-k cut (0 = off).") var topK = 40
    @Option(name: .customLong("top-p"), help: "Top-p cut (1 = off).") var topP: Float = 0.95
    @Option(help: "Sampler seed (BITNET_SEED also sets it).") var seed: UInt64?
    @Option(help: "Worker threads.") var threads: Int?
    @Option(help: "Write the JSON receipt to this file.") var receipt: String?
    @Option(help: "Activation numerics to reproduce: bitnet.cpp (default) or llama.cpp.") var parity: String = "bitnet.cpp"
    @Option(name: .customLong("i2s-interleave"), help: "I2_S block interleave: 128 (x86 converters), 64 (ARM) or auto (the file's, else a perplexity probe of both); default: the file's, else 128.") var i2sInterleave: String?
    @Option(help: "Output head precision: auto (default: screened for greedy or top-k ≤ 256 sampling when the float head is at least 30% of the bytes per token, else exact); exact; int8 (F16 head re-quantized to Q8_0 at load; faster, not exact); screened (the int8 head with a rigorous error bound, exact rows for the possible argmax: greedy tokens identical to exact).") var head: String = "auto"
    @Option(name: .customLong("ctx-size"), help: "KV cache positions (default min(context, 4096)).") var ctxSize: Int?
    @OptionGroup var load: WeightLoadOptions

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        guard let par = Parity(rawValue: parity == "llama" ? "llama.cpp" : parity == "bitnet" ? "bitnet.cpp" : parity) else {
            throw ValidationError("--parity must be bitnet.cpp or llama.cpp")
        }
        guard let headPrecision = HeadPrecision(rawValue: head) else { throw ValidationError("--head must be one of \(HeadPrecision.names)") }
        guard maxTokens >= 0 else { throw ValidationError("--max-tokens must be >= 0") }
        if greedy && temperature != nil { throw ValidationError("--greedy and --temperature exclude each other") }
        let envDeterministic = ["1", "true", "yes"].contains(env["BITNET_DETERMINISTIC"]?.lowercased() ?? "")
        let envSeed = env["BITNET_SEED"].flatMap(UInt64.init)
        if env["BITNET_SEED"] != nil && envSeed == nil { throw ValidationError("BITNET_SEED must be an unsigned integer") }

        var sampling = SamplingOptions()
        sampling.greedy = temperature == nil || envDeterministic && seed == nil && envSeed == nil
        if let temperature { sampling.temperature = temperature }
        sampling.topK = topK
        sampling.topP = topP
        let chosenSeed = seed ?? envSeed ?? (envDeterministic ? 0 : nil)
        sampling.seed = chosenSeed ?? UInt64.random(in: 0...UInt64.max)
        let deterministic = sampling.greedy || chosenSeed != nil

        var options = try load.apply(to: ModelOptions())
        options.parity = par
        options.threads = threads ?? (envDeterministic ? 1 : ProcessInfo.processInfo.activeProcessorCount)
        options.contextSize = ctxSize
        // sampling without a small top-k reads the whole exact head every token: the screen would only cost its load
        options.head = headPrecision == .auto && Session.screenTopK(sampling) == 0 ? .exact : headPrecision
        switch i2sInterleave {
        case nil: break
        case "auto":
            let r = try InterleaveProbe.decide(url: URL(fileURLWithPath: model), options: options)
            if r.method == "perplexity" {
                let ppl = InterleaveProbe.candidates.map { "\($0): \(String(format: "%.2f", r.perplexities[String($0)] ?? .nan))" }
                FileHandle.standardError.write(Data("i2_s interleave \(r.chosen) (probe perplexity \(ppl.joined(separator: ", ")))\n".utf8))
            }
            options.i2sInterleave = r.chosen
        case let v?:
            guard let n = Int(v), n == 128 || n == 64 else { throw ValidationError("--i2s-interleave must be 128, 64 or auto") }
            options.i2sInterleave = n
        }
        // EngineError prints as one line ("Error: …") without the usage text.
        let loaded = try Model.load(url: URL(fileURLWithPath: model), options: options)
        let session = Session(model: loaded)
        if let cosine = try session.probeHeadCosine() {
            FileHandle.standardError.write(Data(String(format: "head %@: logit cosine vs the exact head %.6f on the probe prompt\n", head, cosine).utf8))
        }
        let result = try session.generate(prompt: prompt, options: GenerateOptions(maxTokens: maxTokens, sampling: sampling)) { tok in
            FileHandle.standardOutput.write(Data(tok.text.utf8))
            return true
        }
        FileHandle.standardOutput.write(Data("\n".utf8))
        let rec = Receipt(result: result, session: session, tool: ToolIdentity(version: ToolInfo.version),
                          deterministic: deterministic, seed: sampling.greedy ? nil : sampling.seed)
        let stats = String(format: "prompt %d tokens, %.1f tok/s prefill; generated %d tokens, %@ tok/s decode; threads %d; kernels %@",
                           rec.prompt_tokens.count, rec.prefill_tokens_per_second ?? 0, rec.tokens_generated,
                           rec.tokens_per_second.map { String(format: "%.2f", $0) } ?? "n/a", rec.threads,
                           rec.kernels.joined(separator: ","))
        FileHandle.standardError.write(Data((stats + "\n").utf8))
        if let receipt {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            try enc.encode(rec).write(to: URL(fileURLWithPath: receipt))
        }
    }
}
