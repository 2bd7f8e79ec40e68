import ArgumentParser

/// The `bitnet-doctor` command. Each subcommand lives in its own file under Commands/.
@main
struct BitNetDoctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bitnet-doctor",
        abstract: "Tells you why BitNet b1.58 inference is slow on this machine, and proves it with a measurement.",
        version: ToolInfo.version,
        subcommands: [
            CheckCommand.self,    // Commands/CheckCommand.swift   (Doctor)
            FactsCommand.self,    // Commands/FactsCommand.swift   (SystemFacts)
            InspectCommand.self,  // Commands/InspectCommand.swift (ModelInspector)
            SynthCommand.self,    // Commands/SynthCommand.swift   (ModelInspector)
            RunCommand.self,      // Commands/RunCommand.swift     (Engine)
            BenchCommand.self,    // Commands/BenchCommand.swift   (Engine)
            RulesCommand.self,    // Commands/RulesCommand.swift   (Doctor)
            ReportCommand.self,   // Commands/ReportCommand.swift  (Doctor)
            BundleCommand.self,   // Commands/BundleCommand.swift  (Doctor)
            GateCommand.self,     // Commands/GateCommand.swift    (Doctor)
        ],
        defaultSubcommand: CheckCommand.self
    )
}
