import ArgumentParser
import Engine
import Foundation
import GGUF
import ModelInspector

extension Conversion.Target: ExpressibleByArgument {}
extension Conversion.Embedding: ExpressibleByArgument {}
extension Conversion.TLScale: ExpressibleByArgument {}

struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Converts the ternary tensors of a GGUF between I2_S, TQ2_0, TQ1_0, BitNet32-F16, TL1 and TL2, exactly.",
        discussion: """
        Ternary values and scales are preserved; a conversion that would change them (several block scales into \
        a one-scale format, a scale not representable in f16) is refused. Other tensors and metadata are copied; \
        general.file_type is updated. TL1/TL2 use bitnet.cpp's published tile configurations where the shape has \
        one, --tl-config otherwise, and record the configuration in bitnet_doctor.tl.* metadata. Afterwards, when \
        the bundled engine runs both files, a few greedy tokens of a fixed prompt are generated from the input and \
        the output and must be equal (exit status 1 if not); --no-verify skips that, --verify requires it.
        """)

    @Argument(help: "Input GGUF.") var input: String
    @Argument(help: "Output GGUF.") var output: String
    @Option(name: .customLong("to"), help: "Target: i2_s, tq2_0, tq1_0, bitnet32-f16, tl1, tl2.") var target: Conversion.Target
    @Option(help: "token_embd.weight: keep, f16, q8_0 or q6_k.") var embedding: Conversion.Embedding = .keep
    @Option(name: .customLong("tl-config"), help: "TL tile configuration BM,BK,bm for shapes without a preset.") var tlConfig: String?
    @Option(name: .customLong("i2s-interleave"), help: "I2_S output interleave: 128 (x86) or 64 (ARM).") var i2sInterleave: Int = 128
    @Option(name: .customLong("input-i2s-interleave"), help: "I2_S interleave of the input: 128, 64 or auto (the file's key, else a perplexity probe of both with the engine); default: the file's key, else 128.") var inputI2SInterleave: String?
    @Option(name: .customLong("tl-scale"), help: "TL1/TL2 output scale: tail (in each tensor, as bitnet.cpp's converter writes) or tensor (separate <name>_scale F32 tensors, which bitnet.cpp cannot load).") var tlScale: Conversion.TLScale = .tail
    @Flag(inversion: .prefixedNo, help: "Check that input and output give the same greedy tokens (default: when the engine runs both).") var verify: Bool?

    func validate() throws {
        guard i2sInterleave == 128 || i2sInterleave == 64 else { throw ValidationError("--i2s-interleave must be 128 or 64") }
        if let v = inputI2SInterleave, !["128", "64", "auto"].contains(v) { throw ValidationError("--input-i2s-interleave must be 128, 64 or auto") }
        _ = try TLConfig.option(tlConfig)
        guard input != output else { throw ValidationError("input and output must differ") }
    }

    func run() async throws {
        let inputInterleave = try resolveInputInterleave()
        let options = Conversion.Options(target: target, embedding: embedding, tlConfig: try TLConfig.option(tlConfig),
                                         i2sInterleave: i2sInterleave, tlScale: tlScale, inputI2SInterleave: inputInterleave)
        let bar = ProgressBar(label: "convert")
        let summary: Conversion.Summary
        do {
            summary = try Conversion.convert(input: input, output: output, options: options) { done, total in bar.update(done, of: total) }
        } catch {
            bar.finish()
            let message = (error as? GGUFError).map { $0.offset == nil ? $0.message : "\($0)" } ?? "\(error)"
            FileHandle.standardError.write(Data("bitnet-doctor: convert: \(message)\n".utf8))
            throw ExitCode(1)
        }
        bar.finish()
        FileHandle.standardError.write(Data("wrote \(output): \(summary.converted) ternary tensors as \(target.format.traits.name), \(summary.copied) copied, \(summary.reencoded) re-encoded\(summary.dropped > 0 ? ", \(summary.dropped) scale tensors folded in" : "")\n".utf8))
        try check(inputInterleave: inputInterleave)
    }

    /// `--input-i2s-interleave`: a number, or `auto` (recorded key, else the engine's perplexity probe).
    private func resolveInputInterleave() throws -> Int? {
        guard let v = inputI2SInterleave else { return nil }
        guard v == "auto" else { return Int(v) }
        do {
            let r = try InterleaveProbe.decide(url: URL(fileURLWithPath: input))
            if r.method == "perplexity" {
                let ppl = InterleaveProbe.candidates.map { "\($0): \(String(format: "%.2f", r.perplexities[String($0)] ?? .nan))" }
                say("input i2_s interleave \(r.chosen) (probe perplexity \(ppl.joined(separator: ", ")))")
            }
            return r.method == "not_applicable" ? nil : r.chosen
        } catch {
            say("bitnet-doctor: convert: interleave probe: \(error)")
            throw ExitCode(1)
        }
    }

    private func say(_ s: String) { FileHandle.standardError.write(Data("\(s)\n".utf8)) }

    /// The token check (see ConvertVerification).
    private func check(inputInterleave: Int?) throws {
        if verify == false { return }
        let a = ConvertVerification.runnable(input), b = ConvertVerification.runnable(output)
        guard a.ok && b.ok else {
            let why = !a.ok ? "the engine does not run the input (\(a.reason))" : "the engine does not run the output (\(b.reason))"
            if verify == true {
                say("bitnet-doctor: convert: cannot verify: \(why)")
                throw ExitCode(1)
            }
            say("verify skipped: \(why)")
            return
        }
        let outcome: ConvertVerification.Outcome
        do {
            outcome = try ConvertVerification.compare(input: input, output: output, inputInterleave: inputInterleave)
        } catch {
            say("bitnet-doctor: convert: verify: \(error)")
            throw ExitCode(1)
        }
        let n = ConvertVerification.tokenCount, p = ConvertVerification.prompt
        if outcome.equal {
            say("verify: equal: the output gives the same \(n) greedy tokens as the input (prompt \"\(p)\"): \(outcome.input)")
        } else {
            say("bitnet-doctor: convert: verify: different: greedy tokens of \"\(p)\": input \(outcome.input), output \(outcome.output) (the output file is kept)")
            throw ExitCode(1)
        }
    }
}
