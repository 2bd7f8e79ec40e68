/// Why a vocabulary cannot be turned into a tokenizer. Each case reads as one clear line.
public enum TokenizerError: Error, Equatable, CustomStringConvertible, Sendable {
    case unsupportedModel(String)
    case unsupportedPreTokenizer(String)
    case emptyVocabulary
    case arrayLengthMismatch(key: String, expected: Int, actual: Int)
    case missingMerges
    case wrongMetadataType(key: String, expected: String)
    case missingMetadata(String)

    public var description: String {
        switch self {
        case .unsupportedModel(let m):
            return "unsupported tokenizer model '\(m)' (supported: gpt2, llama)"
        case .unsupportedPreTokenizer(let p):
            return "unsupported pre-tokenizer '\(p)' (tokenizer.ggml.pre)"
        case .emptyVocabulary:
            return "the vocabulary has no tokens"
        case .arrayLengthMismatch(let key, let expected, let actual):
            return "\(key) has \(actual) entries, the vocabulary has \(expected) tokens"
        case .missingMerges:
            return "a gpt2 (BPE) vocabulary needs tokenizer.ggml.merges"
        case .wrongMetadataType(let key, let expected):
            return "\(key) should be \(expected)"
        case .missingMetadata(let key):
            return "missing \(key)"
        }
    }
}
