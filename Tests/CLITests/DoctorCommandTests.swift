import Foundation
import Testing

@Suite struct DoctorCommandTests {
    let laptop = ["--root", CLI.fixture("machines/laptop-throttling/root"),
                  "--env-file", CLI.fixture("machines/laptop-throttling/env"), "--no-run"]

    func findingIDs(_ r: CLI.Result) throws -> Set<String> {
        let doc = try #require(r.json as? [String: Any])
        let findings = try #require(doc["findings"] as? [[String: Any]])
        return Set(findings.compactMap { $0["rule_id"] as? String })
    }

    @Test func checkFindsTheLaptopFaults() throws {
        let r = try CLI.run(["check", "--format", "json"] + laptop)
        #expect(r.status == 0)
        let ids = try findingIDs(r)
        #expect(ids.isSuperset(of: ["thermal-throttle", "governor-powersave"]))
    }

    @Test func failOnWarningExitsOne() throws {
        let r = try CLI.run(["check", "--format", "json", "--fail-on", "warning"] + laptop)
        #expect(r.status == 1)
    }

    @Test func cleanMachineHasNoWarnings() throws {
        let r = try CLI.run(["check", "--format", "json", "--fail-on", "warning", "--no-run",
                             "--root", CLI.fixture("machines/tuned-desktop/root"),
                             "--env-file", CLI.fixture("machines/tuned-desktop/env")])
        #expect(r.status == 0, "\(r.stdout)")
    }

    @Test func machineFormatsAreParseableOnStdout() throws {
        for format in ["json", "sarif"] {
            let r = try CLI.run(["check", "--format", format] + laptop)
            #expect(r.json != nil, "\(format) output parses as JSON")
        }
        let junit = try CLI.run(["check", "--format", "junit"] + laptop)
        #expect(junit.stdout.hasPrefix("<?xml"))
        #expect(!junit.stdout.contains("\u{1B}["), "no colour codes in machine output")
    }

    @Test func gateExitCodes() throws {
        func gate(_ receipt: String, _ extra: [String] = []) throws -> Int32 {
            try CLI.run(["gate", "--receipt", CLI.fixture("receipts/\(receipt)")] + extra).status
        }
        #expect(try gate("bitnet-doctor.json", ["--min-tps", "5"]) == 0)
        #expect(try gate("bitnet-rs-qk256.json", ["--min-tps", "5"]) == 1)
        #expect(try gate("bitnet-rs-zero-tps.json", ["--min-tps", "5"]) == 3)
        #expect(try gate("does-not-exist.json") == 2)
        #expect(try gate("bitnet-doctor.json", ["--min-efficiency", "0.5"]) == 2, "efficiency needs a bandwidth")
    }

    @Test func rulesValidateNamesFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("bad.json")
        try """
        {"schema_version": 1, "rules": [
          {"id": "x", "severity": "warning", "title": "t", "symptom": "s",
           "when": {"op": "gt", "path": "facts.cpu.no_such_fact", "value": 1},
           "message": "m", "fixes": []}
        ]}
        """.write(to: bad, atomically: true, encoding: .utf8)
        let r = try CLI.run(["rules", "validate", bad.path])
        #expect(r.status != 0)
        let all = r.stdout + r.stderr
        #expect(all.contains("bad.json"))
        #expect(all.contains("no_such_fact"))
        let ok = try CLI.run(["rules", "validate", TestEnvironmentPaths.rulesDir + "/system.json"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
    }
}

enum TestEnvironmentPaths {
    static var rulesDir: String { CLI.fixture("../rules") }
}
