import Foundation

/// Prometheus text exposition format (version 0.0.4) for findings; the gate adds its own metrics.
public enum PrometheusOutput {
    public static func render(_ d: Diagnosis) -> String {
        var out = "# HELP bitnet_doctor_findings Findings by severity.\n# TYPE bitnet_doctor_findings gauge\n"
        for s in Severity.allCases { out += "bitnet_doctor_findings{severity=\"\(s.rawValue)\"} \(d.count(s))\n" }
        out += "# HELP bitnet_doctor_rule_fired Whether a rule fired (1) or not (0).\n# TYPE bitnet_doctor_rule_fired gauge\n"
        for r in d.rulesEvaluated {
            let fired = d.findings.contains { $0.ruleId == r.id }
            out += "bitnet_doctor_rule_fired{rule=\"\(label(r.id))\",severity=\"\(r.severity.rawValue)\"} \(fired ? 1 : 0)\n"
        }
        return out
    }

    /// Escapes a label value (backslash, double quote, newline).
    static func label(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        return JSONValue.format(d, maxFraction: 6)
    }
}
