import Foundation
import Testing
@testable import Doctor

@Suite struct ScenarioTests {
    @Test(arguments: Fixtures.scenarioNames)
    func scenarioProducesExactlyTheExpectedFindings(_ name: String) throws {
        let s = try Fixtures.scenario(name)
        let d = s.inputs.diagnose(rules: Fixtures.rules)
        let serious = Set(d.findings.filter { $0.severity >= .warning }.map(\.ruleId))
        #expect(serious == s.expectedFindings, "\(name): \(d.findings.map { "\($0.ruleId): \($0.message)" })")
        if let info = s.expectedInfo {
            #expect(Set(d.findings.filter { $0.severity == .info }.map(\.ruleId)) == info)
        }
        // Every message is fully rendered.
        for f in d.findings { #expect(!f.message.contains("{{"), "\(f.ruleId)") }
    }

    @Test func everyRuleHasAScenarioThatFiresIt() throws {
        var fired: Set<String> = []
        for name in Fixtures.scenarioNames {
            let s = try Fixtures.scenario(name)
            fired.formUnion(s.expectedFindings)
            fired.formUnion(s.expectedInfo ?? [])
        }
        for rule in Fixtures.rules.rules { #expect(fired.contains(rule.id), "no scenario fires \(rule.id)") }
    }

    @Test func atLeastOneSingleFaultScenarioPerRequiredId() throws {
        for id in RuleValidationTests.requiredIds {
            let dirs = try Fixtures.scenarioNames.map { try Fixtures.scenario($0) }
            #expect(dirs.contains { $0.expectedFindings.contains(id) || ($0.expectedInfo ?? []).contains(id) }, "\(id)")
        }
        let combined = try Fixtures.scenarioNames.map { try Fixtures.scenario($0) }.filter { $0.expectedFindings.count >= 3 }
        #expect(combined.count >= 3)
    }

    @Test(arguments: ["clean-tuned-desktop", "clean-gpu-host", "clean-llama-cpp-tq2"])
    func cleanMachinesHaveNoWarnings(_ name: String) throws {
        let d = try Fixtures.diagnose(name)
        #expect(!d.fails(at: .warning), "\(d.findings.map(\.ruleId))")
        #expect(d.areas.allSatisfy { ($0.worst ?? .info) < .warning })
    }

    @Test func findingsAreOrderedBySeverityThenImpact() throws {
        let d = try Fixtures.diagnose("combo-bitnet-rs-guide")
        #expect(d.findings.first?.ruleId == "format-misdecoded")
        for (a, b) in zip(d.findings, d.findings.dropFirst()) {
            #expect(a.severity > b.severity || (a.severity == b.severity && a.impact >= b.impact))
        }
    }

    @Test func expectedSpeedComesFromBandwidthAndBytesPerToken() throws {
        // below-expected scenario: 60 GB/s / 1.179455 GB per token = 50.87 tok/s roofline; bitnet.cpp I2_S
        // efficiency 0.6 from rules/reference-speeds.json → 30.52 tok/s expected.
        let s = try Fixtures.scenario("below-expected")
        let ev = s.inputs.evidence(speeds: Fixtures.rules.speeds)[0].evidence
        let roof = try #require(ev.resolve("derived.roofline_tokens_per_second")?.doubleValue)
        #expect(abs(roof - 60e9 / 1_179_455_040) < 1e-9)
        let expected = try #require(ev.resolve("derived.expected_tokens_per_second")?.doubleValue)
        #expect(abs(expected - 0.6 * 60e9 / 1_179_455_040) < 1e-9)
        #expect(ev.resolve("derived.efficiency")?.doubleValue.map { abs($0 - 6.0 / roof) < 1e-12 } == true)
        // The published point nearest the receipt's 8 threads is bitnet.cpp's 4-thread EPYC figure.
        #expect(ev.resolve("derived.reference_tokens_per_second") == .number(49.3))
    }

    @Test func envFileFeedsThreadFacts() throws {
        let s = try Fixtures.scenario("single-thread")
        let ev = s.inputs.evidence(speeds: .empty)[0].evidence
        #expect(ev.resolve("facts.cores.thread_env.RAYON_NUM_THREADS") == "1")
        #expect(ev.resolve("facts.environment.variables.BITNET_DETERMINISTIC") == "1")
    }
}

@Suite struct AttributionTests {
    @Test func machineFindingsAreNotAttributedToAReceipt() throws {
        let d = try Fixtures.diagnose("machine-laptop-throttling")
        #expect(d.findings.first { $0.ruleId == "governor-powersave" }?.receipt == nil)
        #expect(d.findings.first { $0.ruleId == "below-expected" }?.receipt == "receipt.json")
        // Two receipts on a powersave machine: the machine finding appears once.
        var i = try Fixtures.scenario("governor-powersave").inputs
        try i.addReceipts([Fixtures.receipts.appendingPathComponent("llama-bench-bitnet-cpp.json")])
        let two = i.diagnose(rules: Fixtures.rules)
        #expect(two.findings.filter { $0.ruleId == "governor-powersave" }.count == 1)
    }
}
