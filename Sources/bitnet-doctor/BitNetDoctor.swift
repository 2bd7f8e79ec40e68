import ArgumentParser
import CKernels
import Doctor
import Foundation

/// The `bitnet-doctor` command. Each subcommand lives in its own file under Commands/.
@main
struct BitNetDoctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bitnet-doctor",
        abstract: "Tells you why BitNet b1.58 inference is slow on this machine, and proves it with a measurement.",
        version: "\(ToolInfo.version) (commit \(DoctorInfo.commit))",
        subcommands: [
            CheckCommand.self,    // Commands/CheckCommand.swift   (Doctor)
            FactsCommand.self,    // Commands/FactsCommand.swift   (SystemFacts)
            InspectCommand.self,  // Commands/InspectCommand.swift (ModelInspector)
            SynthCommand.self,    // Commands/SynthCommand.swift   (ModelInspector)
            ConvertCommand.self,  // Commands/ConvertCommand.swift (ModelInspector)
            RunCommand.self,      // Commands/RunCommand.swift     (Engine)
            BenchCommand.self,    // Commands/BenchCommand.swift   (Engine)
            RulesCommand.self,    // Commands/RulesCommand.swift   (Doctor)
            ReportCommand.self,   // Commands/ReportCommand.swift  (Doctor)
            BundleCommand.self,   // Commands/BundleCommand.swift  (Doctor)
            GateCommand.self,     // Commands/GateCommand.swift    (Doctor)
        ],
        defaultSubcommand: CheckCommand.self
    )

    /// Runs the command line. Usage and configuration mistakes exit with 2 (ArgumentParser's default is 64),
    /// so CI scripts can tell "bad invocation" (2) from "check failed" (1) and "measurement unreliable" (3).
    static func main() async {
        connectEngine()
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// Connects the engine to the Doctor: the short run of `check` and the bandwidth probe of `gate`.
    static func connectEngine() {
        DoctorHooks.runProvider = EngineRunProvider()
        DoctorHooks.measureBandwidth = {
            let gbps = ck_measure_read_bandwidth(256 << 20, Int32(max(1, ProcessInfo.processInfo.activeProcessorCount)))
            return gbps > 0 ? gbps : nil
        }
    }
}
