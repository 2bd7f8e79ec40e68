/// One row of THE tensor type traits table: every other part of the project asks this table
/// how large a tensor is, what it is called and what it means.
public struct TensorTypeTraits: Sendable, Hashable, CustomStringConvertible {
    /// The numeric id stored in GGUF files (ids 36–39 collide between mainline and the bitnet.cpp fork).
    public let id: UInt32
    public let format: TensorFormat
    /// ggml's upper-case name, e.g. "Q8_0", "I2_S".
    public let name: String
    public let blockSize: Int
    public let bytesPerBlock: Int
    public let sizeRule: TensorSizeRule
    public let origin: TensorTypeOrigin
    /// Weights are ternary {-1, 0, +1} times a scale.
    public let isTernary: Bool
    /// What it is, in words a user understands.
    public let summary: String

    public var description: String { name }

    /// Bytes per weight on average (for bytes-per-token estimates).
    public var bitsPerWeight: Double {
        switch sizeRule {
        case .blocks: return Double(bytesPerBlock * 8) / Double(blockSize)
        case .i2s: return 2
        case .lookupTable(let a, let b, let c, let d): return (Double(a) / Double(b) + Double(c) / Double(d)) * 4
        }
    }

    /// The exact byte size of a tensor with `elements` weights and first dimension `rowLength`,
    /// or nil if the shape is not valid for this type or the size overflows.
    /// For TL1/TL2 this is the smallest size the layout can have.
    public func byteSize(elements: Int, rowLength: Int) -> Int? {
        guard elements >= 0, rowLength > 0 else { return nil }
        switch sizeRule {
        case .blocks:
            guard rowLength % blockSize == 0 else { return nil }
            let (p, o) = (elements / blockSize).multipliedReportingOverflow(by: bytesPerBlock)
            return o ? nil : p
        case .i2s:
            guard elements % 4 == 0 else { return nil }
            return elements / 4 + 32
        case .lookupTable(let num, let den, _, _):
            let (p, o) = elements.multipliedReportingOverflow(by: num)
            return o ? nil : p / den
        }
    }

    /// Whether a data span of `span` bytes (from this tensor's offset to the next tensor or the
    /// end of the file) can hold this tensor, and how many bytes would be left over.
    public func slack(elements: Int, rowLength: Int, span: Int) -> Int? {
        guard let size = byteSize(elements: elements, rowLength: rowLength), size <= span else { return nil }
        if case .lookupTable(_, _, let num, let den) = sizeRule {
            let (p, o) = elements.multipliedReportingOverflow(by: num)
            guard !o else { return nil }
            let maxSize = p / den + 64
            return span <= maxSize ? 0 : span - maxSize
        }
        return span - size
    }
}
