/// What the Engine needs from a tokenizer.
public protocol TextTokenizer: Sendable {
    var vocabularySize: Int { get }
    var bosID: Int32? { get }
    var eosID: Int32? { get }
    func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32]
    func decode(_ tokens: [Int32], removeSpecial: Bool, unparseSpecial: Bool) -> String
    /// The raw bytes one token stands for (may be part of a UTF-8 character).
    func piece(_ token: Int32, special: Bool) -> [UInt8]
    /// Whether generation ends at this token (EOS, EOT and llama.cpp's end-of-generation texts).
    func isEndOfGeneration(_ token: Int32) -> Bool
}

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
    let tokenIDs: [String: Int32]
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
    static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
        "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
        "<|end_of_text|>", "<end_of_utterance>", "<｜end▁of▁sentence｜>",
    ]

    public init(_ vocab: TokenizerVocabulary) throws {
        try vocab.validate()
        model = vocab.model
        var texts = vocab.tokens
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(texts.count)
        for i in texts.indices {
            if texts[i].isEmpty { texts[i] = "[EMPTY_\(i)]" }
            ids[texts[i]] = Int32(i)
        }
        var types = (0..<texts.count).map { vocab.type(of: $0) }
        var eog = Set<Int32>()
        for (i, t) in texts.enumerated() where Self.endOfGenerationTexts.contains(t) {
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
    public func tokenID(of text: String) -> Int32? { tokenIDs[text] }

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
