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
        case .tl2: return 5.0 / 3.0
        }
    }

    /// The exact byte size of a tensor with `elements` weights and first dimension `rowLength`,
    /// or nil if the shape is not valid for this type or the size overflows.
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
        case .tl2:
            let rows = elements / rowLength
            guard rowLength >= 256, elements % rowLength == 0 else { return nil }
            let (a, o1) = (rowLength - 256).multipliedReportingOverflow(by: rows)
            let (b, o2) = rows.multipliedReportingOverflow(by: 256)
            guard !o1, !o2 else { return nil }
            let (x, o3) = (a / 3).multipliedReportingOverflow(by: 5)
            let (y, o4) = (b / 2).multipliedReportingOverflow(by: 4)
            guard !o3, !o4 else { return nil }
            let n = x / 8 + y / 8  // each term ≤ Int.max / 8: no overflow
            let (padded, o5) = n.addingReportingOverflow((32 - n % 32) % 32 + 32)
            return o5 ? nil : padded
        }
    }

    /// Whether a data span of `span` bytes (from this tensor's offset to the next tensor or the
    /// end of the file) can hold this tensor, and how many bytes would be left over.
    public func slack(elements: Int, rowLength: Int, span: Int) -> Int? {
        guard let size = byteSize(elements: elements, rowLength: rowLength), size <= span else { return nil }
        return span - size
    }
}
