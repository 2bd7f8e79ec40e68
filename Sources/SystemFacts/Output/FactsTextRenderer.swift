import Foundation

/// A compact, aligned text summary of a facts report.
public enum FactsTextRenderer {
    /// Renders the report; `color` adds ANSI colour (callers pass it only for a terminal without NO_COLOR).
    public static func render(_ report: FactsReport, color: Bool = false, width: Int = 100) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out = "System facts (root \(report.root)\(report.live ? ", live" : ", fixture")\(report.safeMode ? ", safe mode" : ""))\n"
        for fam in report.families {
            out += paint(fam.name, "1") + "\n"
            let pad = (fam.names.map(\.count).max() ?? 0) + 2
            for (name, fact) in fam.ordered {
                let label = "  " + name + String(repeating: " ", count: pad - name.count)
                let text: String
                switch fact.status {
                case .ok: text = clip(describe(name, fact.value), width - label.count)
                case .notAvailable(let r): text = paint(clip("n/a: \(r)", width - label.count), "2")
                case .error(let r): text = paint(clip("error: \(r)", width - label.count), "31")
                }
                out += label + text + "\n"
            }
        }
        return out
    }

    static func clip(_ s: String, _ n: Int) -> String {
        let n = max(n, 20)
        return s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    static func describe(_ name: String, _ v: FactValue) -> String {
        switch v {
        case .int(let i) where name.hasSuffix("_bytes"): return bytes(i)
        case .int(let i) where name.hasSuffix("_khz"): return String(format: "%.2f GHz", Double(i) / 1e6)
        case .double(let d) where name.hasSuffix("_c"): return String(format: "%.1f °C", d)
        case .array(let a) where a.isEmpty: return "none"
        case .array(let a):
            if a.allSatisfy({ $0.stringValue != nil }) {
                return "\(a.compactMap(\.stringValue).joined(separator: " "))\(a.count > 8 ? " (\(a.count))" : "")"
            }
            return "\(a.count): " + a.map { item($0) }.joined(separator: "; ")
        case .object(let o) where o.isEmpty: return "none"
        default: return item(v)
        }
    }

    static func bytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(n), u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        return u == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[u])
    }

    /// One value on one line; objects put name/label-like keys first.
    static func item(_ v: FactValue) -> String {
        switch v {
        case .null: return "-"
        case .bool(let b): return b ? "yes" : "no"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : String(format: "%.3g", d)
        case .string(let s): return s
        case .array(let a): return "[" + a.map(item).joined(separator: ", ") + "]"
        case .object(let o):
            let lead = ["name", "chip", "label", "step", "slot", "zone", "type", "vendor", "device"]
            let keys = lead.filter { o[$0] != nil } + o.keys.filter { !lead.contains($0) }.sorted()
            return keys.compactMap { k in
                guard let x = o[k], x != .null else { return nil }
                return lead.contains(k) ? item(x) : "\(k)=\(item(x))"
            }.joined(separator: " ")
        }
    }
}
