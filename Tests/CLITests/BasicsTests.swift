import Foundation
import Testing

@Suite struct BasicsTests {
    @Test func versionAndHelp() throws {
        let v = try CLI.run(["--version"])
        #expect(v.status == 0)
        #expect(v.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try CLI.run(["--help"])
        for sub in ["check", "facts", "inspect", "synth", "run", "bench", "rules", "report", "bundle", "gate"] {
            #expect(help.stdout.contains(sub), "help lists \(sub)")
        }
    }

    @Test func usageErrorsExitTwoWithOneLine() throws {
        let r = try CLI.run(["gate", "--no-such-flag"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("--no-such-flag"))
    }
}
