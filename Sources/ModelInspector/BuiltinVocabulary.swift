import GGUF

/// The small byte-level GPT-2 style vocabulary `synth` uses without `--vocab`: the 256 byte tokens
/// in GPT-2's byte-to-unicode form (in GPT-2's order), a handful of merges, BOS/EOS specials, and
/// reserved control tokens up to the shape's vocabulary size.
public enum BuiltinVocabulary {
    /// GPT-2's byte → unicode mapping, in GPT-2 vocabulary order: (byte, character).
    public static let byteOrder: [(UInt8, Character)] = {
        var printable = Array(33 ... 126) + Array(161 ... 172) + Array(174 ... 255)
        var chars = printable
        var n = 0
        for b in 0 ... 255 where !printable.contains(b) {
            printable.append(b)
            chars.append(256 + n)
            n += 1
        }
        return zip(printable, chars).map { (UInt8($0), Character(UnicodeScalar(UInt32($1))!)) }
    }()

    /// Merges in rank order; each result is also a token.
    public static let merges: [(String, String)] = [
        ("Ġ", "t"), ("Ġ", "a"), ("h", "e"), ("i", "n"), ("r", "e"), ("o", "n"), ("Ġt", "he"),
        ("e", "r"), ("Ġ", "s"), ("a", "t"), ("Ġ", "w"), ("Ġ", "o"), ("e", "n"), ("Ġ", "c"),
    ]

    public static let bosToken = "<|begin_of_text|>"
    public static let eosToken = "<|end_of_text|>"

    /// Tokens, token types (1 normal, 3 control), BOS and EOS ids, padded with `<|reserved_N|>`
    /// control tokens to `size` when that is larger.
    public static func tokens(size: Int? = nil) -> (tokens: [String], types: [Int32], bos: Int, eos: Int) {
        var tokens = byteOrder.map { String($0.1) }
        tokens += merges.map { $0.0 + $0.1 }
        var types = [Int32](repeating: 1, count: tokens.count)
        let bos = tokens.count
        tokens += [bosToken, eosToken]
        types += [3, 3]
        var k = 0
        while let size, tokens.count < size {
            tokens.append("<|reserved_\(k)|>")
            types.append(3)
            k += 1
        }
        return (tokens, types, bos, bos + 1)
    }

    /// The tokenizer metadata for a vocabulary of `size` (or the natural size).
    public static func metadata(size: Int?) -> [(String, GGUFWriteValue)] {
        let v = tokens(size: size)
        return [
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.pre", .string("default")),
            ("tokenizer.ggml.tokens", .strings(v.tokens)),
            ("tokenizer.ggml.token_type", .int32s(v.types)),
            ("tokenizer.ggml.merges", .strings(merges.map { "\($0.0) \($0.1)" })),
            ("tokenizer.ggml.bos_token_id", .uint32(UInt32(v.bos))),
            ("tokenizer.ggml.eos_token_id", .uint32(UInt32(v.eos))),
            ("tokenizer.ggml.add_bos_token", .bool(true)),
            ("tokenizer.ggml.add_eos_token", .bool(false)),
        ]
    }
}
