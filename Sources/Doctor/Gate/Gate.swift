import Foundation

/// Options of `bitnet-doctor gate` (docs/ci.md).
public struct GateOptions: Sendable {
    public enum Bandwidth: Sendable, Equatable { case gbps(Double), measured }
    public var minTokensPerSecond: Double?
    public var minEfficiency: Double?
    public var bandwidth: Bandwidth?
    public var baseline: URL?
    public var maxRegressionPercent: Double?
    /// Rules at or above this severity fail the gate; nil: rules do not gate.
    public var failOn: Severity? = .error
    /// Relative spread (stddev / mean) above which a measurement is too noisy to judge.
    public var maxRelativeSpread: Double = 0.10
    public init() {}
}

/// One gate check on one receipt.
public struct GateCheck: Sendable, Equatable {
    public enum Status: String, Sendable { case pass, fail, unreliable }
    public var name: String
    public var receipt: String
    public var status: Status
    public var message: String
    public var value: Double?
    public var threshold: Double?
}

public struct GateResult: Sendable {
    public static let pass: Int32 = 0, fail: Int32 = 1, configError: Int32 = 2, unreliable: Int32 = 3
    public var exitCode: Int32
    public var checks: [GateCheck]
    public var configErrors: [String]
    public var diagnosis: Diagnosis?
    public var tokensPerSecond: [String: Double] = [:]
    public var efficiency: [String: Double] = [:]
    public var regressionPercent: [String: Double] = [:]

    public init(exitCode: Int32, checks: [GateCheck], configErrors: [String], diagnosis: Diagnosis? = nil) {
        self.exitCode = exitCode
        self.checks = checks
        self.configErrors = configErrors
        self.diagnosis = diagnosis
    }
}

/// The CI health gate. Exit code: 2 when the configuration is wrong; otherwise 3 when any measurement is
/// unreliable (throttled, too noisy, untrustworthy receipt, or a drop within the noise); otherwise 1 when any
/// check fails; otherwise 0.
public enum Gate {
    public static func evaluate(_ o: GateOptions, inputs: CheckInputs, rules: RuleSet,
                                measureBandwidth: (() -> Double?)? = nil) -> GateResult {
        var errors: [String] = []
        if inputs.receipts.isEmpty { errors.append("gate needs at least one --receipt FILE") }
        if let m = o.minTokensPerSecond, !(m > 0) { errors.append("--min-tps must be a positive number") }
        if !rules.issues.isEmpty { errors += rules.issues.map(\.description) }
        var bandwidth: Double?
        if let e = o.minEfficiency {
            if !(e > 0 && e <= 1) { errors.append("--min-efficiency must be a fraction in (0, 1]") }
            switch o.bandwidth {
            case .gbps(let g)?: if g > 0 { bandwidth = g } else { errors.append("--bandwidth must be positive (GB/s)") }
            case .measured?:
                bandwidth = inputs.run?["bandwidth_gbps"]?.doubleValue ?? measureBandwidth?()
                if bandwidth == nil { errors.append("--bandwidth measured: no bandwidth measurement is available in this build") }
            case nil: errors.append("--min-efficiency needs --bandwidth GBPS or --bandwidth measured")
            }
            if inputs.model?["bytes_per_token"]?.doubleValue == nil {
                errors.append("--min-efficiency needs the model's bytes per token (--model FILE)")
            }
        }
        if (o.baseline == nil) != (o.maxRegressionPercent == nil) {
            errors.append("--baseline and --max-regression go together")
        }
        if let p = o.maxRegressionPercent, !(p >= 0 && p < 100) { errors.append("--max-regression must be a percentage in [0, 100)") }
        var baseline: Evidence?
        if let b = o.baseline {
            do {
                let r = try ReceiptReader.read(b)
                baseline = Evidence.assemble(facts: nil, model: inputs.model, receipt: r, run: nil, speeds: rules.speeds)
                if baseline?.resolve("receipt.tokens_per_second")?.doubleValue.map({ $0 > 0 }) != true {
                    errors.append("baseline \(b.lastPathComponent) has no positive tokens_per_second")
                }
            } catch { errors.append("baseline: \(error.description)") }
        }
        if !errors.isEmpty { return GateResult(exitCode: GateResult.configError, checks: [], configErrors: errors) }

        var gateInputs = inputs
        if let bandwidth { gateInputs.run = (inputs.run ?? [:]).merged(with: ["bandwidth_gbps": .number(bandwidth)]) }
        let evidence = gateInputs.evidence(speeds: rules.speeds)
        let diagnosis = Diagnoser.diagnose(evidence, rules: rules, notes: inputs.notes)
        var result = GateResult(exitCode: 0, checks: [], configErrors: [], diagnosis: diagnosis)
        for (label, ev) in evidence {
            let name = label ?? "receipt"
            result.checks += checks(for: ev, name: name, options: o, baseline: baseline, diagnosis: diagnosis, result: &result)
        }
        if result.checks.contains(where: { $0.status == .unreliable }) { result.exitCode = GateResult.unreliable }
        else if result.checks.contains(where: { $0.status == .fail }) { result.exitCode = GateResult.fail }
        return result
    }

