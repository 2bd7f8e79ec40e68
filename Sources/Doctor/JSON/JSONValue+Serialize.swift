import Foundation

extension JSONValue {
    /// Serialises with sorted keys; `pretty` indents by two spaces.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : nil)
        return out
    }

    /// A compact human rendering for messages: strings without quotes, numbers without a trailing `.0`,
    /// arrays joined by ", ", objects with a `name` shown by their name.
    public var display: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return JSONValue.format(d, maxFraction: 2)
        case .string(let s): return s
        case .array(let a): return a.isEmpty ? "(none)" : a.map(\.display).joined(separator: ", ")
        case .object(let o):
            for key in ["name", "device", "model"] { if let n = o[key]?.stringValue { return n } }
            return o.keys.sorted().map { "\($0)=\(o[$0]!.display)" }.joined(separator: ", ")
        }
    }

    static func format(_ d: Double, maxFraction: Int = 6) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        if d == d.rounded(), abs(d) < 9.0e15 { return String(Int64(d)) }
        var s = String(format: "%.\(maxFraction)f", d)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    private func write(into out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d):
            if d.isNaN || d.isInfinite { out += "null" }
            else if d == d.rounded(), abs(d) < 9.0e15 { out += String(Int64(d)) }
            else { out += "\(d)" }
        case .string(let s): JSONValue.escape(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                JSONValue.newline(&out, indent.map { $0 + 1 })
                v.write(into: &out, indent: indent.map { $0 + 1 })
            }
            JSONValue.newline(&out, indent)
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                JSONValue.newline(&out, indent.map { $0 + 1 })
                JSONValue.escape(k, into: &out)
                out += indent == nil ? ":" : ": "
                o[k]!.write(into: &out, indent: indent.map { $0 + 1 })
            }
            JSONValue.newline(&out, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }

    static func escape(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }
}
