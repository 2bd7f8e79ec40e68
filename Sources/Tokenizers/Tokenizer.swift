/// A tokenizer built from a `TokenizerVocabulary`, reproducing llama.cpp's tokenization:
/// byte-level BPE (`gpt2`) with the pre-tokenizer named by `tokenizer.ggml.pre`, or SentencePiece
/// (`llama`) with byte fallback; special tokens split out first; BOS/EOS per add_bos/add_eos.
public final class Tokenizer: TextTokenizer {
    enum Engine: Sendable {
        case bpe(BytePairEncoder, PreTokenizer)
        case spm(SentencePieceEncoder)
    }

    let engine: Engine
    let texts: [String]
    let types: [TokenType]
    /// Token texts by their exact bytes (Swift String keys would merge canonically equivalent
    /// texts such as U+03AC and U+1F71, which are distinct tokens).
    let tokenIDs: [[UInt8]: Int32]
    /// Control, user-defined and unknown tokens, longest text first (llama.cpp's special cache).
    let specialTokens: [(id: Int32, bytes: [UInt8], type: TokenType)]
    public let bosID: Int32?
    public let eosID: Int32?
    public let unknownID: Int32?
    public let paddingID: Int32?
    public let eotID: Int32?
    public let addBOS: Bool
    public let addEOS: Bool
    public let addSpacePrefix: Bool
    /// llama.cpp's clean_up_tokenization_spaces, applied by `decode`.
    public let cleanSpaces: Bool
    public let endOfGenerationIDs: Set<Int32>
    /// The model ("gpt2" or "llama") and the pre-tokenizer in effect ("default" when missing).
    public let model: String
    public let preTokenizerName: String?

    public var vocabularySize: Int { texts.count }

    /// Texts llama.cpp treats as end of generation (and forces to control type).
    static let endOfGenerationTexts: Set<[UInt8]> = Set([
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
        "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
        "<|end_of_text|>", "<end_of_utterance>", "<｜end▁of▁sentence｜>",
    ].map { Array($0.utf8) })

    /// What was ignored while building the tokenizer (out-of-range special ids), one line each.
    public let warnings: [String]

    public init(_ vocabulary: TokenizerVocabulary) throws {
        try vocabulary.validate()
        var vocab = vocabulary
        var warnings: [String] = []
        for (key, id) in vocab.outOfRangeSpecialIDs {
            warnings.append("\(key) = \(id) is outside the vocabulary (\(vocab.tokens.count) tokens); ignored")
            switch key {
            case TokenizerVocabulary.Keys.bos: vocab.bosID = nil
            case TokenizerVocabulary.Keys.eos: vocab.eosID = nil
            case TokenizerVocabulary.Keys.unknown: vocab.unknownID = nil
            case TokenizerVocabulary.Keys.padding: vocab.paddingID = nil
            default: vocab.eotID = nil
            }
        }
        self.warnings = warnings
        model = vocab.model
        var texts = vocab.tokens
        var ids: [[UInt8]: Int32] = [:]
        ids.reserveCapacity(texts.count)
        for i in texts.indices {
            if texts[i].isEmpty { texts[i] = "[EMPTY_\(i)]" }
            ids[Array(texts[i].utf8)] = Int32(i)
        }
        var types = (0..<texts.count).map { vocab.type(of: $0) }
        var eog = Set<Int32>()
        for (i, t) in texts.enumerated() where Self.endOfGenerationTexts.contains(Array(t.utf8)) {
            eog.insert(Int32(i))
            if types[i] != .control { types[i] = .control }
        }
        let isSPM = vocab.model == "llama"
        if isSPM {
            bosID = vocab.bosID ?? (texts.count > 1 ? 1 : nil)
            eosID = vocab.eosID ?? (texts.count > 2 ? 2 : nil)
            unknownID = vocab.unknownID ?? 0
            addBOS = vocab.addBOS ?? true
            addSpacePrefix = vocab.addSpacePrefix ?? true
            cleanSpaces = false
            engine = .spm(SentencePieceEncoder(tokenIDs: ids, scores: vocab.scores, unknownID: vocab.unknownID ?? 0))
            preTokenizerName = nil
        } else {
            let pre = try PreTokenizer(name: vocab.preTokenizer)
            bosID = vocab.bosID ?? (texts.count > 11 ? 11 : nil)
            eosID = vocab.eosID ?? (texts.count > 11 ? 11 : nil)
            unknownID = vocab.unknownID
            addBOS = vocab.addBOS ?? pre.defaultAddBOS
            addSpacePrefix = vocab.addSpacePrefix ?? false
            cleanSpaces = pre.cleanSpaces
            engine = .bpe(BytePairEncoder(tokenIDs: ids, merges: vocab.merges, ignoreMerges: pre.ignoreMerges), pre)
            preTokenizerName = pre.name
        }
        paddingID = vocab.paddingID
        eotID = vocab.eotID
        addEOS = vocab.addEOS ?? false
        if let eosID { eog.insert(eosID) }
        if let eotID = vocab.eotID { eog.insert(eotID) }
        endOfGenerationIDs = eog
        self.texts = texts
        self.types = types
        self.tokenIDs = ids
        var specials: [(id: Int32, bytes: [UInt8], type: TokenType)] = []
        for (i, t) in types.enumerated() where t == .control || t == .userDefined || t == .unknown {
            specials.append((Int32(i), Array(texts[i].utf8), t))
        }
        // longest first; equal lengths keep id order
        specials.sort { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
        specialTokens = specials
    }

    /// The token id of an exact vocabulary text.
    public func tokenID(of text: String) -> Int32? { tokenIDs[Array(text.utf8)] }

    /// The vocabulary text of a token.
    public func text(of token: Int32) -> String? {
        token >= 0 && Int(token) < texts.count ? texts[Int(token)] : nil
    }

    /// The type of a token (after llama.cpp's end-of-generation overrides).
    public func type(of token: Int32) -> TokenType? {
        token >= 0 && Int(token) < types.count ? types[Int(token)] : nil
    }

    public func isEndOfGeneration(_ token: Int32) -> Bool { endOfGenerationIDs.contains(token) }
}
