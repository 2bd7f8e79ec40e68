/// Why a GGUF file was rejected. `description` is one line naming the byte offset and the problem.
public struct GGUFError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Sendable, Codable {
        case io, truncated, badMagic, bigEndian, unsupportedVersion, tooLarge, overflow
        case unknownValueType, unknownTensorType, ambiguousTensorType, badDimensions, badAlignment
        case misaligned, outOfBounds, overlap, duplicateKey, duplicateTensor, nestingTooDeep, invalidUTF8
        case typeMismatch, invalidArgument
    }

    public let kind: Kind
    /// The byte offset in the file where the problem was found (nil for I/O and writer errors).
    public let offset: Int?
    public let message: String

    public init(_ kind: Kind, at offset: Int?, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    public var description: String {
        if let offset { return "GGUF error at byte \(offset): \(message)" }
        return "GGUF error: \(message)"
    }
}
