/// Character classes of one Unicode scalar, as the byte-level BPE pre-tokenizers need them
/// (`\p{L}`, `\p{N}`, `\p{P}`, `\p{S}`, `\p{M}`, `\s`). The categories come from the Swift
/// standard library's Unicode data; whitespace is the fixed set llama.cpp uses.
struct CodepointFlags: OptionSet, Sendable {
    let rawValue: UInt16

    static let undefined   = CodepointFlags(rawValue: 1 << 0)
    static let number      = CodepointFlags(rawValue: 1 << 1)
    static let letter      = CodepointFlags(rawValue: 1 << 2)
    static let separator   = CodepointFlags(rawValue: 1 << 3)
    static let mark        = CodepointFlags(rawValue: 1 << 4)
    static let punctuation = CodepointFlags(rawValue: 1 << 5)
    static let symbol      = CodepointFlags(rawValue: 1 << 6)
    static let control     = CodepointFlags(rawValue: 1 << 7)
    static let whitespace  = CodepointFlags(rawValue: 1 << 8)
    /// Lu, Ll or Lt (a letter with case).
    static let cased       = CodepointFlags(rawValue: 1 << 9)

    static let categoryMask: UInt16 = 0x00FF

    var isLetter: Bool { contains(.letter) }
    var isNumber: Bool { contains(.number) }
    var isWhitespace: Bool { contains(.whitespace) }
    var isPunctuation: Bool { contains(.punctuation) }
    /// The category bits alone (one of them is set for every valid scalar).
    var category: CodepointFlags { CodepointFlags(rawValue: rawValue & Self.categoryMask) }

    /// Flags of a code point; code points outside Unicode (and positions outside a piece) get none.
    static func of(_ cp: UInt32) -> CodepointFlags {
        if cp < 0x10000 { return CodepointFlags(rawValue: basicPlane[Int(cp)]) }
        return compute(cp)
    }

    /// Flags of the Basic Multilingual Plane, computed once.
    private static let basicPlane: [UInt16] = (0..<0x10000).map { compute(UInt32($0)).rawValue }

    private static let whitespaceSet: Set<UInt32> = [
        0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
        0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
        0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ]

    static func compute(_ cp: UInt32) -> CodepointFlags {
        guard cp <= 0x10FFFF else { return [] }
        var flags: CodepointFlags
        if let scalar = Unicode.Scalar(cp) {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter:
                flags = [.letter, .cased]
            case .modifierLetter, .otherLetter:
                flags = .letter
            case .nonspacingMark, .spacingMark, .enclosingMark:
                flags = .mark
            case .decimalNumber, .letterNumber, .otherNumber:
                flags = .number
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                 .initialPunctuation, .finalPunctuation, .otherPunctuation:
                flags = .punctuation
            case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
                flags = .symbol
            case .spaceSeparator, .lineSeparator, .paragraphSeparator:
                flags = .separator
            case .control, .format, .surrogate, .privateUse:
                flags = .control
            case .unassigned:
                flags = .undefined
            @unknown default:
                flags = .undefined
            }
        } else {
            flags = .control  // surrogate code points
        }
        if whitespaceSet.contains(cp) { flags.insert(.whitespace) }
        return flags
    }
}
