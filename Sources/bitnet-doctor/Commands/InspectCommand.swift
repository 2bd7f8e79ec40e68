import ArgumentParser
import Engine
import Foundation
import GGUF
import ModelInspector
import SystemFacts

struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Tells what a GGUF model is: shapes, formats, bytes per token, tokenizer, engine compatibility.",
        discussion: "Reads only the header and tensor infos (memory-mapped); JSON schema: docs/inspect-schema.md.",
        aliases: ["compat-check"])

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The GGUF file (optional with --system).") var model: String?
    @Option(name: .long, help: "Output format: text or json.") var format: Format = .text
    @Flag(name: .long, help: "List every tensor (name, type, dims, bytes, offset).") var tensors = false
    @Flag(name: .long, help: "List every metadata key and value.") var kv = false
    @Flag(name: .customLong("probe-interleave"), help: "For I2_S files without a recorded interleave: run a known text under interleave 128 and 64 with the bundled engine and report the one with the lower perplexity (runs the model).") var probeInterleave = false
    @Flag(name: .long, help: "Show this machine's facts too (as `bitnet-doctor facts`), for people coming from BitNet.rs.") var system = false

    func run() async throws {
        if system {
            try await FactsCommand.emit(FactsOptions(), json: format == .json)
        }
        guard let model else {
            if system { return }
            throw ValidationError("give a GGUF file to inspect (or --system for this machine's facts)")
        }
        let file: GGUFFile
        do {
            file = try GGUFFile.open(model)
        } catch {
            FileHandle.standardError.write(Data("bitnet-doctor: \(model): \(error)\n".utf8))
            throw ExitCode(1)
        }
        var inspection = ModelInspector.inspect(file)
        if probeInterleave, inspection.i2sInterleave != nil {
            do {
                let r = try InterleaveProbe.decide(url: URL(fileURLWithPath: model))
                inspection.i2sInterleaveProbe = .init(chosen: r.chosen, perplexities: r.perplexities, tokens: r.tokens, method: r.method)
            } catch {
                FileHandle.standardError.write(Data("bitnet-doctor: \(model): interleave probe: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        switch format {
        case .json:
            if tensors { inspection.tensors = ModelInspection.tensorEntries(file) }
            if kv { inspection.metadata = ModelInspection.metadataEntries(file) }
            print(try inspection.jsonString())
        case .text:
            print(inspection.text())
            if kv { print("\nmetadata\n" + InspectListing.keyValues(file)) }
            if tensors { print("\ntensors\n" + InspectListing.tensors(file)) }
        }
    }
}
