/// Reading and validating metadata values.
extension GGUFCursor {
    /// Deepest array nesting accepted (real files use 1; ggml itself rejects nested arrays).
    static let maxArrayDepth = 8

    mutating func valueType(_ what: String) throws -> GGUFValueType {
        let start = position
        let raw = try u32(what)
        guard let t = GGUFValueType(rawValue: raw) else {
            throw GGUFError(.unknownValueType, at: start, "\(what) \(raw) is not a GGUF value type (0…12)")
        }
        return t
    }

    /// Reads one value of type `type` (arrays become lazy views after full validation).
    mutating func value(_ type: GGUFValueType, _ what: String, depth: Int = 0) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try u8(what))
        case .int8: return .int8(Int8(bitPattern: try u8(what)))
        case .uint16: return .uint16(try load(UInt16.self, what))
        case .int16: return .int16(try load(Int16.self, what))
        case .uint32: return .uint32(try u32(what))
        case .int32: return .int32(try load(Int32.self, what))
        case .uint64: return .uint64(try u64(what))
        case .int64: return .int64(try load(Int64.self, what))
        case .float32: return .float32(Float(bitPattern: try u32(what)))
        case .float64: return .float64(Double(bitPattern: try u64(what)))
        case .bool:
            let start = position
            let b = try u8(what)
            guard b <= 1 else { throw GGUFError(.typeMismatch, at: start, "\(what) is a bool with value \(b) (must be 0 or 1)") }
            return .bool(b == 1)
        case .string: return .string(try string(what))
        case .array: return .array(try array(what, depth: depth + 1))
        }
    }

    /// Reads an array header and validates (skips over) its elements.
    mutating func array(_ what: String, depth: Int) throws -> GGUFArray {
        let start = position
        if depth > Self.maxArrayDepth {
            throw GGUFError(.nestingTooDeep, at: start, "\(what) nests arrays deeper than \(Self.maxArrayDepth) levels")
        }
        let t = try valueType("\(what) element type")
        let countStart = position
        let n = try count("\(what) element count")
        try fits(n, minSize: t.minimumSize(wideCounts: wideCounts), "\(what) element count", at: countStart)
        let dataStart = position
        try skipElements(t, count: n, depth: depth, what)
        return GGUFArray(storage: storage, elementType: t, count: n, dataOffset: dataStart,
                         byteCount: position - dataStart, wideCounts: wideCounts)
    }

    /// Advances over `n` elements of type `t`, validating each string length and nested array.
    mutating func skipElements(_ t: GGUFValueType, count n: Int, depth: Int, _ what: String = "array") throws {
        if let size = t.fixedSize {
            try need(n * size, "\(what) elements") // n*size cannot overflow: checked by fits()
            if t == .bool {
                for i in 0 ..< n where storage.base.load(fromByteOffset: position + i, as: UInt8.self) > 1 {
                    throw GGUFError(.typeMismatch, at: position + i, "\(what) element \(i) is a bool with value > 1")
                }
            }
            position += n * size
            return
        }
        if t == .string {
            // Hot path (vocabularies: hundreds of thousands of strings): no message is built unless one fails.
            let lengthSize = wideCounts ? 8 : 4
            let base = storage.base, size = storage.count
            var p = position
            for i in 0 ..< n {
                guard size - p >= lengthSize else { position = p; _ = try stringRange("\(what) element \(i)"); p = position; continue }
                let len = wideCounts
                    ? UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self))
                    : UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
                guard len <= UInt64(size - p - lengthSize) else { position = p; _ = try stringRange("\(what) element \(i)"); p = position; continue }
                p += lengthSize + Int(len)
            }
            position = p
            return
        }
        for i in 0 ..< n {
            _ = try array("\(what) element \(i)", depth: depth + 1)
        }
    }
}
