/// A bounds-checked little-endian reader over a `GGUFStorage`. Every read names the field it reads,
/// so a failure produces one line saying where and what.
struct GGUFCursor {
    let storage: GGUFStorage
    var position: Int
    /// GGUF v1 used 32-bit counts and string lengths.
    let wideCounts: Bool

    init(_ storage: GGUFStorage, at position: Int = 0, version: UInt32 = 3) {
        self.storage = storage
        self.position = position
        self.wideCounts = version >= 2
    }

    var remaining: Int { storage.count - position }

    func need(_ n: Int, _ what: String) throws {
        if n > remaining {
            throw GGUFError(.truncated, at: position,
                            "file ends while reading \(what): need \(n) bytes, \(max(remaining, 0)) left")
        }
    }

    mutating func load<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws -> T {
        let n = MemoryLayout<T>.size
        try need(n, what)
        let v = storage.base.loadUnaligned(fromByteOffset: position, as: T.self)
        position += n
        return T(littleEndian: v)
    }

    mutating func u8(_ what: String) throws -> UInt8 { try load(UInt8.self, what) }
    mutating func u32(_ what: String) throws -> UInt32 { try load(UInt32.self, what) }
    mutating func u64(_ what: String) throws -> UInt64 { try load(UInt64.self, what) }

    /// A count or length: u64 in v2+, u32 in v1. Returned as Int after an overflow check.
    mutating func count(_ what: String) throws -> Int {
        let start = position
        let raw: UInt64 = wideCounts ? try u64(what) : UInt64(try u32(what))
        guard raw <= UInt64(Int.max) else {
            throw GGUFError(.tooLarge, at: start, "\(what) \(raw) does not fit a signed 64-bit size")
        }
        return Int(raw)
    }

    /// Checks that `count` elements of at least `minSize` bytes each can still fit in the file.
    func fits(_ count: Int, minSize: Int, _ what: String, at start: Int) throws {
        let (total, overflow) = count.multipliedReportingOverflow(by: minSize)
        if overflow || total > remaining {
            throw GGUFError(.tooLarge, at: start,
                            "\(what) \(count) needs at least \(overflow ? "more than Int.max" : String(total)) bytes, only \(max(remaining, 0)) left in the file")
        }
    }

    /// A length-prefixed string's byte range, without decoding it.
    mutating func stringRange(_ what: String) throws -> Range<Int> {
        let start = position
        let n = try count("\(what) length")
        if n > remaining {
            throw GGUFError(.tooLarge, at: start, "\(what) length \(n) exceeds the \(max(remaining, 0)) bytes left in the file")
        }
        let r = position ..< position + n
        position += n
        return r
    }

    /// A length-prefixed string, decoded as UTF-8 (`strict`: invalid UTF-8 is an error).
    mutating func string(_ what: String, strict: Bool = false) throws -> String {
        let start = position
        let r = try stringRange(what)
        let bytes = storage.bytes(r)
        if strict {
            guard let s = String(validating: bytes, as: UTF8.self) else {
                throw GGUFError(.invalidUTF8, at: start, "\(what) is not valid UTF-8")
            }
            return s
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
