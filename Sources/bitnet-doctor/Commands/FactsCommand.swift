import ArgumentParser
import Foundation
import SystemFacts

/// `bitnet-doctor facts`: everything about this machine that decides inference speed.
struct FactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facts",
        abstract: "Show the system facts that decide inference speed (CPU, cores, frequency, thermal, GPU, memory, load).",
        aliases: ["preflight"]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "Output format: text or json (json goes to stdout, schema in docs/facts.md).")
    var format: Format = .text

    @Option(help: "Read the machine's files under this directory instead of / (e.g. fixtures/machines/NAME/root).")
    var root: String?

    @Option(name: .customLong("env-file"), help: "Take environment variables from a KEY=VALUE file instead of this process.")
    var envFile: String?

    @Option(help: "Only these families, comma separated: \(FactsOptions.allFamilies.joined(separator: ",")).")
    var only: String?

    @Flag(name: .customLong("safe-mode"), help: "Do not run external commands (nvidia-smi, nvcc, rustc, clang, cmake).")
    var safeMode = false

    func run() async throws {
        var families: Set<String>?
        if let only {
            let names = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let unknown = names.filter { !FactsOptions.allFamilies.contains($0) }
            guard unknown.isEmpty else {
                throw FactsInputError("unknown fact family '\(unknown[0])' (known: \(FactsOptions.allFamilies.joined(separator: ", ")))")
            }
            families = Set(names)
        }
        if let root {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
                throw FactsInputError("--root \(root): not a directory")
            }
        }
        var env = EnvironmentSource.process
        if let envFile {
            do { env = try EnvironmentSource.file(envFile) } catch {
                throw FactsInputError("--env-file \(envFile): cannot read it")
            }
        }
        let options = FactsOptions(root: SystemRoot(root ?? "/"), environment: env, only: families, safeMode: safeMode)
        try await Self.emit(options, json: format == .json)
    }

    /// Collects and writes the facts to stdout (also for `inspect --system`).
    static func emit(_ options: FactsOptions, json: Bool) async throws {
        let report = await SystemFacts.collect(options)
        if json {
            FileHandle.standardOutput.write(try report.jsonData())
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            let color = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            FileHandle.standardOutput.write(Data(FactsTextRenderer.render(report, color: color).utf8))
        }
    }
}

/// A bad argument to `facts`: reported as one line ("Error: ..."), without the usage text.
struct FactsInputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
