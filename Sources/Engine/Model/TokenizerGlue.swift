import Tokenizers

/// Builds the Tokenizers module's tokenizer from a model file's `tokenizer.ggml.*` metadata.
enum TokenizerGlue {
    /// nil when the file carries no tokenizer (`tokenizer.ggml.model` absent); throws when it carries a broken one.
    static func make(_ source: ModelSource) throws -> Tokenizer? {
        guard source.metadata.string(TokenizerVocabulary.Keys.model) != nil else { return nil }
        var values: [String: TokenizerMetadataValue] = [:]
        let m = source.metadata
        for key in TokenizerVocabulary.Keys.all {
            if let s = m.string(key) { values[key] = .string(s) }
            else if let b = source.bool(key) { values[key] = .bool(b) }
            else if let i = m.int(key) { values[key] = .int(i) }
            else if let a = source.stringArray(key) { values[key] = .strings(a) }
            else if let a = source.floatArray(key) { values[key] = .floats(a) }
            else if let a = source.intArray(key) { values[key] = .ints(a) }
        }
        do {
            let vocab = try TokenizerVocabulary(metadata: values)
            try vocab.validate()
            return try Tokenizer(vocab)
        } catch {
            throw EngineError(.tokenizer, "tokenizer: \(error)")
        }
    }
}
