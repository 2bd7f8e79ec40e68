import Foundation

/// How bad a finding is. Ordered: info < warning < error.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    case info, warning, error
    var rank: Int { switch self { case .info: 0; case .warning: 1; case .error: 2 } }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One way to fix a finding: plain words, commands a person can paste (never run by the tool), a link.
public struct Fix: Sendable, Equatable {
    public var explanation: String
    public var commands: [String]
    public var docs: String?
}

/// A rule: data describing a symptom, the condition over evidence paths that detects it, and the fixes.
public struct Rule: Sendable {
    public var id: String
    public var severity: Severity
    public var area: String
    public var title: String
    public var symptom: String
    /// Rough slow-down factor when the rule fires; findings are listed by severity, then impact.
    public var impact: Double
    public var condition: Condition
    public var message: String
    public var fixes: [Fix]
    public var evidence: [String]
    /// Where the rule came from (`rules/cpu.json`), for `rules list` and errors.
    public var file: String
}

/// A condition tree over evidence paths.
public indirect enum Condition: Sendable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    /// True when at least one element of the array at `path` satisfies `where` (inside it, `@.x` is the element).
    case some(path: String, where: Condition)
    /// True when the array at `path` exists, is non-empty, and every element satisfies `where`.
    case every(path: String, where: Condition)
    case compare(op: CompareOp, left: ValueExpr, right: ValueExpr?)
}

public enum CompareOp: String, Sendable, CaseIterable {
    case eq, ne, lt, le, gt, ge, `in`, contains, matches, exists
}

/// A value in a condition: a literal, an evidence path, or arithmetic over them.
public indirect enum ValueExpr: Sendable {
    case literal(JSONValue)
    case path(String)
    case arithmetic(ArithmeticOp, [ValueExpr])
    /// Number of elements of an array (or members of an object, or characters of a string).
    case length(ValueExpr)
}

public enum ArithmeticOp: String, Sendable, CaseIterable {
    case add, sub, mul, div, min, max
}

/// Top-level kinds of files in a rules directory.
public enum RuleFileKind: String, Sendable, CaseIterable {
    case rules
    case referenceSpeeds = "reference-speeds"
    case areas
}
