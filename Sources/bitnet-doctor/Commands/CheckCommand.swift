import ArgumentParser
import Doctor
import Foundation

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Diagnose slow BitNet inference on this machine (the default command).")

    @OptionGroup var inputs: DoctorInputOptions

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding at or above this severity fires (warning, error).")
    var failOn: FailOn = .none

    @Option(name: .long, help: "Output format: text, json, md, sarif, junit.")
    var format: OutputFormat = .text

    @Flag(name: .shortAndLong, help: "Show evidence, symptoms and informational findings.")
    var verbose = false

    func validate() throws {
        if format == .prometheus { throw ValidationError("--format prometheus is only available for gate") }
    }

    func run() async throws {
        let rules = try inputs.loadRules()
        let checkInputs = try await inputs.makeInputs()
        let diagnosis = checkInputs.diagnose(rules: rules)
        let color = format == .text && Renderer.useColor(isTTY: Log.stdoutIsTTY)
        Log.out(Renderer.render(diagnosis, format: format, failOn: failOn.severity ?? .error, verbose: verbose, color: color))
        if let s = failOn.severity, diagnosis.fails(at: s) { throw ExitCode(1) }
    }
}
