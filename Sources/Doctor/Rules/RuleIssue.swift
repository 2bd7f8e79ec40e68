import Foundation

/// A mistake in a rule file: the file, the line, the JSON path of the mistake, and what is wrong.
public struct RuleIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var path: String
    public var message: String
    public var description: String { "\(file):\(line): \(path): \(message)" }
}
