extension GGUFByteSink {
    mutating func writeString(_ s: String) throws {
        let u = Array(s.utf8)
        try le(UInt64(u.count))
        try write(u)
    }

    /// Writes a value's payload (the type id is written by the caller).
    mutating func writeValue(_ v: GGUFWriteValue) throws {
        switch v {
        case .uint8(let x): try le(x)
        case .int8(let x): try le(x)
        case .uint16(let x): try le(x)
        case .int16(let x): try le(x)
        case .uint32(let x): try le(x)
        case .int32(let x): try le(x)
        case .uint64(let x): try le(x)
        case .int64(let x): try le(x)
        case .float32(let x): try le(x.bitPattern)
        case .float64(let x): try le(x.bitPattern)
        case .bool(let x): try le(UInt8(x ? 1 : 0))
        case .string(let s): try writeString(s)
        case .array(let t, let items):
            try le(t.rawValue)
            try le(UInt64(items.count))
            for item in items {
                guard item.type == t else {
                    throw GGUFError(.invalidArgument, at: nil, "array of \(t) holds a \(item.type)")
                }
                try writeValue(item)
            }
        case .copy(let a):
            try le(a.elementType.rawValue)
            try le(UInt64(a.count))
            if a.wideCounts || a.elementType.fixedSize != nil {
                try write(a.rawBytes)
            } else {
                for item in a.values() { try writeValue(GGUFWriteValue(item)) }
            }
        }
    }
}
