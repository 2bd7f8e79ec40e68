/// One GGUF metadata value, as a reader hands it over (without depending on the reader's types).
public enum TokenizerMetadataValue: Sendable, Equatable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case strings([String])
    case ints([Int64])
    case floats([Float])
}

extension TokenizerVocabulary {
    /// The GGUF keys a vocabulary is read from.
    public enum Keys {
        public static let model = "tokenizer.ggml.model"
        public static let pre = "tokenizer.ggml.pre"
        public static let tokens = "tokenizer.ggml.tokens"
        public static let tokenType = "tokenizer.ggml.token_type"
        public static let scores = "tokenizer.ggml.scores"
        public static let merges = "tokenizer.ggml.merges"
        public static let bos = "tokenizer.ggml.bos_token_id"
        public static let eos = "tokenizer.ggml.eos_token_id"
        public static let unknown = "tokenizer.ggml.unknown_token_id"
        public static let padding = "tokenizer.ggml.padding_token_id"
        public static let eot = "tokenizer.ggml.eot_token_id"
        public static let addBOS = "tokenizer.ggml.add_bos_token"
        public static let addEOS = "tokenizer.ggml.add_eos_token"
        public static let addSpacePrefix = "tokenizer.ggml.add_space_prefix"
        /// Every key above: what a reader should hand to `init(metadata:)`.
        public static let all = [model, pre, tokens, tokenType, scores, merges, bos, eos, unknown, padding,
                                 eot, addBOS, addEOS, addSpacePrefix]
    }

    /// Builds a vocabulary from `tokenizer.ggml.*` metadata (keys absent from the dictionary are
    /// absent from the file). Throws one clear error for a missing or mistyped key.
    public init(metadata: [String: TokenizerMetadataValue]) throws {
        func string(_ key: String) throws -> String? {
            guard let v = metadata[key] else { return nil }
            guard case .string(let s) = v else { throw TokenizerError.wrongMetadataType(key: key, expected: "a string") }
            return s
        }
        func strings(_ key: String) throws -> [String]? {
            guard let v = metadata[key] else { return nil }
            guard case .strings(let s) = v else { throw TokenizerError.wrongMetadataType(key: key, expected: "an array of strings") }
            return s
        }
        func id(_ key: String) throws -> Int32? {
            guard let v = metadata[key] else { return nil }
            guard case .int(let i) = v else { throw TokenizerError.wrongMetadataType(key: key, expected: "an integer") }
            return Int32(exactly: i) ?? -1  // out of range: ignored with a warning by Tokenizer
        }
        func bool(_ key: String) throws -> Bool? {
            guard let v = metadata[key] else { return nil }
            switch v {
            case .bool(let b): return b
            case .int(let i): return i != 0
            default: throw TokenizerError.wrongMetadataType(key: key, expected: "a boolean")
            }
        }
        guard let model = try string(Keys.model) else { throw TokenizerError.missingMetadata(Keys.model) }
        guard let tokens = try strings(Keys.tokens) else { throw TokenizerError.missingMetadata(Keys.tokens) }
        var types: [Int32] = []
        if let v = metadata[Keys.tokenType] {
            guard case .ints(let t) = v else { throw TokenizerError.wrongMetadataType(key: Keys.tokenType, expected: "an array of integers") }
            types = t.map { Int32(clamping: $0) }
        }
        var scores: [Float] = []
        switch metadata[Keys.scores] {
        case nil: break
        case .floats(let f)?: scores = f
        case .ints(let i)?: scores = i.map { Float($0) }
        default: throw TokenizerError.wrongMetadataType(key: Keys.scores, expected: "an array of numbers")
        }
        self.init(model: model, preTokenizer: try string(Keys.pre), tokens: tokens, tokenTypes: types,
                  scores: scores, merges: try strings(Keys.merges) ?? [],
                  bosID: try id(Keys.bos), eosID: try id(Keys.eos), unknownID: try id(Keys.unknown),
                  paddingID: try id(Keys.padding), eotID: try id(Keys.eot),
                  addBOS: try bool(Keys.addBOS), addEOS: try bool(Keys.addEOS),
                  addSpacePrefix: try bool(Keys.addSpacePrefix))
    }
}
