import ArgumentParser
import Doctor
import Foundation

struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write a bug-report zip: report, raw snapshots, receipts, redaction manifest, sha256 MANIFEST.")

    @OptionGroup var inputs: DoctorInputOptions

    @Option(name: .shortAndLong, help: "Zip file to write (default: bitnet-doctor-bundle.zip).")
    var output: String = "bitnet-doctor-bundle.zip"

    func run() async throws {
        let rules = try inputs.loadRules()
        let checkInputs = try await inputs.makeInputs()
        let report = Report.build(inputs: checkInputs, diagnosis: checkInputs.diagnose(rules: rules))
        let url = URL(fileURLWithPath: output)
        do { try BugBundle.write(inputs: checkInputs, report: report, to: url) } catch {
            Log.error("cannot write \(url.path): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        Log.progress("wrote \(url.path)")
    }
}
