/// A tokenizer vocabulary as GGUF stores it under `tokenizer.ggml.*`, in plain arrays, so that any
/// reader (the Engine's GGUF reader, a JSON dump) can build one.
public struct TokenizerVocabulary: Sendable {
    /// `tokenizer.ggml.model`: "gpt2" (byte-level BPE) or "llama" (SentencePiece).
    public var model: String
    /// `tokenizer.ggml.pre`; nil when the file has none (llama.cpp then uses "default").
    public var preTokenizer: String?
    public var tokens: [String]
    /// ggml token types (1 normal, 2 unknown, 3 control, 4 user defined, 5 unused, 6 byte); empty: all normal.
    public var tokenTypes: [Int32]
    /// SentencePiece scores; empty: all 0.
    public var scores: [Float]
    /// BPE merges, "left right", highest priority first.
    public var merges: [String]
    public var bosID: Int32?
    public var eosID: Int32?
    public var unknownID: Int32?
    public var paddingID: Int32?
    /// `tokenizer.ggml.eot_token_id` (end of turn), if any.
    public var eotID: Int32?
    /// `tokenizer.ggml.add_bos_token`; nil: the model's default (llama: true, gpt2: per pre-tokenizer).
    public var addBOS: Bool?
    /// `tokenizer.ggml.add_eos_token`; nil: false.
    public var addEOS: Bool?
    /// `tokenizer.ggml.add_space_prefix`; nil: true for llama, false for gpt2.
    public var addSpacePrefix: Bool?

    public init(model: String, preTokenizer: String? = nil, tokens: [String], tokenTypes: [Int32] = [],
                scores: [Float] = [], merges: [String] = [], bosID: Int32? = nil, eosID: Int32? = nil,
                unknownID: Int32? = nil, paddingID: Int32? = nil, eotID: Int32? = nil,
                addBOS: Bool? = nil, addEOS: Bool? = nil, addSpacePrefix: Bool? = nil) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.scores = scores
        self.merges = merges
        self.bosID = bosID
        self.eosID = eosID
        self.unknownID = unknownID
        self.paddingID = paddingID
        self.eotID = eotID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
    }

    /// Checks what a tokenizer relies on: known model, tokens, array lengths, merges for BPE.
    public func validate() throws {
        guard model == "gpt2" || model == "llama" else { throw TokenizerError.unsupportedModel(model) }
        guard !tokens.isEmpty else { throw TokenizerError.emptyVocabulary }
        if !tokenTypes.isEmpty && tokenTypes.count < tokens.count {
            throw TokenizerError.arrayLengthMismatch(key: Keys.tokenType, expected: tokens.count, actual: tokenTypes.count)
        }
        if !scores.isEmpty && scores.count < tokens.count {
            throw TokenizerError.arrayLengthMismatch(key: Keys.scores, expected: tokens.count, actual: scores.count)
        }
        if model == "gpt2" && merges.isEmpty { throw TokenizerError.missingMerges }
    }

    /// Special token ids outside the vocabulary, as (key, id): llama.cpp ignores them with a
    /// warning (keeping its default), and so does `Tokenizer` (see `Tokenizer.warnings`).
    public var outOfRangeSpecialIDs: [(key: String, id: Int32)] {
        [(Keys.bos, bosID), (Keys.eos, eosID), (Keys.unknown, unknownID), (Keys.padding, paddingID), (Keys.eot, eotID)]
            .compactMap { key, id in
                guard let id, id < 0 || Int(id) >= tokens.count else { return nil }
                return (key, id)
            }
    }

    /// The type of a token (normal when the vocabulary has no types).
    public func type(of id: Int) -> TokenType {
        id < tokenTypes.count ? TokenType(raw: tokenTypes[id]) : .normal
    }
}
