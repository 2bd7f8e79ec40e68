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

extension TextTokenizer {
    /// A prompt as llama.cpp's CLI tokenizes it: BOS/EOS per the vocabulary, special texts parsed.
    public func encodePrompt(_ text: String) -> [Int32] { encode(text, addSpecial: true, parseSpecial: true) }

    /// Text of generated tokens, control tokens hidden, no BOS/EOS removal.
    public func decode(_ tokens: [Int32]) -> String { decode(tokens, removeSpecial: false, unparseSpecial: false) }
}
