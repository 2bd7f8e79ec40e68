/// A lazy view of a metadata array inside the mapped file. Nothing is decoded until asked for;
/// the array was validated (every length, every nested header) when the file was opened.
public struct GGUFArray: Sendable, CustomStringConvertible {
    public let storage: GGUFStorage
    public let elementType: GGUFValueType
    public let count: Int
    /// Absolute file offset of the first element.
    public let dataOffset: Int
    /// Bytes the elements occupy (not counting the array header).
    public let byteCount: Int
    /// GGUF v2+ (u64 string lengths and counts) or v1 (u32).
    public let wideCounts: Bool

    /// The elements' bytes as stored (valid while the file is alive).
    public var rawBytes: UnsafeRawBufferPointer { storage.bytes(dataOffset ..< dataOffset + byteCount) }

    private var lengthSize: Int { wideCounts ? 8 : 4 }

    private func readLength(at offset: Int) -> Int {
        if wideCounts { return Int(UInt64(littleEndian: storage.base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) }
        return Int(UInt32(littleEndian: storage.base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    private func fixed<T: FixedWidthInteger>(_ i: Int, _ t: T.Type) -> T {
        T(littleEndian: storage.base.loadUnaligned(fromByteOffset: dataOffset + i * MemoryLayout<T>.size, as: T.self))
    }

    /// Calls `body` with each string element's raw UTF-8 bytes (no copy). Returns false if not a string array.
    @discardableResult
    public func forEachString(_ body: (Int, UnsafeRawBufferPointer) throws -> Void) rethrows -> Bool {
        guard elementType == .string else { return false }
        var p = dataOffset
        for i in 0 ..< count {
            let n = readLength(at: p)
            p += lengthSize
            try body(i, storage.bytes(p ..< p + n))
            p += n
        }
        return true
    }

    /// String elements (invalid UTF-8 replaced by U+FFFD); nil if the elements are not strings.
    public func strings() -> [String]? {
        guard elementType == .string else { return nil }
        var out = [String]()
        out.reserveCapacity(count)
        forEachString { _, b in out.append(String(decoding: b, as: UTF8.self)) }
        return out
    }

    /// String elements as raw bytes; nil if the elements are not strings.
    public func stringBytes() -> [[UInt8]]? {
        guard elementType == .string else { return nil }
        var out = [[UInt8]]()
        out.reserveCapacity(count)
        forEachString { _, b in out.append(Array(b)) }
        return out
    }

    /// Nested arrays; nil if the elements are not arrays.
    public func arrays() -> [GGUFArray]? {
        guard elementType == .array else { return nil }
        var out = [GGUFArray]()
        var p = dataOffset
        for _ in 0 ..< count {
            let a = GGUFArray.nested(storage, at: p, wideCounts: wideCounts)
            out.append(a)
            p = a.dataOffset + a.byteCount
        }
        return out
    }

    public func uint8s() -> [UInt8]? { elementType == .uint8 ? Array(rawBytes) : nil }
    public func int8s() -> [Int8]? { elementType == .int8 ? rawBytes.map { Int8(bitPattern: $0) } : nil }
    public func uint16s() -> [UInt16]? { elementType == .uint16 ? (0 ..< count).map { fixed($0, UInt16.self) } : nil }
    public func int16s() -> [Int16]? { elementType == .int16 ? (0 ..< count).map { fixed($0, Int16.self) } : nil }
    public func uint32s() -> [UInt32]? { elementType == .uint32 ? (0 ..< count).map { fixed($0, UInt32.self) } : nil }
    public func int32s() -> [Int32]? { elementType == .int32 ? (0 ..< count).map { fixed($0, Int32.self) } : nil }
    public func uint64s() -> [UInt64]? { elementType == .uint64 ? (0 ..< count).map { fixed($0, UInt64.self) } : nil }
    public func int64s() -> [Int64]? { elementType == .int64 ? (0 ..< count).map { fixed($0, Int64.self) } : nil }
    public func bools() -> [Bool]? { elementType == .bool ? rawBytes.map { $0 != 0 } : nil }
    public func float32s() -> [Float]? {
        elementType == .float32 ? (0 ..< count).map { Float(bitPattern: fixed($0, UInt32.self)) } : nil
    }
    public func float64s() -> [Double]? {
        elementType == .float64 ? (0 ..< count).map { Double(bitPattern: fixed($0, UInt64.self)) } : nil
    }

    /// Any integer element type widened to Int64 (u64 values above Int64.max make it nil).
    public func integers() -> [Int64]? {
        switch elementType {
        case .uint8, .int8, .uint16, .int16, .uint32, .int32, .int64, .uint64:
            var out = [Int64]()
            out.reserveCapacity(count)
            for i in 0 ..< count {
                guard let v = self[i].intValue else { return nil }
                out.append(v)
            }
            return out
        default: return nil
        }
    }

    /// f32/f64 elements as Double.
    public func doubles() -> [Double]? {
        switch elementType {
        case .float32: return float32s()?.map(Double.init)
        case .float64: return float64s()
        default: return nil
        }
    }

    /// Element `i`. Fixed-width elements are O(1); strings and nested arrays walk from the start.
    public subscript(i: Int) -> GGUFValue {
        precondition(i >= 0 && i < count, "GGUFArray index out of range")
        switch elementType {
        case .uint8: return .uint8(fixed(i, UInt8.self))
        case .int8: return .int8(fixed(i, Int8.self))
        case .uint16: return .uint16(fixed(i, UInt16.self))
        case .int16: return .int16(fixed(i, Int16.self))
        case .uint32: return .uint32(fixed(i, UInt32.self))
        case .int32: return .int32(fixed(i, Int32.self))
        case .uint64: return .uint64(fixed(i, UInt64.self))
        case .int64: return .int64(fixed(i, Int64.self))
        case .float32: return .float32(Float(bitPattern: fixed(i, UInt32.self)))
        case .float64: return .float64(Double(bitPattern: fixed(i, UInt64.self)))
        case .bool: return .bool(fixed(i, UInt8.self) != 0)
        case .string:
            var p = dataOffset
            for _ in 0 ..< i { p += lengthSize + readLength(at: p) }
            let n = readLength(at: p)
            return .string(String(decoding: storage.bytes(p + lengthSize ..< p + lengthSize + n), as: UTF8.self))
        case .array:
            return .array(arrays()![i])
        }
    }

    /// All elements as values.
    public func values() -> [GGUFValue] {
        switch elementType {
        case .string: return strings()!.map { .string($0) }
        case .array: return arrays()!.map { .array($0) }
        default: return (0 ..< count).map { self[$0] }
        }
    }

    /// Re-reads an already validated nested array header at `offset`.
    static func nested(_ storage: GGUFStorage, at offset: Int, wideCounts: Bool) -> GGUFArray {
        var c = GGUFCursor(storage, at: offset, version: wideCounts ? 3 : 1)
        // Validated at open time: these reads cannot fail.
        let t = GGUFValueType(rawValue: (try? c.u32("")) ?? 0) ?? .uint8
        let n = (try? c.count("")) ?? 0
        let start = c.position
        try? c.skipElements(t, count: n, depth: 1)
        return GGUFArray(storage: storage, elementType: t, count: n, dataOffset: start,
                         byteCount: c.position - start, wideCounts: wideCounts)
    }

    public var description: String {
        let preview: [String]
        switch elementType {
        case .array: preview = ["…"]
        default: preview = (0 ..< min(count, 4)).map { self[$0].description }
        }
        return "[\(elementType) × \(count)]" + (count > 0 ? " " + preview.joined(separator: ", ") + (count > 4 ? ", …" : "") : "")
    }
}
