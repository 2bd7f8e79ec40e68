import Foundation
import Testing
@testable import Doctor

@Suite struct RuleValidationTests {
    static let requiredIds = ["debug-build", "no-native-cpu", "scalar-kernel", "single-thread", "cpu-quota", "oversubscribed",
                              "governor-powersave", "thermal-throttle", "background-load", "memory-pressure", "no-mmap",
                              "gpu-unused", "cuda-missing", "gpu-memory-full", "below-expected", "format-misdecoded",
                              "format-slow", "long-generation-slow-format", "tokenizer-pre-missing", "embedding-f16",
                              "receipt-untrustworthy", "hidden-cpu-flags"]

    @Test func shippedRulesAreValidAndCoverTheIssue() {
        let set = Fixtures.rules
        #expect(set.issues.isEmpty, "\(set.issues)")
        let ids = Set(set.rules.map(\.id))
        for id in Self.requiredIds { #expect(ids.contains(id), "missing rule \(id)") }
        #expect(!set.speeds.entries.isEmpty)
        #expect(!set.areas.isEmpty)
        for r in set.rules { #expect(set.areas.contains { $0.id == r.area }, "rule \(r.id) names undeclared area \(r.area)") }
    }

    @Test func embeddedRulesMatchTheRulesDirectory() throws {
        var fromDisk = RuleSet()
        fromDisk.add(directory: Fixtures.rulesDir)
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.rulesDir.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(BuiltinRules.files.map(\.0) == names, "run Tests/scripts/doctor_embed_rules.py")
        for (name, text) in BuiltinRules.files {
            let disk = try String(contentsOf: Fixtures.rulesDir.appendingPathComponent(name), encoding: .utf8)
            #expect(text + "\n" == disk || text == disk, "\(name) is stale: run Tests/scripts/doctor_embed_rules.py")
        }
    }

    func issues(_ text: String) -> [RuleIssue] {
        var set = RuleSet()
        set.add(file: "user.json", text: text)
        return set.issues
    }

    func rule(_ when: String, message: String = "m") -> String {
        """
        {
          "schema_version": 1,
          "rules": [
            {
              "id": "r1", "severity": "warning", "area": "cpu", "title": "t", "symptom": "s",
              "message": "\(message)",
              "fixes": [],
              "when": \(when)
            }
          ]
        }
        """
    }

    @Test func unknownFactPathIsReportedWithLineAndPath() {
        let iss = issues(rule("{\"op\": \"eq\", \"path\": \"facts.cpu.modle_name\", \"value\": \"x\"}"))
        #expect(iss.count == 1)
        #expect(iss.first?.file == "user.json")
        #expect(iss.first?.line == 8)
        #expect(iss.first?.path == "$.rules[0].when.path")
        #expect(iss.first?.message == "unknown fact path 'facts.cpu.modle_name'")
    }

    @Test func unknownOperatorIsReported() {
        let iss = issues(rule("{\"all\": [\n {\"op\": \"eq\", \"path\": \"receipt.threads\", \"value\": 1},\n {\"op\": \"approx\", \"path\": \"receipt.threads\", \"value\": 1}]}"))
        #expect(iss.count == 1)
        #expect(iss.first?.path == "$.rules[0].when.all[1].op")
        #expect(iss.first?.line == 10)
        #expect(iss.first?.message.hasPrefix("unknown operator 'approx'") == true)
        let arith = issues(rule("{\"op\": \"lt\", \"path\": \"receipt.threads\", \"value\": {\"pow\": [2, 3]}}"))
        #expect(arith.first?.path == "$.rules[0].when.value.pow")
    }

    @Test func typeMismatchesAreReported() {
        let a = issues(rule("{\"op\": \"lt\", \"path\": \"facts.cpu.model_name\", \"value\": 3}"))
        #expect(a.map(\.path) == ["$.rules[0].when"])
        #expect(a.first?.message.contains("type mismatch") == true)
        let b = issues(rule("{\"op\": \"eq\", \"path\": \"receipt.threads\", \"value\": \"eight\"}"))
        #expect(b.map(\.path) == ["$.rules[0].when.value"])
        let c = issues(rule("{\"op\": \"gt\", \"path\": \"receipt.threads\", \"value\": {\"mul\": [{\"path\": \"receipt.engine\"}, 2]}}"))
        #expect(c.map(\.path) == ["$.rules[0].when.value.mul[0]"])
        let d = issues(rule("{\"op\": \"matches\", \"path\": \"receipt.engine\", \"value\": \"([\"}"))
        #expect(d.first?.message.contains("invalid regular expression") == true)
    }

    @Test func templatesAndStructureAreChecked() {
        let t = issues(rule("{\"op\": \"exists\", \"path\": \"receipt.engine\"}", message: "{{facts.cpu.nope}}"))
        #expect(t.map(\.path) == ["$.rules[0].message"])
        let bad = issues("{\"schema_version\": 1, \"rules\": [{\"id\": \"Bad Id\", \"severity\": \"fatal\", \"extra\": 1}]}")
        let paths = Set(bad.map(\.path))
        #expect(paths.contains("$.rules[0].id"))
        #expect(paths.contains("$.rules[0].severity"))
        #expect(paths.contains("$.rules[0].extra"))
        #expect(bad.allSatisfy { $0.line == 1 })
        let element = issues(rule("{\"some\": {\"path\": \"facts.pci.gpus\", \"where\": {\"op\": \"eq\", \"path\": \"@.vendr\", \"value\": \"x\"}}}"))
        #expect(element.map(\.path) == ["$.rules[0].when.some.where.path"])
    }

    @Test func malformedFilesNameFileLineAndPath() {
        let syntax = issues("{\n  \"schema_version\": 1,\n  \"rules\": [\n    {\"id\": \"x\",,}\n  ]\n}")
        #expect(syntax.count == 1)
        #expect(syntax.first?.line == 4)
        #expect(syntax.first?.path == "$.rules[0]")
        #expect(issues("[]").first?.message == "expected an object, found array")
        #expect(issues("{\"schema_version\": 7, \"rules\": []}").first?.message.contains("unsupported schema_version 7") == true)
        #expect(issues("{\"schema_version\": 1, \"kind\": \"spells\"}").first?.path == "$.kind")
        var set = RuleSet()
        set.add(file: "/nonexistent/x.json", url: URL(fileURLWithPath: "/nonexistent/x.json"))
        #expect(set.issues.first?.message.contains("cannot read file") == true)
    }

    @Test func userRulesOverrideShippedRulesById() {
        var set = RuleSet.standard()
        set.add(file: "mine.json", text: rule("{\"op\": \"exists\", \"path\": \"receipt.engine\"}").replacingOccurrences(of: "\"r1\"", with: "\"debug-build\""))
        #expect(set.issues.isEmpty)
        #expect(set.rule("debug-build")?.file == "mine.json")
        #expect(set.rules.filter { $0.id == "debug-build" }.count == 1)
    }
}
