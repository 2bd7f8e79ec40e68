import ArgumentParser
import Foundation
import GGUF
import ModelInspector

extension SyntheticModel.Shape: ExpressibleByArgument {}
extension SyntheticModel.WeightFormat: ExpressibleByArgument {}
extension SyntheticModel.Architecture: ExpressibleByArgument {}
extension SyntheticModel.EmbeddingFormat: ExpressibleByArgument {}

struct SynthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Writes a BitNet b1.58 GGUF with random ternary weights and real structure, for benchmarks and tests.",
        discussion: "Deterministic for a seed; the same seed gives the same weights in every format.")

    @Argument(help: "Output GGUF path.") var output: String
    @Option(help: "Model shape: tiny, 700m, 2b-4t, 3b.") var shape: SyntheticModel.Shape = .tiny
    @Option(help: "Layer weight format: i2_s, tq2_0, tq1_0, tl1, tl2, bitnet32-f16 (ternary, exact), iq2_s (approximates the ternary values: IQ2_S has no zero), f16, f32.") var format: SyntheticModel.WeightFormat = .i2_s
    @Option(help: "token_embd.weight (the tied head) type: f16, q8_0, q6_k, f32 (default f16; f32 with --format f32).") var embedding: SyntheticModel.EmbeddingFormat?
    @Option(name: .customLong("tl-config"), help: "TL1/TL2 tile configuration BM,BK,bm for shapes without a published preset (default: a common one that tiles).") var tlConfig: String?
    @Option(help: "Architecture: bitnet-b1.58 (ReLU², bitnet.cpp) or bitnet (mainline llama.cpp).") var arch: SyntheticModel.Architecture = .bitnetB158
    @Option(help: "Copy the tokenizer from this vocab-only GGUF (e.g. ggml-vocab-llama-bpe.gguf).") var vocab: String?
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(name: .customLong("i2s-interleave"), help: "I2_S block interleave: 128 (x86) or 64 (ARM).") var i2sInterleave: Int = 128

    func validate() throws {
        guard i2sInterleave == 128 || i2sInterleave == 64 else { throw ValidationError("--i2s-interleave must be 128 or 64") }
        _ = try TLConfig.option(tlConfig)
    }

    func run() async throws {
        let options = SyntheticModel.Options(shape: shape, format: format, architecture: arch, vocabPath: vocab,
                                             seed: seed, i2sInterleave: i2sInterleave, embedding: embedding,
                                             tlConfig: try TLConfig.option(tlConfig))
        let bar = ProgressBar(label: "synth")
        do {
            try SyntheticModel.write(to: output, options: options) { done, total in bar.update(done, of: total) }
        } catch {
            bar.finish()
            let message = (error as? GGUFError).map { $0.offset == nil ? $0.message : "\($0)" } ?? "\(error)"
            FileHandle.standardError.write(Data("bitnet-doctor: synth: \(message)\n".utf8))
            throw ExitCode(1)
        }
        bar.finish()
        let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        FileHandle.standardError.write(Data("wrote \(output) (\(size) bytes, \(shape.rawValue), \(format.rawValue), seed \(seed))\n".utf8))
    }
}
