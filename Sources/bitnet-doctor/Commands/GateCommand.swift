import ArgumentParser
import Doctor
import Foundation

struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "CI health gate over receipts. Exit 0 pass, 1 fail, 2 usage or configuration error, 3 measurement unreliable.")

    @Option(name: .long, help: "Receipt to gate (repeatable).") var receipt: [String] = []
    @Option(name: .customLong("min-tps"), help: "Minimum decode tokens per second.") var minTPS: Double?
    @Option(name: .customLong("min-efficiency"), help: "Minimum fraction of the memory-bandwidth roofline (needs --bandwidth and --model).")
    var minEfficiency: Double?
    @Option(name: .long, help: "Memory bandwidth in GB/s, or `measured`.") var bandwidth: String?
    @Option(name: .long, help: "Model (inspection JSON, or GGUF when inspection is available) for bytes per token.") var model: String?
    @Option(name: .long, help: "Baseline receipt to compare against.") var baseline: String?
    @Option(name: .customLong("max-regression"), help: "Largest allowed slowdown against the baseline, in percent.") var maxRegression: Double?
    @Option(name: .customLong("max-spread"), help: "Largest relative spread of repetitions before a measurement is unreliable (default 0.10).")
    var maxSpread: Double = 0.10
    @Option(name: .customLong("fail-on"), help: "Fail on findings at or above: error (default), warning, none.") var failOn: FailOn = .error
    @Option(name: .long, help: "Machine root for facts (default: no facts).") var root: String?
    @Option(name: .customLong("env-file"), help: "Environment file for the facts.") var envFile: String?
    @Option(name: .long, help: "Directory of additional rule files (repeatable).") var rules: [String] = []
    @Option(name: .long, help: "Output format: text, json, junit, sarif, prometheus.") var format: OutputFormat = .text

    func run() async throws {
        var o = GateOptions()
        o.minTokensPerSecond = minTPS
        o.minEfficiency = minEfficiency
        o.maxRegressionPercent = maxRegression
        o.baseline = baseline.map { URL(fileURLWithPath: $0) }
        o.failOn = failOn.severity
        o.maxRelativeSpread = maxSpread
        var configErrors: [String] = []
        if let b = bandwidth {
            if b == "measured" { o.bandwidth = .measured } else if let g = Double(b) { o.bandwidth = .gbps(g) }
            else { configErrors.append("--bandwidth must be a number of GB/s or `measured`") }
        }
        var inputs = CheckInputs()
        if let root {
            var env: [String: String]?
            if let envFile { env = (try? String(contentsOfFile: envFile, encoding: .utf8)).map(EnvFile.parse) ?? [:] }
            inputs.facts = FactsBridge.collect(root: URL(fileURLWithPath: root), environment: env)
            inputs.environmentInFacts = true
        }
        if let model {
            do { inputs.model = try ModelBridge.model(at: URL(fileURLWithPath: model)) } catch {
                configErrors.append("--model: \(error)")
            }
        }
        do { try inputs.addReceipts(receipt.map { URL(fileURLWithPath: $0) }) } catch { configErrors.append(error.description) }
        let set = RuleSet.standard(userDirectories: rules.map { URL(fileURLWithPath: $0) })
        var result: GateResult
        if configErrors.isEmpty {
            result = Gate.evaluate(o, inputs: inputs, rules: set, measureBandwidth: DoctorHooks.measureBandwidth)
        } else {
            result = GateResult(exitCode: GateResult.configError, checks: [], configErrors: configErrors)
        }
        Log.out(GateOutput.render(result, format: format))
        if format != .text { for e in result.configErrors { Log.error(e) } }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
