import Foundation

/// A JSON value: the evidence document, rule files and receipts are all trees of these.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var doubleValue: Double? { if case .number(let d) = self { return d }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        get { objectValue?[key] }
        set {
            guard case .object(var o) = self else { return }
            o[key] = newValue
            self = .object(o)
        }
    }

    /// A short name of the JSON type, used in error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Follows a dotted path (`a.b.0.c`; numeric components index arrays).
    public func at(_ path: String) -> JSONValue? {
        var cur: JSONValue? = self
        for comp in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let c = cur else { return nil }
            switch c {
            case .object(let o): cur = o[String(comp)]
            case .array(let a):
                guard let i = Int(comp), i >= 0, i < a.count else { return nil }
                cur = a[i]
            default: return nil
            }
        }
        return cur
    }

    /// Sets the value at a dotted path of object keys, creating objects on the way.
    public mutating func set(_ path: [String], to value: JSONValue) {
        guard let first = path.first else { self = value; return }
        var o = objectValue ?? [:]
        var child = o[first] ?? .object([:])
        if path.count > 1, child.objectValue == nil { child = .object([:]) }
        child.set(Array(path.dropFirst()), to: value)
        o[first] = child
        self = .object(o)
    }

    /// Deep merge: objects merge key by key, anything else is replaced by `other`.
    public func merged(with other: JSONValue) -> JSONValue {
        guard case .object(var a) = self, case .object(let b) = other else { return other }
        for (k, v) in b { a[k] = a[k].map { $0.merged(with: v) } ?? v }
        return .object(a)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }
}

extension JSONValue {
    public init(_ s: String?) { self = s.map { .string($0) } ?? .null }
    public init(_ d: Double?) { self = d.map { .number($0) } ?? .null }
    public init(_ i: Int?) { self = i.map { .number(Double($0)) } ?? .null }
    public init(_ strings: [String]) { self = .array(strings.map { .string($0) }) }
}
