/// One tensor's description, with its type resolved through the traits table and its bytes located.
public struct GGUFTensorInfo: Sendable, CustomStringConvertible {
    public let name: String
    /// Dimensions, `dims[0]` the contiguous (input) axis, as in ggml's `ne`.
    public let dims: [Int]
    /// The numeric type id as stored in the file.
    public let typeID: UInt32
    /// The resolved type (ids 36–39 resolved from architecture, file type and byte size).
    public let type: TensorTypeTraits
    /// Offset relative to the start of the data section.
    public let relativeOffset: Int
    /// Absolute file offset of the tensor's first byte.
    public let offset: Int
    /// Bytes the tensor occupies (from the traits table's size rule).
    public let byteCount: Int
    /// Where this tensor's info record starts in the file.
    public let infoOffset: Int
    /// TL1/TL2 in the separate-scale form: the F32 tensor holding the scale (`<name>_scale`); the weight
    /// tensor then has no scale tail. nil otherwise (bitnet.cpp's own files keep the scale in the tail).
    public var scaleTensor: String? = nil

    public var elementCount: Int { dims.reduce(1, *) }
    /// Absolute byte range in the file.
    public var byteRange: Range<Int> { offset ..< offset + byteCount }
    /// Number of rows (product of dims[1...]).
    public var rowCount: Int { dims.dropFirst().reduce(1, *) }

    public var description: String {
        "\(name) \(type.name) [\(dims.map(String.init).joined(separator: ", "))] @\(offset) (\(byteCount) bytes)"
    }
}
