/// A metadata value to write. Arrays may nest; `.copy` re-emits an array read from another file.
public indirect enum GGUFWriteValue: Sendable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case float32(Float), bool(Bool), string(String)
    case uint64(UInt64), int64(Int64), float64(Double)
    /// Elements must all have type `elementType` (checked when written).
    case array(GGUFValueType, [GGUFWriteValue])
    /// An array from a file opened with `GGUFFile` (copied byte for byte when both use v2+ layout).
    case copy(GGUFArray)

    public static func strings(_ s: [String]) -> GGUFWriteValue { .array(.string, s.map { .string($0) }) }
    public static func int32s(_ v: [Int32]) -> GGUFWriteValue { .array(.int32, v.map { .int32($0) }) }
    public static func float32s(_ v: [Float]) -> GGUFWriteValue { .array(.float32, v.map { .float32($0) }) }

    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .float32: .float32
        case .bool: .bool
        case .string: .string
        case .uint64: .uint64
        case .int64: .int64
        case .float64: .float64
        case .array, .copy: .array
        }
    }

    /// The same value as read from a file.
    public init(_ v: GGUFValue) {
        switch v {
        case .uint8(let x): self = .uint8(x)
        case .int8(let x): self = .int8(x)
        case .uint16(let x): self = .uint16(x)
        case .int16(let x): self = .int16(x)
        case .uint32(let x): self = .uint32(x)
        case .int32(let x): self = .int32(x)
        case .float32(let x): self = .float32(x)
        case .bool(let x): self = .bool(x)
        case .string(let x): self = .string(x)
        case .uint64(let x): self = .uint64(x)
        case .int64(let x): self = .int64(x)
        case .float64(let x): self = .float64(x)
        case .array(let a): self = .copy(a)
        }
    }
}
