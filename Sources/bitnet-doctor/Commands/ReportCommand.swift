import ArgumentParser
import Doctor
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write perf_debug.md and perf_debug.json (redacted) for an issue report.")

    @OptionGroup var inputs: DoctorInputOptions

    @Option(name: .shortAndLong, help: "Directory to write into (default: current directory).")
    var output: String = "."

    func run() async throws {
        let rules = try inputs.loadRules()
        let checkInputs = try await inputs.makeInputs()
        let report = Report.build(inputs: checkInputs, diagnosis: checkInputs.diagnose(rules: rules))
        let dir = URL(fileURLWithPath: output)
        do { try report.write(to: dir) } catch {
            Log.error("cannot write report to \(dir.path): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        Log.progress("wrote \(dir.appendingPathComponent("perf_debug.md").path) and perf_debug.json (\(report.redactions.count) redaction\(report.redactions.count == 1 ? "" : "s"))")
    }
}
