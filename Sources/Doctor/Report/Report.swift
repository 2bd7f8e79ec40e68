import Foundation

/// `perf_debug.md` and `perf_debug.json`: facts, model, receipts, findings and environment in one go,
/// with secrets and identifying data redacted.
public struct Report: Sendable {
    public static let schema = "bitnet-doctor.report/1"
    public var markdown: String
    public var json: JSONValue
    public var redactions: [Redaction]

    /// The redactor for these inputs: value patterns plus this machine's host names and user names.
    public static func redactor(for inputs: CheckInputs) -> Redactor {
        var hosts: [String] = [], users: [String] = []
        let env = inputs.environment
        if let h = env["HOSTNAME"] { hosts.append(h) }
        for k in ["USER", "LOGNAME", "USERNAME", "SUDO_USER"] { if let u = env[k] { users.append(u) } }
        if let root = inputs.root {
            for p in ["etc/hostname", "proc/sys/kernel/hostname"] {
                if let t = try? String(contentsOf: root.appendingPathComponent(p), encoding: .utf8) {
                    hosts.append(t.trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
            if root.standardizedFileURL.path == "/" {
                hosts.append(ProcessInfo.processInfo.hostName)
                if let short = ProcessInfo.processInfo.hostName.split(separator: ".").first { hosts.append(String(short)) }
                users.append(NSUserName())
            }
        }
        for case let h? in [inputs.facts.at("software.hostname.value")?.stringValue] { hosts.append(h) }
        return Redactor(hostnames: hosts, users: users)
    }

    public static func build(inputs: CheckInputs, diagnosis d: Diagnosis) -> Report {
        let redactor = redactor(for: inputs)
        var log: [Redaction] = []
        let first = d.evidence.first?.evidence
        var env: [String: JSONValue] = [:]
        for (k, v) in inputs.environment { env[k] = Redactor.isSecretName(k) ? .string(Redactor.placeholder) : .string(v) }
        for k in inputs.environment.keys where Redactor.isSecretName(k) {
            Redactor.record(&log, Redaction(location: "perf_debug.json $.environment.\(k)", kind: "secret-named variable",
                                            reason: "the name says it holds a secret", count: 1))
        }
        let raw: JSONValue = [
            "schema": .string(schema),
            "tool": DoctorInfo.tool,
            "verdict": .string(d.verdict),
            "summary": ["error": .number(Double(d.count(.error))), "warning": .number(Double(d.count(.warning))),
                        "info": .number(Double(d.count(.info)))],
            "findings": .array(d.findings.map(JSONOutput.finding)),
            "facts": first?.document["facts"] ?? [:],
            "model": first?.document["model"] ?? [:],
            "run": first?.document["run"] ?? [:],
            "receipts": .array(d.evidence.compactMap { e in
                guard let label = e.label else { return nil }
                return ["file": .string(label), "receipt": e.evidence.document["receipt"] ?? [:],
                        "derived": e.evidence.document["derived"] ?? [:]]
            }),
            "derived": first?.document["derived"] ?? [:],
            "environment": .object(env),
            "notes": JSONValue(d.notes),
        ]
        let json = redactor.redact(raw, location: "perf_debug.json", log: &log)
        let md = redactor.redact(markdown(d, json: json), location: "perf_debug.md", log: &log)
        return Report(markdown: md, json: json, redactions: log)
    }

    static func markdown(_ d: Diagnosis, json: JSONValue) -> String {
        var out = "# bitnet-doctor performance report\n\n"
        out += "bitnet-doctor \(DoctorInfo.version), commit `\(DoctorInfo.commit)`\n\n"
        out += MarkdownOutput.render(d).replacingOccurrences(of: "## bitnet-doctor\n\n", with: "")
        out += "\n## System\n\n| Fact | Value |\n|---|---|\n"
        let keys = ["cpu.model_name", "cpu.flags", "cpu.hidden_flags", "cpu.hypervisor", "cpu.container", "cores.usable",
                    "cores.cgroup_quota_cpus", "cores.thread_env", "frequency.governor", "frequency.boost", "thermal.max_temp_c",
                    "load.loadavg1", "memory.total_bytes", "memory.available_bytes", "pci.gpus", "nvidia.driver_version",
                    "software.os", "software.kernel"]
        for k in keys {
            let c = k.split(separator: ".").map(String.init)
            guard let fact = json["facts"]?[c[0]]?[c[1]] else { continue }
            let v = fact["status"]?.stringValue == "ok" ? (fact["value"]?.display ?? "") : "not available: \(fact["reason"]?.stringValue ?? "")"
            out += "| `\(k)` | \(MarkdownOutput.escape(v)) |\n"
        }
        out += "\n## Model\n\n```json\n\(json["model"]?.serialized() ?? "{}")\n```\n"
        for r in json["receipts"]?.arrayValue ?? [] {
            out += "\n## Receipt `\(r["file"]?.stringValue ?? "")`\n\n```json\n\(r["receipt"]?.serialized() ?? "{}")\n```\n"
        }
        out += "\n## Derived\n\n```json\n\(json["derived"]?.serialized() ?? "{}")\n```\n"
        out += "\n## Environment\n\n```json\n\(json["environment"]?.serialized() ?? "{}")\n```\n"
        return out
    }

    /// Writes perf_debug.md and perf_debug.json into `dir`.
    public func write(to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(markdown.utf8).write(to: dir.appendingPathComponent("perf_debug.md"))
        try Data((json.serialized() + "\n").utf8).write(to: dir.appendingPathComponent("perf_debug.json"))
    }
}
