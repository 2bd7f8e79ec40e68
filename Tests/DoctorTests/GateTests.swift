import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport
@testable import Doctor

@Suite struct GateTests {
    func inputs(_ scenario: String) throws -> CheckInputs { try Fixtures.scenario(scenario).inputs }

    /// A llama-bench JSONL receipt with the given decode samples, written to a temporary file.
    func benchReceipt(_ samples: [Double]) throws -> URL {
        let mean = samples.reduce(0, +) / Double(samples.count)
        let sd = (samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count - 1)).squareRoot()
        let rows = try Fixtures.foundationJSON(Data(contentsOf: Fixtures.receipts.appendingPathComponent("llama-bench-bitnet-cpp.json"))) as! [[String: Any]]
        var tg = rows[1]
        tg["avg_ts"] = mean; tg["stddev_ts"] = sd; tg["samples_ts"] = samples
        let url = try TestEnvironment.makeTempDir().appendingPathComponent("bench.jsonl")
        try JSONSerialization.data(withJSONObject: tg).write(to: url)
        return url
    }

    func gate(_ inputs: CheckInputs, _ configure: (inout GateOptions) -> Void) -> GateResult {
        var o = GateOptions()
        configure(&o)
        return Gate.evaluate(o, inputs: inputs, rules: Fixtures.rules)
    }

    @Test func passAndFailOnMinimumSpeed() throws {
        let i = try inputs("below-expected")  // bitnet.cpp at 6 tok/s
        #expect(gate(i) { $0.minTokensPerSecond = 5; $0.failOn = nil }.exitCode == GateResult.pass)
        let r = gate(i) { $0.minTokensPerSecond = 10; $0.failOn = nil }
        #expect(r.exitCode == GateResult.fail)
        #expect(r.checks.contains { $0.name == "min-tps" && $0.status == .fail && $0.value == 6 && $0.threshold == 10 })
        // The rule set (below-expected is a warning) gates at --fail-on warning but not at error.
        #expect(gate(i) { $0.failOn = .warning }.exitCode == GateResult.fail)
        #expect(gate(i) { $0.failOn = .error }.exitCode == GateResult.pass)
    }

    @Test func efficiencyAgainstTheRoofline() throws {
        var i = try inputs("clean-tuned-desktop")
        i.receipts = Array(i.receipts.prefix(1))  // llama-bench bitnet.cpp: 24 tok/s; roofline 60e9 / 1.179455e9 = 50.87
        let pass = gate(i) { $0.minEfficiency = 0.45; $0.bandwidth = .gbps(60) }
        #expect(pass.exitCode == GateResult.pass)
        let eff = try #require(pass.efficiency.values.first)
        #expect(abs(eff - 24.0 / (60e9 / 1_179_455_040)) < 1e-12)
        #expect(gate(i) { $0.minEfficiency = 0.5; $0.bandwidth = .gbps(60) }.exitCode == GateResult.fail)
        // Doubling the bandwidth halves the efficiency.
        #expect(gate(i) { $0.minEfficiency = 0.3; $0.bandwidth = .gbps(120) }.exitCode == GateResult.fail)
        // `measured` uses the run's bandwidth measurement.
        #expect(gate(i) { $0.minEfficiency = 0.45; $0.bandwidth = .measured }.exitCode == GateResult.pass)
    }

    @Test func regressionAgainstABaselineIsNoiseAware() throws {
        var i = try inputs("clean-tuned-desktop")
        let baseline = Fixtures.receipts.appendingPathComponent("llama-bench-bitnet-cpp.json")  // 24.0 ± 0.19
        i.receipts = []
        try i.addReceipts([try benchReceipt([20.1, 19.9, 20.0, 20.0])])  // 16.7% slower, tight spread
        let r = gate(i) { $0.baseline = baseline; $0.maxRegressionPercent = 5 }
        #expect(r.exitCode == GateResult.fail)
        #expect(r.regressionPercent.values.first.map { abs($0 - (24 - 20) / 24 * 100) < 1e-9 } == true)
        #expect(gate(i) { $0.baseline = baseline; $0.maxRegressionPercent = 20 }.exitCode == GateResult.pass)
        // 8% slower but the repetitions scatter by ±3 tok/s: the gate cannot tell.
        i.receipts = []
        try i.addReceipts([try benchReceipt([19.0, 25.0, 22.0, 26.0, 18.4])])
        let noisy = gate(i) { $0.baseline = baseline; $0.maxRegressionPercent = 5; $0.maxRelativeSpread = 0.5 }
        #expect(noisy.exitCode == GateResult.unreliable)
        #expect(noisy.checks.contains { $0.name == "max-regression" && $0.status == .unreliable })
        // With the default noise limit (10%) the spread alone makes the measurement unreliable.
        #expect(gate(i) { $0.minTokensPerSecond = 1 }.exitCode == GateResult.unreliable)
    }

    @Test(arguments: ["thermal-throttle", "receipt-untrustworthy", "noisy-measurement", "receipt-faster-than-memory"])
    func unreliableMeasurements(_ scenario: String) throws {
        let r = gate(try inputs(scenario)) { $0.minTokensPerSecond = 0.001 }
        #expect(r.exitCode == GateResult.unreliable, "\(r.checks)")
    }

    @Test func rulesAtTheThresholdFail() throws {
        let r = gate(try inputs("debug-build")) { $0.failOn = .error }
        #expect(r.exitCode == GateResult.fail)
        #expect(r.checks.contains { $0.name == "rule/debug-build" })
    }

    @Test func badConfigurationIsExitCode2() throws {
        let i = try inputs("clean-tuned-desktop")
        #expect(gate(CheckInputs()) { _ in }.exitCode == GateResult.configError)
        #expect(gate(i) { $0.minEfficiency = 0.5 }.exitCode == GateResult.configError)
        #expect(gate(i) { $0.minEfficiency = 1.5; $0.bandwidth = .gbps(60) }.exitCode == GateResult.configError)
        #expect(gate(i) { $0.minTokensPerSecond = -1 }.exitCode == GateResult.configError)
        #expect(gate(i) { $0.maxRegressionPercent = 5 }.exitCode == GateResult.configError)
        #expect(gate(i) { $0.baseline = URL(fileURLWithPath: "/nonexistent.json"); $0.maxRegressionPercent = 5 }.exitCode == GateResult.configError)
        var noRun = i
        noRun.run = nil
        let r = gate(noRun) { $0.minEfficiency = 0.3; $0.bandwidth = .measured }
        #expect(r.exitCode == GateResult.configError)
        #expect(r.configErrors.contains { $0.contains("--bandwidth measured") })
        var noModel = i
        noModel.model = nil
        #expect(gate(noModel) { $0.minEfficiency = 0.3; $0.bandwidth = .gbps(60) }.exitCode == GateResult.configError)
    }

    @Test func gateOutputsAreWellFormed() throws {
        let r = gate(try inputs("combo-laptop-on-battery")) { $0.minTokensPerSecond = 10; $0.failOn = .warning }
        let xml = GateOutput.render(r, format: .junit)
        let doc = try XMLDocument(data: Data(xml.utf8), options: [])
        #expect(try doc.nodes(forXPath: "//testcase").count == r.checks.count)
        try PrometheusFormat.check(GateOutput.render(r, format: .prometheus))
        #expect(GateOutput.render(r, format: .prometheus).contains("bitnet_doctor_gate_exit_code \(r.exitCode)"))
        let json = try #require(Fixtures.foundationJSON(Data(GateOutput.render(r, format: .json).utf8)) as? [String: Any])
        #expect(json["exit_code"] as? Int == Int(r.exitCode))
        let sarif = try JSONParser.parse(GateOutput.render(r, format: .sarif)).value
        #expect(sarif["version"] == "2.1.0")
        #expect(sarif.at("runs.0.results")?.arrayValue?.contains { $0["ruleId"] == "gate/min-tps" } == true)
        let bad = Gate.evaluate(GateOptions(), inputs: CheckInputs(), rules: Fixtures.rules)
        #expect(try XMLDocument(data: Data(GateOutput.render(bad, format: .junit).utf8), options: []).nodes(forXPath: "//error").count == 1)
    }
}
