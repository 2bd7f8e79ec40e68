import Foundation
import SystemFacts

extension JSONValue {
    /// Converts a SystemFacts value.
    public init(_ v: FactValue) {
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(JSONValue.init))
        case .object(let o): self = .object(o.mapValues(JSONValue.init))
        }
    }
}

/// The integration point with SystemFacts: collect the fact families of a machine root (with an environment)
/// as the evidence document's `facts` subtree.
public enum FactsBridge {
    public static func families(_ report: FactsReport) -> JSONValue { JSONValue(report.factsTree) }

    /// Collects facts from `root` ("/" for this machine). `environment` replaces the process environment
    /// (an `--env-file`); nil uses the process environment for the host root.
    public static func collect(root: URL, environment: [String: String]?) -> JSONValue {
        let env = environment.map { EnvironmentSource($0, origin: "env file") }
        let options = FactsOptions(root: SystemRoot(root.standardizedFileURL.path), environment: env)
        return families(SystemFacts.collectBlocking(options))
    }

    /// Facts of a machine fixture directory (fixtures/machines/<name>/{root,env}).
    public static func collect(fixture dir: URL) throws -> (facts: JSONValue, environment: [String: String]) {
        let options = try FactsOptions.fixture(dir.path)
        return (families(SystemFacts.collectBlocking(options)), options.environment.variables)
    }
}
