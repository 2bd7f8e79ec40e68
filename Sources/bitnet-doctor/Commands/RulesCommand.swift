import ArgumentParser
import Doctor
import Foundation

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List, explain and validate diagnosis rules.",
        subcommands: [List.self, Explain.self, Validate.self], defaultSubcommand: List.self)

    struct RulesDirs: ParsableArguments {
        @Option(name: .long, help: "Directory of additional rule files (repeatable).")
        var rules: [String] = []
        func load() throws -> RuleSet {
            let set = RuleSet.standard(userDirectories: rules.map { URL(fileURLWithPath: $0) })
            for i in set.issues { Log.error(i.description) }
            if !set.issues.isEmpty { throw ExitCode(2) }
            return set
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rules.")
        @OptionGroup var dirs: RulesDirs
        func run() async throws {
            let set = try dirs.load()
            let w = set.rules.map(\.id.count).max() ?? 10
            for r in set.rules.sorted(by: { ($0.area, $0.id) < ($1.area, $1.id) }) {
                Log.out("\(r.id.padding(toLength: w, withPad: " ", startingAt: 0))  \(r.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(r.area.padding(toLength: 11, withPad: " ", startingAt: 0))  \(r.title)\n")
            }
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Explain one rule: symptom, condition, fixes.")
        @OptionGroup var dirs: RulesDirs
        @Argument(help: "Rule id.") var id: String
        func run() async throws {
            let set = try dirs.load()
            guard let r = set.rule(id) else {
                Log.error("no rule '\(id)' (see `bitnet-doctor rules list`)")
                throw ExitCode(2)
            }
            var out = "\(r.id) (\(r.severity.rawValue), area \(r.area), from \(r.file))\n\(r.title)\n\nSymptom: \(r.symptom)\n\n"
            out += "Fires when:\n\(ConditionText.describe(r.condition, indent: "  "))\n\nMessage: \(r.message)\n"
            for f in r.fixes {
                out += "\nFix: \(f.explanation)\n" + f.commands.map { "  $ \($0)\n" }.joined()
                if let d = f.docs { out += "  see \(d)\n" }
            }
            if !r.evidence.isEmpty { out += "\nEvidence: \(r.evidence.joined(separator: ", "))\n" }
            Log.out(out)
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate rule files: syntax, operators, fact paths, types.")
        @Argument(help: "Rule files (JSON).") var files: [String]
        func run() async throws {
            var set = RuleSet()
            for f in files { set.add(file: f, url: URL(fileURLWithPath: f)) }
            for i in set.issues { Log.out(i.description + "\n") }
            if !set.issues.isEmpty {
                Log.error("\(set.issues.count) problem\(set.issues.count == 1 ? "" : "s") in \(files.count) file\(files.count == 1 ? "" : "s")")
                throw ExitCode(1)
            }
            Log.progress("\(files.count) file\(files.count == 1 ? "" : "s") valid: \(set.rules.count) rule\(set.rules.count == 1 ? "" : "s")")
        }
    }
}
