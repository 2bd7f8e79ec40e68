import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Doctor

@Suite struct OutputTests {
    static let scenarios = ["combo-bitnet-rs-guide", "clean-tuned-desktop", "combo-laptop-on-battery", "cuda-missing"]

    @Test(arguments: scenarios)
    func junitParsesAndHasOneTestcasePerRule(_ name: String) throws {
        let d = try Fixtures.diagnose(name)
        let xml = Renderer.render(d, format: .junit, failOn: .warning)
        let doc = try XMLDocument(data: Data(xml.utf8), options: [])
        let cases = try doc.nodes(forXPath: "//testsuite/testcase")
        #expect(cases.count == Fixtures.rules.rules.count)
        let failed = try doc.nodes(forXPath: "//testcase[failure]").compactMap { ($0 as? XMLElement)?.attribute(forName: "name")?.stringValue }
        let serious = Set(d.findings.filter { $0.severity >= .warning }.map(\.ruleId))
        #expect(Set(failed) == serious)
        let suite = try #require(try doc.nodes(forXPath: "//testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "failures")?.stringValue == "\(serious.count)")
        #expect(suite.attribute(forName: "tests")?.stringValue == "\(cases.count)")
    }

    @Test func junitEscapesHostileText() throws {
        var d = try Fixtures.diagnose("debug-build")
        d.findings[0].message = "a <b> & \"c\" 'd' \u{1}\u{7}"
        let xml = Renderer.render(d, format: .junit, failOn: .error)
        let doc = try XMLDocument(data: Data(xml.utf8), options: [])
        let failure = try #require(try doc.nodes(forXPath: "//failure").first)
        #expect(failure.stringValue?.hasPrefix("a <b> & \"c\" 'd' ") == true)
    }

    @Test(arguments: scenarios)
    func sarifHasTheRequiredFields(_ name: String) throws {
        let d = try Fixtures.diagnose(name)
        let text = Renderer.render(d, format: .sarif)
        let v = try JSONParser.parse(text).value
        #expect(v["version"] == "2.1.0")
        #expect(v["$schema"]?.stringValue?.contains("sarif") == true)
        let runs = try #require(v["runs"]?.arrayValue)
        #expect(runs.count == 1)
        let driver = try #require(runs[0].at("tool.driver"))
        #expect(driver["name"] == "bitnet-doctor")
        let rules = try #require(driver["rules"]?.arrayValue)
        #expect(rules.count == Fixtures.rules.rules.count)
        for r in rules { #expect(r["id"]?.stringValue != nil && r.at("shortDescription.text")?.stringValue != nil) }
        let results = try #require(runs[0]["results"]?.arrayValue)
        #expect(results.count == d.findings.count)
        for r in results {
            let id = try #require(r["ruleId"]?.stringValue)
            let index = Int(try #require(r["ruleIndex"]?.doubleValue))
            #expect(rules[index]["id"]?.stringValue == id)
            #expect(["none", "note", "warning", "error"].contains(r["level"]?.stringValue ?? ""))
            #expect(r.at("message.text")?.stringValue?.isEmpty == false)
            let locs = try #require(r["locations"]?.arrayValue)
            #expect(!locs.isEmpty)
            for l in locs { #expect(l["physicalLocation"]?.at("artifactLocation.uri") != nil || l["logicalLocations"] != nil) }
        }
    }

    /// The JSON output matches the schema documented in docs/report.md.
    @Test(arguments: scenarios)
    func jsonMatchesTheDocumentedSchema(_ name: String) throws {
        let d = try Fixtures.diagnose(name)
        let data = Data(Renderer.render(d, format: .json, failOn: .warning).utf8)
        let o = try #require(Fixtures.foundationJSON(data) as? [String: Any])
        #expect(Set(o.keys) == ["schema", "tool", "verdict", "summary", "areas", "findings", "notes"])
        #expect(o["schema"] as? String == "bitnet-doctor.check/1")
        let verdict = try #require(o["verdict"] as? [String: Any])
        #expect(verdict["fails"] as? Bool == d.fails(at: .warning))
        #expect(verdict["fail_on"] as? String == "warning")
        let summary = try #require(o["summary"] as? [String: Int])
        #expect(summary == ["error": d.count(.error), "warning": d.count(.warning), "info": d.count(.info)])
        for a in try #require(o["areas"] as? [[String: Any]]) {
            #expect(Set(a.keys) == ["id", "title", "summary", "status"])
            #expect(["ok", "warning", "error"].contains(a["status"] as? String ?? ""))
        }
        let findings = try #require(o["findings"] as? [[String: Any]])
        #expect(findings.count == d.findings.count)
        for f in findings {
            #expect(Set(f.keys).isSuperset(of: ["rule_id", "severity", "area", "title", "symptom", "message", "impact", "fixes", "evidence"]))
            #expect(["error", "warning", "info"].contains(f["severity"] as? String ?? ""))
            for fix in try #require(f["fixes"] as? [[String: Any]]) {
                #expect(fix["explanation"] is String)
                #expect(fix["commands"] is [String])
            }
        }
    }

    @Test func textSummaryHasOneLinePerAreaAndNoColourUnlessAsked() throws {
        let d = try Fixtures.diagnose("combo-laptop-on-battery")
        let plain = Renderer.render(d, format: .text)
        #expect(!plain.contains("\u{1B}["))
        for a in d.areas { #expect(plain.contains("] \(a.title)")) }
        #expect(plain.contains("[!] Frequency"))
        #expect(plain.contains("[✓] Memory"))
        #expect(plain.contains("$ sudo cpupower frequency-set -g performance"))
        #expect(plain.hasSuffix(d.verdict + "\n"))
        #expect(Renderer.render(d, format: .text, color: true).contains("\u{1B}[33"))
        #expect(!Renderer.useColor(isTTY: true, environment: ["NO_COLOR": "1"]))
        #expect(!Renderer.useColor(isTTY: false, environment: [:]))
        #expect(Renderer.useColor(isTTY: true, environment: ["TERM": "xterm"]))
        let verbose = Renderer.render(d, format: .text, verbose: true)
        #expect(verbose.contains("facts.frequency.governor = powersave"))
    }

    @Test func markdownListsEveryFinding() throws {
        let d = try Fixtures.diagnose("combo-bitnet-rs-guide")
        let md = Renderer.render(d, format: .md)
        for f in d.findings { #expect(md.contains("`\(f.ruleId)`")) }
        #expect(md.contains("```sh"))
    }

    @Test func prometheusLinesAreWellFormed() throws {
        let d = try Fixtures.diagnose("combo-container")
        let text = Renderer.render(d, format: .prometheus)
        try PrometheusFormat.check(text)
        #expect(text.contains("bitnet_doctor_rule_fired{rule=\"cpu-quota\",severity=\"warning\"} 1"))
    }
}

/// A checker for the Prometheus text exposition format (metric lines and HELP/TYPE comments).
enum PrometheusFormat {
    struct Bad: Error { var line: String }
    static func check(_ text: String) throws {
        let metric = #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*")*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$"#
        let comment = #"^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (gauge|counter|histogram|summary|untyped))$"#
        for line in text.split(separator: "\n").map(String.init) {
            if line.range(of: metric, options: .regularExpression) == nil && line.range(of: comment, options: .regularExpression) == nil {
                throw Bad(line: line)
            }
        }
    }
}
