import Foundation

/// `check --format md`: a summary table and the findings, paste-able into an issue.
public enum MarkdownOutput {
    public static func render(_ d: Diagnosis) -> String {
        var out = "## bitnet-doctor\n\n**\(escape(d.verdict))**\n\n| | Area | State |\n|---|---|---|\n"
        for a in d.areas {
            let m = a.worst == .error ? "✗" : a.worst == .warning ? "!" : "✓"
            out += "| \(m) | \(escape(a.title)) | \(escape(a.summary)) |\n"
        }
        out += "\n"
        for f in d.findings {
            out += "### \(f.severity == .error ? "✗" : f.severity == .warning ? "!" : "ℹ") `\(f.ruleId)`: \(escape(f.title))\n\n"
            if let r = f.receipt { out += "_Receipt: \(escape(r))_\n\n" }
            out += "\(escape(f.message))\n\n"
            for fix in f.fixes {
                out += "- \(escape(fix.explanation))\(fix.docs.map { " ([docs](\($0)))" } ?? "")\n"
                if !fix.commands.isEmpty { out += "\n  ```sh\n" + fix.commands.map { "  \($0)\n" }.joined() + "  ```\n" }
            }
            if !f.evidence.isEmpty {
                out += "\n<details><summary>Evidence</summary>\n\n| Path | Value |\n|---|---|\n"
                for e in f.evidence { out += "| `\(e.path)` | \(escape(e.value)) |\n" }
                out += "\n</details>\n"
            }
            out += "\n"
        }
        for n in d.notes { out += "> \(escape(n))\n" }
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
