import GGUF
import Tokenizers

/// The GGUF → vocabulary glue (test-side copy; the Engine owns the production one, since the
/// Tokenizers module does not depend on GGUF): hand every `tokenizer.ggml.*` key the vocabulary
/// reads to `TokenizerVocabulary(metadata:)`.
extension TokenizerVocabulary {
    init(gguf file: GGUFFile) throws {
        var metadata: [String: TokenizerMetadataValue] = [:]
        for key in Keys.all {
            guard let value = file.metadata[key] else { continue }
            metadata[key] = Self.metadataValue(value)
        }
        try self.init(metadata: metadata)
    }

    private static func metadataValue(_ value: GGUFValue) -> TokenizerMetadataValue? {
        switch value {
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .float32, .float64: return value.doubleValue.map { .float($0) }
        case .array(let a):
            if let s = a.strings() { return .strings(s) }
            if let f = a.float32s() { return .floats(f) }
            if let d = a.float64s() { return .floats(d.map(Float.init)) }
            if let i = a.integers() { return .ints(i) }
            if let b = a.bools() { return .ints(b.map { $0 ? 1 : 0 }) }
            return nil
        default: return value.intValue.map { .int($0) }
        }
    }
}
