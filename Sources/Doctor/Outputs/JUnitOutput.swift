import Foundation

/// JUnit XML: one testcase per rule; a failure for each rule with findings at or above the threshold.
public enum JUnitOutput {
    public static func render(_ d: Diagnosis, failOn: Severity) -> String {
        let rules = d.rulesEvaluated
        let failures = rules.filter { r in d.findings.contains { $0.ruleId == r.id && $0.severity >= failOn } }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"bitnet-doctor\" tests=\"\(rules.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        out += "  <testsuite name=\"bitnet-doctor.rules\" tests=\"\(rules.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        for r in rules {
            let found = d.findings.filter { $0.ruleId == r.id }
            out += "    <testcase classname=\"bitnet-doctor.\(xml(r.area))\" name=\"\(xml(r.id))\""
            if found.isEmpty { out += "/>\n"; continue }
            out += ">\n"
            let text = found.map { f in
                ([f.message] + f.fixes.map { "Fix: \($0.explanation)" + ($0.commands.isEmpty ? "" : "\n  $ " + $0.commands.joined(separator: "\n  $ ")) })
                    .joined(separator: "\n")
            }.joined(separator: "\n\n")
            if found.contains(where: { $0.severity >= failOn }) {
                out += "      <failure type=\"\(found[0].severity.rawValue)\" message=\"\(xml(found[0].title))\">\(xml(text))</failure>\n"
            } else {
                out += "      <system-out>\(xml(text))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(u)
            default:
                // XML 1.0 forbids most control characters; drop them.
                if u.value >= 0x20 && !(0xFFFE...0xFFFF).contains(u.value) { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
