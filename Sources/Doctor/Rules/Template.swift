import Foundation

/// Message templates: `{{facts.cpu.model_name}}` is replaced by the value at that evidence path
/// (rendered for people; "n/a" when absent). Nothing else in a template is interpreted.
public enum Template {
    /// The paths named in a template, in order.
    public static func placeholders(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return out
    }

    public static func render(_ text: String, _ resolve: (String) -> JSONValue?) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out += rest[..<open.lowerBound]
            let path = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += resolve(path)?.display ?? "n/a"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}
