/// Why a model cannot be loaded or run. `description` is one line meant for the user.
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case unsupportedArchitecture, missingMetadata, badMetadata, missingTensor, wrongShape, wrongType,
             truncated, container, insufficientMemory, badInput, tokenizer
    }
    public let kind: Kind
    public let message: String
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }
}
