import Foundation
import Testing

@Suite struct BasicsTests {
    @Test func versionAndHelp() throws {
        let v = try CLI.run(["--version"])
        #expect(v.status == 0)
        // "0.1.0 (commit <sha>[-dirty] | unknown)": the commit is checked against git in DoctorTests/BuildCommitTests
        let words = v.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        #expect(words.count == 3 && words[0].split(separator: ".").count == 3 && words[1] == "(commit", "\(v.stdout)")
        #expect(words.last?.hasSuffix(")") == true)
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
