/// Turns a stream of tokens into text without ever cutting a UTF-8 character: bytes of an
/// incomplete sequence (a character split across tokens, as byte tokens and byte-level BPE do)
/// are held back until the character is complete.
public struct StreamingDecoder: Sendable {
    private let tokenizer: any TextTokenizer
    private let special: Bool
    private var pending: [UInt8] = []

    /// `special`: print control tokens' texts (llama.cpp's `special` flag of token_to_piece).
    public init(tokenizer: any TextTokenizer, special: Bool = false) {
        self.tokenizer = tokenizer
        self.special = special
    }

    /// Adds one token; returns the text that is now complete (possibly empty).
    public mutating func push(_ token: Int32) -> String {
        pending.append(contentsOf: tokenizer.piece(token, special: special))
        let cut = Self.completePrefixLength(pending)
        guard cut > 0 else { return "" }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// Returns whatever is still held back (an incomplete sequence comes out as U+FFFD).
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Bytes held back, waiting for the rest of a character.
    public var pendingByteCount: Int { pending.count }

    /// Length of the longest prefix that does not end inside an unfinished UTF-8 sequence. A
    /// trailing lead byte with fewer continuation bytes than it announces is held back; any other
    /// malformed byte is released (it decodes to U+FFFD).
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        var i = n - 1
        var continuation = 0
        while i >= 0 && continuation < 3 && bytes[i] & 0xC0 == 0x80 {
            continuation += 1
            i -= 1
        }
        guard i >= 0 else { return n }
        let lead = bytes[i]
        let need: Int
        switch lead {
        case 0xC2...0xDF: need = 1
        case 0xE0...0xEF: need = 2
        case 0xF0...0xF4: need = 3
        default: return n
        }
        return continuation < need ? i : n
    }
}
