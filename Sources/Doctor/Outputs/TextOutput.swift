import Foundation

/// The flutter-doctor-style summary: one line per area with ✓ / ! / ✗, findings with fixes, a verdict.
public enum TextOutput {
    public static func render(_ d: Diagnosis, verbose: Bool, color: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func mark(_ s: Severity?) -> String {
            switch s {
            case nil, .info?: return paint("[✓]", "32")
            case .warning?: return paint("[!]", "33")
            case .error?: return paint("[✗]", "31")
            }
        }
        var out = "bitnet-doctor summary (to see all details, run bitnet-doctor -v):\n"
        for a in d.areas {
            let serious = d.findings.filter { $0.area == a.id && $0.severity >= .warning }
            let summary = a.summary.isEmpty ? "" : " — \(a.summary)"
            out += "\(mark(a.worst.flatMap { $0 >= .warning ? $0 : nil })) \(a.title)\(summary)\n"
            for f in serious { out += "    \(f.severity == .error ? "✗" : "!") \(f.title)\n" }
        }
        let shown = d.findings.filter { verbose || $0.severity >= .warning }
        if !shown.isEmpty { out += "\n" }
        for f in shown {
            let tag = f.severity == .error ? paint("✗ error", "31;1") : f.severity == .warning ? paint("! warning", "33;1") : paint("• info", "36")
            out += "\(tag) [\(f.ruleId)] \(f.title)\(f.receipt.map { " (\($0))" } ?? "")\n"
            out += wrap(f.message, indent: "    ") + "\n"
            for fix in f.fixes {
                out += wrap("Fix: " + fix.explanation, indent: "    ") + "\n"
                for c in fix.commands { out += "      $ \(c)\n" }
                if let docs = fix.docs { out += "      see \(docs)\n" }
            }
            if verbose {
                out += "    Symptom: \(f.symptom)\n"
                for e in f.evidence { out += "      \(e.path) = \(e.value)\n" }
            }
            out += "\n"
        }
        if verbose, !d.notes.isEmpty || shown.isEmpty { out += "\n" }
        for n in d.notes { out += "• \(n)\n" }
        let infos = d.count(.info)
        if !verbose, infos > 0 { out += "• \(infos) informational finding\(infos == 1 ? "" : "s") hidden (use -v).\n" }
        out += (d.fails(at: .error) ? paint("✗ ", "31;1") : d.fails(at: .warning) ? paint("! ", "33;1") : paint("✓ ", "32;1")) + d.verdict + "\n"
        return out
    }

    static func wrap(_ s: String, indent: String, width: Int = 100) -> String {
        var lines: [String] = []
        var cur = indent
        for word in s.split(separator: " ", omittingEmptySubsequences: false) {
            if cur.count + word.count + 1 > width, cur.count > indent.count {
                lines.append(cur)
                cur = indent + "  "
            }
            cur += (cur == indent || cur == indent + "  " ? "" : " ") + word
        }
        lines.append(cur)
        return lines.joined(separator: "\n")
    }
}
