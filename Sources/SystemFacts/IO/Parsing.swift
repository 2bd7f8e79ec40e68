import Foundation

/// Parsers for the kernel's text formats.
enum Parsing {
    /// "0-3,8,10-11" → [0,1,2,3,8,10,11]; nil on garbage.
    static func cpuList(_ text: String) -> [Int]? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { return [] }
        var out: [Int] = []
        for part in t.split(separator: ",") {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            if ends.count == 1, let v = Int(ends[0]), v >= 0 { out.append(v) }
            else if ends.count == 2, let a = Int(ends[0]), let b = Int(ends[1]), a >= 0, b >= a, b - a < 1 << 16 {
                out.append(contentsOf: a...b)
            } else { return nil }
        }
        return out
    }

    /// "key : value" lines (/proc/cpuinfo blocks, /proc/meminfo, /proc/self/status).
    static func keyValues(_ text: Substring, separator: Character = ":") -> [(String, String)] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            guard let i = line.firstIndex(of: separator) else { return nil }
            return (line[..<i].trimmingCharacters(in: .whitespaces),
                    line[line.index(after: i)...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// /proc/meminfo in bytes ("MemTotal: 16384 kB").
    static func meminfo(_ text: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for (k, v) in keyValues(Substring(text)) {
            let parts = v.split(separator: " ")
            guard let n = parts.first.flatMap({ Int($0) }) else { continue }
            out[k] = parts.count > 1 && parts[1] == "kB" ? n * 1024 : n
        }
        return out
    }

    /// The bracketed choice in "always [madvise] never".
    static func bracketed(_ text: String) -> String? {
        guard let a = text.firstIndex(of: "["), let b = text[a...].firstIndex(of: "]") else { return nil }
        return String(text[text.index(after: a)..<b])
    }

    static func words(_ text: String) -> [String] { text.split(whereSeparator: \.isWhitespace).map(String.init) }

    /// Millidegrees Celsius as degrees, nil on garbage.
    static func milliCelsius(_ text: String?) -> Double? {
        guard let t = text, let v = Int(t.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return Double(v) / 1000
    }
}

/// A NUL-terminated C buffer as a String.
func cString(_ buf: [CChar]) -> String {
    let bytes = buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
