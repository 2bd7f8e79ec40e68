import Foundation

/// The environment variables the facts are taken from: this process's, or a fixture's `env` file.
public struct EnvironmentSource: Sendable {
    public var variables: [String: String]
    public var origin: String

    public init(_ variables: [String: String], origin: String = "environment") {
        self.variables = variables
        self.origin = origin
    }

    public static var process: EnvironmentSource {
        EnvironmentSource(ProcessInfo.processInfo.environment, origin: "process environment")
    }

    /// `KEY=VALUE` lines; blank lines and `#` comments are ignored, an optional `export ` prefix and
    /// surrounding quotes are removed.
    public static func parse(_ text: String, origin: String) -> EnvironmentSource {
        var vars: [String: String] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq]).trimmingCharacters(in: .whitespaces)
            var value = String(line[line.index(after: eq)...])
            if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
                value = String(value.dropFirst().dropLast())
            }
            if !key.isEmpty { vars[key] = value }
        }
        return EnvironmentSource(vars, origin: origin)
    }

    public static func file(_ path: String) throws -> EnvironmentSource {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return parse(text, origin: path)
    }

    public subscript(name: String) -> String? { variables[name] }
}
