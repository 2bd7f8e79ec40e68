import Foundation

/// Renders a gate result: text, json, junit, sarif, prometheus.
public enum GateOutput {
    public static func render(_ r: GateResult, format: OutputFormat) -> String {
        switch format {
        case .text, .md: return text(r)
        case .json: return json(r).serialized() + "\n"
        case .junit: return junit(r)
        case .sarif: return sarif(r).serialized() + "\n"
        case .prometheus: return prometheus(r)
        }
    }

    static func verdict(_ code: Int32) -> String {
        switch code {
        case GateResult.pass: "pass"
        case GateResult.fail: "fail"
        case GateResult.unreliable: "unreliable"
        default: "config-error"
        }
    }

    static func text(_ r: GateResult) -> String {
        var out = ""
        for e in r.configErrors { out += "error: \(e)\n" }
        for c in r.checks {
            let m = c.status == .pass ? "✓" : c.status == .fail ? "✗" : "?"
            out += "\(m) \(c.receipt): \(c.name): \(c.message)\n"
        }
        out += "gate: \(verdict(r.exitCode)) (exit \(r.exitCode))\n"
        return out
    }

    public static func json(_ r: GateResult) -> JSONValue {
        var o: JSONValue = [
            "schema": "bitnet-doctor.gate/1",
            "verdict": .string(verdict(r.exitCode)),
            "exit_code": .number(Double(r.exitCode)),
            "config_errors": JSONValue(r.configErrors),
            "checks": .array(r.checks.map { c in
                var x: JSONValue = ["name": .string(c.name), "receipt": .string(c.receipt), "status": .string(c.status.rawValue),
                                    "message": .string(c.message)]
                if let v = c.value { x["value"] = .number(v) }
                if let t = c.threshold { x["threshold"] = .number(t) }
                return x
            }),
        ]
        if let d = r.diagnosis { o["findings"] = .array(d.findings.map(JSONOutput.finding)) }
        return o
    }

    static func junit(_ r: GateResult) -> String {
        let x = JUnitOutput.xml
        let fails = r.checks.filter { $0.status == .fail }.count
        let errs = r.checks.filter { $0.status == .unreliable }.count + r.configErrors.count
        let total = r.checks.count + r.configErrors.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"bitnet-doctor gate\" tests=\"\(total)\" failures=\"\(fails)\" errors=\"\(errs)\">\n"
        out += "  <testsuite name=\"bitnet-doctor.gate\" tests=\"\(total)\" failures=\"\(fails)\" errors=\"\(errs)\" skipped=\"0\">\n"
        for e in r.configErrors {
            out += "    <testcase classname=\"bitnet-doctor.gate\" name=\"configuration\">\n      <error type=\"config\" message=\"\(x(e))\"/>\n    </testcase>\n"
        }
        for c in r.checks {
            out += "    <testcase classname=\"bitnet-doctor.gate.\(x(c.receipt))\" name=\"\(x(c.name))\""
            switch c.status {
            case .pass: out += "/>\n"
            case .fail: out += ">\n      <failure type=\"fail\" message=\"\(x(c.message))\"/>\n    </testcase>\n"
            case .unreliable: out += ">\n      <error type=\"unreliable\" message=\"\(x(c.message))\"/>\n    </testcase>\n"
            }
        }
        return out + "  </testsuite>\n</testsuites>\n"
    }

    static func sarif(_ r: GateResult) -> JSONValue {
        var doc = r.diagnosis.map(SARIFOutput.document) ?? SARIFOutput.document(Diagnosis(findings: [], areas: [], notes: [], evidence: [], rulesEvaluated: []))
        var results = doc.at("runs.0.results")?.arrayValue ?? []
        for c in r.checks where c.status != .pass && !c.name.hasPrefix("rule/") {
            results.append([
                "ruleId": .string("gate/" + c.name), "level": .string(c.status == .fail ? "error" : "warning"),
                "message": ["text": .string(c.message)],
                "locations": [["physicalLocation": ["artifactLocation": ["uri": .string(c.receipt)]]]],
            ])
        }
        for e in r.configErrors {
            results.append(["ruleId": "gate/configuration", "level": "error", "message": ["text": .string(e)]])
        }
        if var runs = doc["runs"]?.arrayValue, !runs.isEmpty {
            runs[0]["results"] = .array(results)
            doc["runs"] = .array(runs)
        }
        return doc
    }

    static func prometheus(_ r: GateResult) -> String {
        let n = PrometheusOutput.number, l = PrometheusOutput.label
        var out = "# HELP bitnet_doctor_gate_exit_code Exit code of the gate (0 pass, 1 fail, 2 config error, 3 unreliable).\n"
        out += "# TYPE bitnet_doctor_gate_exit_code gauge\nbitnet_doctor_gate_exit_code \(r.exitCode)\n"
        func series(_ name: String, _ help: String, _ values: [String: Double]) {
            guard !values.isEmpty else { return }
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for k in values.keys.sorted() { out += "\(name){receipt=\"\(l(k))\"} \(n(values[k]!))\n" }
        }
        series("bitnet_doctor_gate_tokens_per_second", "Decode tokens per second of each receipt.", r.tokensPerSecond)
        series("bitnet_doctor_gate_efficiency", "Decode speed as a fraction of the memory-bandwidth roofline.", r.efficiency)
        series("bitnet_doctor_gate_regression_percent", "Slowdown against the baseline, in percent (negative: faster).", r.regressionPercent)
        if !r.checks.isEmpty {
            out += "# HELP bitnet_doctor_gate_check Gate checks by status (1 for the check's status).\n# TYPE bitnet_doctor_gate_check gauge\n"
            for c in r.checks {
                out += "bitnet_doctor_gate_check{receipt=\"\(l(c.receipt))\",check=\"\(l(c.name))\",status=\"\(c.status.rawValue)\"} 1\n"
            }
        }
        if let d = r.diagnosis {
            out += "# HELP bitnet_doctor_findings Findings by severity.\n# TYPE bitnet_doctor_findings gauge\n"
            for s in Severity.allCases { out += "bitnet_doctor_findings{severity=\"\(s.rawValue)\"} \(d.count(s))\n" }
        }
        return out
    }
}
