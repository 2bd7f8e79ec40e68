/// One metadata entry with where it starts in the file.
public struct GGUFKeyValue: Sendable {
    public let key: String
    public let value: GGUFValue
    public let offset: Int
}

/// The metadata of a GGUF file, in file order, with typed convenience accessors.
public struct GGUFMetadata: Sendable {
    public let entries: [GGUFKeyValue]
    private let index: [String: Int]

    init(entries: [GGUFKeyValue], index: [String: Int]) {
        self.entries = entries
        self.index = index
    }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }

    public subscript(key: String) -> GGUFValue? { index[key].map { entries[$0].value } }

    public func contains(_ key: String) -> Bool { index[key] != nil }

    /// A string value (nil when absent or not a string).
    public func string(_ key: String) -> String? { self[key]?.stringValue }
    /// Any non-negative integer value.
    public func uint(_ key: String) -> UInt64? { self[key]?.uintValue }
    /// Any integer value.
    public func int(_ key: String) -> Int64? { self[key]?.intValue }
    /// A float value (f32/f64, or an integer converted).
    public func float(_ key: String) -> Double? { self[key]?.doubleValue }
    public func bool(_ key: String) -> Bool? { self[key]?.boolValue }
    public func array(_ key: String) -> GGUFArray? { self[key]?.arrayValue }
    /// An array of strings, decoded (nil when absent or not a string array).
    public func stringArray(_ key: String) -> [String]? { array(key)?.strings() }
    /// An array of f32 values.
    public func floatArray(_ key: String) -> [Float]? { array(key)?.float32s() }
    /// An array of any integer type, widened.
    public func intArray(_ key: String) -> [Int64]? { array(key)?.integers() }

    /// `general.architecture`.
    public var architecture: String? { string("general.architecture") }

    /// `<architecture>.<suffix>` as an unsigned integer, e.g. `arch("block_count")`.
    public func archUInt(_ suffix: String) -> UInt64? {
        guard let a = architecture else { return nil }
        return uint("\(a).\(suffix)")
    }

    /// `<architecture>.<suffix>` as a float.
    public func archFloat(_ suffix: String) -> Double? {
        guard let a = architecture else { return nil }
        return float("\(a).\(suffix)")
    }
}
