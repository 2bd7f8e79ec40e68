import Foundation
import Testing
import TestSupport
@testable import GGUF

/// The PyPI `gguf` package, driven through Tests/scripts: the independent GGUF implementation.
enum PythonGGUF {
    static var available: Bool { TestEnvironment.python != nil }

    /// Runs a script and returns its stdout, failing the test on a non-zero exit.
    static func run(_ script: String, _ args: [String]) throws -> Data {
        let out = try #require(try Subprocess.python(script, args), "the test venv's python is missing")
        if out.status != 0 { Issue.record("\(script) failed: \(out.stderr)") }
        try #require(out.status == 0)
        return out.stdout
    }

    /// `gguf_dump.py FILE` as JSON.
    static func dump(_ path: String, summary: Bool = false) throws -> [String: Any] {
        let data = try run("gguf_dump.py", [path] + (summary ? ["--summary"] : []))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A fresh file written by the gguf package's writer and quantizers (gguf_write_sample.py).
    static func sample(seed: Int = 1) throws -> String {
        let dir = try TestEnvironment.makeTempDir("gguf-sample")
        let path = dir.appendingPathComponent("sample.gguf").path
        _ = try run("gguf_write_sample.py", [path, String(seed)])
        return path
    }
}

/// Flattens a value the way gguf's `contents()` does (nested arrays become one list).
func flatten(_ v: GGUFValue) -> [Any] {
    switch v {
    case .array(let a): return a.values().flatMap(flatten)
    case .string(let s): return [s]
    case .bool(let b): return [b]
    case .float32(let f): return [Double(f)]
    case .float64(let d): return [d]
    case .uint64(let u): return [u]
    default: return [v.intValue!]
    }
}

/// Compares one of our values with the JSON value gguf produced.
func sameValue(_ ours: GGUFValue, _ theirs: Any) -> Bool {
    if let summary = theirs as? [String: Any], case .array(let a) = ours {
        var crc: UInt32 = 0
        if !a.forEachString({ _, b in crc = CRC32.update(crc, b); crc = [UInt8(0)].withUnsafeBytes { CRC32.update(crc, $0) } }) {
            crc = CRC32.checksum(a.rawBytes)
        }
        return summary["count"] as? Int == a.count && summary["crc32"] as? Int == Int(crc)
    }
    let a = flatten(ours)
    let b: [Any] = (theirs as? [Any]) ?? [theirs]
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        switch x {
        case let s as String: if s != (y as? String) { return false }
        case let f as Double:
            // Foundation's JSON parser on Linux may be off in the last bits of a double.
            guard let g = (y as? NSNumber)?.doubleValue, abs(f - g) <= 1e-12 * max(abs(f), 1e-300) else { return false }
        case let u as UInt64: if u != (y as? NSNumber)?.uint64Value { return false }
        case let i as Int64:
            if let bool = y as? Bool, type(of: y) == Bool.self { if (i != 0) != bool { return false } }
            else if i != (y as? NSNumber)?.int64Value { return false }
        case let bv as Bool: if bv != (y as? NSNumber)?.boolValue { return false }
        default: return false
        }
    }
    return true
}
