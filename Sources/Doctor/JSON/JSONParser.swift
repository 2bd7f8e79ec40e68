import Foundation

/// A JSON syntax error with its position.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    /// The JSON path of the value being read when the error happened (`$.rules[2].fixes`).
    public var path: String
    public var message: String
    public var description: String { "line \(line), column \(column) (at \(path)): \(message)" }
}

/// A parsed document plus the line on which each value starts, keyed by JSON path (`$`, `$.a`, `$.a[0]`).
public struct PositionedJSON: Sendable {
    public var value: JSONValue
    public var lines: [String: Int]

    /// The line of `path`, or of its nearest ancestor that has one.
    public func line(of path: String) -> Int {
        var p = path
        while true {
            if let l = lines[p] { return l }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { return 1 }
            p = String(p[..<cut])
        }
    }
}

/// A small strict JSON parser (RFC 8259) that records where every value starts. Depth is bounded, so
/// hostile input yields an error, never a crash.
public struct JSONParser {
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private var lines: [String: Int] = [:]
    private let maxDepth = 200

    public static func parse(_ text: String) throws(JSONSyntaxError) -> PositionedJSON {
        var p = JSONParser(bytes: Array(text.utf8))
        return try p.parseDocument()
    }

    public static func parse(_ data: Data) throws(JSONSyntaxError) -> PositionedJSON {
        var p = JSONParser(bytes: [UInt8](data))
        return try p.parseDocument()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }

    private mutating func parseDocument() throws(JSONSyntaxError) -> PositionedJSON {
        skipSpace()
        let v = try parseValue(path: "$", depth: 0)
        skipSpace()
        if i < bytes.count { throw error("unexpected content after the JSON value", path: "$") }
        return PositionedJSON(value: v, lines: lines)
    }

    private func error(_ message: String, path: String) -> JSONSyntaxError {
        JSONSyntaxError(line: line, column: i - lineStart + 1, path: path, message: message)
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: i += 1; line += 1; lineStart = i
            default: return
            }
        }
    }

    private mutating func parseValue(path: String, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < maxDepth else { throw error("nesting deeper than \(maxDepth) levels", path: path) }
        guard i < bytes.count else { throw error("unexpected end of input", path: path) }
        lines[path] = line
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject(path: path, depth: depth)
        case UInt8(ascii: "["): return try parseArray(path: path, depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString(path: path))
        case UInt8(ascii: "t"): try literal("true", path: path); return .bool(true)
        case UInt8(ascii: "f"): try literal("false", path: path); return .bool(false)
        case UInt8(ascii: "n"): try literal("null", path: path); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber(path: path)
        default:
            throw error("unexpected character '\(Character(Unicode.Scalar(bytes[i])))'", path: path)
        }
    }

    private mutating func literal(_ word: String, path: String) throws(JSONSyntaxError) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else {
            throw error("invalid literal (expected '\(word)')", path: path)
        }
        i += w.count
    }

    private mutating func parseObject(path: String, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        i += 1
        var o: [String: JSONValue] = [:]
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw error("expected a member name in double quotes", path: path)
            }
            let key = try parseString(path: path)
            let childPath = path + "." + key
            if o[key] != nil { throw error("duplicate member '\(key)'", path: childPath) }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after member name", path: childPath) }
            i += 1
            skipSpace()
            o[key] = try parseValue(path: childPath, depth: depth + 1)
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of input in object", path: path) }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
            throw error("expected ',' or '}' in object", path: childPath)
        }
    }

    private mutating func parseArray(path: String, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        i += 1
        var a: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
        while true {
            skipSpace()
            let childPath = "\(path)[\(a.count)]"
            a.append(try parseValue(path: childPath, depth: depth + 1))
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of input in array", path: path) }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            throw error("expected ',' or ']' in array", path: childPath)
        }
    }

    private mutating func parseString(path: String) throws(JSONSyntaxError) -> String {
        i += 1
        var buf: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: buf, as: UTF8.self)
            }
            if b < 0x20 { throw error("control character in string", path: path) }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): buf.append(0x22)
                case UInt8(ascii: "\\"): buf.append(0x5C)
                case UInt8(ascii: "/"): buf.append(0x2F)
                case UInt8(ascii: "b"): buf.append(0x08)
                case UInt8(ascii: "f"): buf.append(0x0C)
                case UInt8(ascii: "n"): buf.append(0x0A)
                case UInt8(ascii: "r"): buf.append(0x0D)
                case UInt8(ascii: "t"): buf.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4(path: path)
                    if (0xD800..<0xDC00).contains(code), i + 1 < bytes.count,
                       bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4(path: path)
                        guard (0xDC00..<0xE000).contains(low) else { throw error("invalid surrogate pair", path: path) }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    buf.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'", path: path)
                }
                continue
            }
            buf.append(b)
            i += 1
        }
        throw error("unterminated string", path: path)
    }

    private mutating func hex4(path: String) throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
            throw error("invalid \\u escape", path: path)
        }
        i += 4
        return v
    }

    private mutating func parseNumber(path: String) throws(JSONSyntaxError) -> JSONValue {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            let s = p.i
            while p.i < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.i]) { p.i += 1 }
            return p.i - s
        }
        guard i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) else {
            throw error("invalid number", path: path)
        }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { _ = digits(&self) }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) > 0 else { throw error("invalid number: digits expected after '.'", path: path) }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { throw error("invalid number: exponent digits expected", path: path) }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let d = Double(text) else { throw error("invalid number '\(text)'", path: path) }
        return .number(d)
    }
}
