/// GPT-2's reversible byte ↔ printable-character mapping used by byte-level BPE vocabularies:
/// printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 onwards, in byte order.
enum ByteLevel {
    /// For each byte, the code point that stands for it in vocabulary texts.
    static let byteToCodepoint: [UInt32] = {
        var map = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b) {
                map[b] = UInt32(b)
            } else {
                map[b] = next
                next += 1
            }
        }
        return map
    }()

    /// The inverse mapping: code point → byte, for the 256 code points that stand for bytes.
    static let codepointToByte: [UInt32: UInt8] = {
        var inverse: [UInt32: UInt8] = [:]
        for (b, cp) in byteToCodepoint.enumerated() { inverse[cp] = UInt8(b) }
        return inverse
    }()

    /// The vocabulary text that stands for one raw byte.
    static func text(forByte b: UInt8) -> String {
        String(Character(Unicode.Scalar(byteToCodepoint[Int(b)])!))
    }

    /// Decodes a byte-level vocabulary text back to raw bytes. A character that stands for no byte
    /// is written the way llama.cpp writes it: `[UNK_BYTE_0x…` + its UTF-8 in hex + the text + `]`.
    static func decode(_ text: String, into out: inout [UInt8]) {
        for scalar in text.unicodeScalars {
            if let b = codepointToByte[scalar.value] {
                out.append(b)
            } else {
                out.append(contentsOf: Array("[UNK_BYTE_0x".utf8))
                for u in String(scalar).utf8 {
                    let hex = String(u, radix: 16)
                    out.append(contentsOf: Array((hex.count < 2 ? "0" + hex : hex).utf8))
                }
                out.append(contentsOf: Array(text.utf8))
                out.append(UInt8(ascii: "]"))
            }
        }
    }
}

enum UTF8Util {
    /// The code points of a UTF-8 string (Swift strings are valid UTF-8, so no replacement is needed).
    static func codepoints(_ s: Substring) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars { out.append(scalar.value) }
        return out
    }

    /// Appends the UTF-8 encoding of a code point.
    static func append(_ cp: UInt32, to out: inout [UInt8]) {
        if cp < 0x80 {
            out.append(UInt8(cp))
        } else if cp < 0x800 {
            out.append(UInt8(0xC0 | (cp >> 6)))
            out.append(UInt8(0x80 | (cp & 0x3F)))
        } else if cp < 0x10000 {
            out.append(UInt8(0xE0 | (cp >> 12)))
            out.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (cp & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (cp >> 18)))
            out.append(UInt8(0x80 | ((cp >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (cp & 0x3F)))
        }
    }

    /// Length of the UTF-8 sequence a lead byte starts, as llama.cpp's `unicode_len_utf8` computes it.
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }
}