    static func checks(for ev: Evidence, name: String, options o: GateOptions, baseline: Evidence?,
                       diagnosis: Diagnosis, result: inout GateResult) -> [GateCheck] {
        var out: [GateCheck] = []
        let mine = diagnosis.findings.filter { $0.receipt == name || $0.receipt == nil }
        // Reliability first: a measurement we cannot trust is not judged against thresholds.
        for id in ["receipt-untrustworthy", "thermal-throttle"] {
            if let f = mine.first(where: { $0.ruleId == id }) {
                out.append(GateCheck(name: "reliable/\(id)", receipt: name, status: .unreliable, message: f.message))
            }
        }
        let spread = ev.resolve("derived.relative_spread")?.doubleValue
        if let spread, spread > o.maxRelativeSpread {
            out.append(GateCheck(name: "reliable/noise", receipt: name, status: .unreliable,
                                 message: "relative spread \(pct(spread)) exceeds \(pct(o.maxRelativeSpread))", value: spread, threshold: o.maxRelativeSpread))
        }
        guard let tps = ev.resolve("receipt.tokens_per_second")?.doubleValue, tps > 0 else {
            out.append(GateCheck(name: "reliable/tokens-per-second", receipt: name, status: .unreliable, message: "the receipt has no positive tokens_per_second"))
            return out
        }
        result.tokensPerSecond[name] = tps
        if let min = o.minTokensPerSecond {
            out.append(GateCheck(name: "min-tps", receipt: name, status: tps >= min ? .pass : .fail,
                                 message: "\(fmt(tps)) tok/s \(tps >= min ? "≥" : "<") \(fmt(min)) tok/s", value: tps, threshold: min))
        }
        if let minEff = o.minEfficiency, let eff = ev.resolve("derived.efficiency")?.doubleValue {
            result.efficiency[name] = eff
            out.append(GateCheck(name: "min-efficiency", receipt: name, status: eff >= minEff ? .pass : .fail,
                                 message: "\(pct(eff)) of the roofline \(eff >= minEff ? "≥" : "<") \(pct(minEff))", value: eff, threshold: minEff))
        }
        if let baseline, let maxPct = o.maxRegressionPercent, let base = baseline.resolve("receipt.tokens_per_second")?.doubleValue {
            let drop = (base - tps) / base * 100
            result.regressionPercent[name] = drop
            let sb = (baseline.resolve("derived.relative_spread")?.doubleValue ?? 0) * base
            let sc = (spread ?? 0) * tps
            let noise = 2 * (sb * sb + sc * sc).squareRoot()
            let status: GateCheck.Status
            let msg: String
            if drop <= maxPct {
                status = .pass; msg = "\(fmt(tps)) tok/s vs baseline \(fmt(base)): change \(fmt(-drop))% (limit -\(fmt(maxPct))%)"
            } else if base - tps > noise {
                status = .fail; msg = "regression: \(fmt(tps)) tok/s vs baseline \(fmt(base)) is \(fmt(drop))% slower (limit \(fmt(maxPct))%, noise ±\(fmt(noise)) tok/s)"
            } else {
                status = .unreliable; msg = "\(fmt(drop))% slower than the baseline, but within the repetitions' noise (±\(fmt(noise)) tok/s)"
            }
            out.append(GateCheck(name: "max-regression", receipt: name, status: status, message: msg, value: drop, threshold: maxPct))
        }
        if let failOn = o.failOn {
            for f in mine where f.severity >= failOn && !["receipt-untrustworthy", "thermal-throttle", "noisy-measurement"].contains(f.ruleId) {
                out.append(GateCheck(name: "rule/\(f.ruleId)", receipt: name, status: .fail, message: f.message))
            }
        }
        if out.isEmpty { out.append(GateCheck(name: "receipt", receipt: name, status: .pass, message: "\(fmt(tps)) tok/s, no finding at or above the threshold")) }
        return out
    }

    static func fmt(_ d: Double) -> String { JSONValue.format(d, maxFraction: 2) }
    static func pct(_ d: Double) -> String { JSONValue.format(d * 100, maxFraction: 1) + "%" }
}
