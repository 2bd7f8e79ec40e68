/// The byte-level BPE pre-tokenizer named by `tokenizer.ggml.pre`: a sequence of split steps, each
/// cutting every piece of the previous step further (matches and the gaps between them both become
/// pieces), as llama.cpp's `unicode_regex_split` does. Each step is a hand-written matcher for one
/// regular expression of llama.cpp's table.
struct PreTokenizer: Sendable {
    enum Step: Sendable {
        /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
        case gpt2
        /// `(?i:'s|…)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,n}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
        /// (n = 3: llama3, n = 1: qwen2; `marks`: qwen35, where `\p{L}` reads `[\p{L}\p{M}]`)
        case llama3(maxDigits: Int, marks: Bool = false)
        /// `[\p{P}\$\+<=>\^~\|]+` (and with a backtick for falcon)
        case punctuationRuns(withBacktick: Bool)
        /// `\p{N}+`
        case numberRuns
        /// `\p{N}`
        case singleNumbers
        /// `[0-9][0-9][0-9]`
        case digitTriples
        /// `[\r\n]`
        case singleNewlines
        /// `\s?\p{L}+`
        case optionalSpaceLetters
        /// `\s?\p{P}+`
        case optionalSpacePunctuation
        /// `[一-龥ࠀ-一가-퟿]+`
        case cjkRuns
        /// deepseek-llm's `\s?[A-Za-zµÀ-ÖØ-ö…]+`: its class lists the cased letters (Lu, Ll, Lt);
        /// taken from the Unicode properties here
        case optionalSpaceCasedLetters
        /// deepseek-llm's `\s?[!-/:-~！-／：-～‘-‟　-。]+`
        case optionalSpaceDeepseekPunctuation
        /// `\s+$`
        case trailingWhitespace
    }

    let name: String
    let steps: [Step]
    /// llama.cpp's `ignore_merges`: a whole piece that is a token is taken as is.
    let ignoreMerges: Bool
    /// llama.cpp's `clean_spaces` (clean_up_tokenization_spaces) for detokenization.
    let cleanSpaces: Bool
    /// The add_bos value before `tokenizer.ggml.add_bos_token` is read.
    let defaultAddBOS: Bool

    /// The pre-tokenizer for a `tokenizer.ggml.pre` value (nil or missing: llama.cpp's "default").
    init(name: String?) throws {
        let pre = name ?? ""
        self.name = pre.isEmpty ? "default" : pre
        var ignoreMerges = false, cleanSpaces = true, addBOS = false
        switch pre {
        case "", "default":
            steps = [.punctuationRuns(withBacktick: false), .gpt2, .numberRuns, .digitTriples]
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
             "jina-v5-nano":
            steps = [.llama3(maxDigits: 3)]
            ignoreMerges = true
            addBOS = true
        case "dbrx", "smaug-bpe":
            steps = [.llama3(maxDigits: 3)]
        case "chatglm-bpe":
            steps = [.llama3(maxDigits: 3)]
        case "glm4", "glm5":
            steps = [.llama3(maxDigits: 3)]
            ignoreMerges = true
        case "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "hunyuan", "solar-open":
            steps = [.llama3(maxDigits: 1)]
            cleanSpaces = pre == "megrez"
        case "qwen35":
            steps = [.llama3(maxDigits: 1, marks: true)]
            cleanSpaces = false
        case "stablelm2":
            steps = [.llama3(maxDigits: 1)]
        case "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0",
             "mellum", "modern-bert", "jina-v1-en", "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais",
             "exaone4":
            steps = [.gpt2]
        case "trillion", "granite-docling":
            steps = [.gpt2]
            cleanSpaces = false
        case "starcoder", "refact", "codeshell", "exaone", "minerva-7b", "mellum2":
            steps = [.singleNumbers, .gpt2]
        case "command-r", "smollm":
            steps = [.singleNumbers, .gpt2]
            cleanSpaces = false
        case "falcon":
            steps = [.punctuationRuns(withBacktick: true), .gpt2, .digitTriples]
        case "deepseek-llm":
            steps = [.singleNewlines, .optionalSpaceCasedLetters, .optionalSpaceDeepseekPunctuation,
                     .trailingWhitespace, .cjkRuns, .numberRuns]
            cleanSpaces = false
        case "deepseek-coder":
            steps = [.singleNewlines, .optionalSpaceLetters, .optionalSpacePunctuation, .cjkRuns, .singleNumbers]
            cleanSpaces = false
        default:
            throw TokenizerError.unsupportedPreTokenizer(pre)
        }
        self.ignoreMerges = ignoreMerges
        self.cleanSpaces = cleanSpaces
        self.defaultAddBOS = addBOS
    }

    /// Splits code points into pieces (ranges of code point indices), running every step in turn.
    func split(_ cps: [UInt32]) -> [Range<Int>] {
        guard !cps.isEmpty else { return [] }
        let flags = cps.map(CodepointFlags.of)
        var pieces = [0..<cps.count]
        for step in steps {
            var next: [Range<Int>] = []
            next.reserveCapacity(pieces.count * 2)
            for piece in pieces {
                var splitter = Splitter(cps: cps, flags: flags, lo: piece.lowerBound, hi: piece.upperBound)
                splitter.run(step)
                next.append(contentsOf: splitter.out)
            }
            pieces = next
        }
        return pieces
    }
}
