import Foundation
import TestSupport
import GGUF
@testable import Tokenizers

/// Vocabularies of the llama.cpp test GGUFs (and the SmolLM2 model), read with the project's GGUF
/// reader (cached for the test process), or with an independent reader (PyPI `gguf`, through
/// Tests/scripts/tokenizers_dump.py) for the cross-check.
enum VocabFixtures {
    struct Missing: Error, CustomStringConvertible { var description: String }

    private struct Typed: Decodable {
        var type: String
        var value: Value
        enum Value { case string(String), bool(Bool), int(Int64), float(Double), strings([String]), ints([Int64]), floats([Float]) }
        enum CodingKeys: String, CodingKey { case type, value }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(String.self, forKey: .type)
            switch type {
            case "string": value = .string(try c.decode(String.self, forKey: .value))
            case "bool": value = .bool(try c.decode(Bool.self, forKey: .value))
            case "int": value = .int(try c.decode(Int64.self, forKey: .value))
            case "float": value = .float(try c.decode(Double.self, forKey: .value))
            case "strings": value = .strings(try c.decode([String].self, forKey: .value))
            case "ints": value = .ints(try c.decode([Int64].self, forKey: .value))
            case "floats": value = .floats(try c.decode([Float].self, forKey: .value))
            default: throw Missing(description: "unknown dump type \(type)")
            }
        }
        var metadata: TokenizerMetadataValue {
            switch value {
            case .string(let s): return .string(s)
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .float(let d): return .float(d)
            case .strings(let s): return .strings(s)
            case .ints(let i): return .ints(i)
            case .floats(let f): return .floats(f)
            }
        }
    }

    nonisolated(unsafe) private static var cache: [String: Tokenizer] = [:]
    private static let lock = NSLock()

    /// Path of a llama.cpp vocab file, e.g. "llama-bpe" → vocab/ggml-vocab-llama-bpe.gguf.
    static func vocabURL(_ name: String) -> URL? { TestEnvironment.testData("vocab/ggml-vocab-\(name).gguf") }

    static var smolLMURL: URL? { TestEnvironment.testData("models/SmolLM2-135M-Instruct.Q4_1.gguf") }

    /// The tokenizer of a GGUF file, read with the GGUF module.
    static func tokenizer(_ file: URL) throws -> Tokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let t = cache[file.path] { return t }
        let t = try Tokenizer(vocabulary(file))
        cache[file.path] = t
        return t
    }

    /// The vocabulary of a GGUF file, read with the GGUF module.
    static func vocabulary(_ file: URL) throws -> TokenizerVocabulary {
        try TokenizerVocabulary(gguf: GGUFFile.open(file.path))
    }

    /// The vocabulary of a GGUF file, read with the PyPI gguf package.
    static func vocabularyFromPython(_ file: URL) throws -> TokenizerVocabulary {
        guard let out = try Subprocess.python("tokenizers_dump.py", [file.path]) else {
            throw Missing(description: "no test venv python (run scripts/setup-testdata.sh)")
        }
        guard out.status == 0 else { throw Missing(description: "tokenizers_dump.py failed: \(out.stderr)") }
        let typed = try JSONDecoder().decode([String: Typed].self, from: out.stdout)
        return try TokenizerVocabulary(metadata: typed.mapValues(\.metadata))
    }

    /// llama.cpp's test vectors for a vocab: (input, expected ids), read as test-tokenizer-0 does:
    /// inputs separated by "\n__ggml_vocab_test__\n", one line of ids per input.
    static func vectors(_ name: String) throws -> [(String, [Int32])] {
        guard let gguf = vocabURL(name) else { throw Missing(description: "missing ggml-vocab-\(name).gguf") }
        let inp = try String(contentsOf: URL(fileURLWithPath: gguf.path + ".inp"), encoding: .utf8)
        let out = try String(contentsOf: URL(fileURLWithPath: gguf.path + ".out"), encoding: .utf8)
        var inputs: [String] = []
        var rest = inp[...]
        let sep = "\n__ggml_vocab_test__\n"
        while !rest.isEmpty {
            if let r = rest.range(of: sep) {
                inputs.append(String(rest[..<r.lowerBound]))
                rest = rest[r.upperBound...]
            } else {
                inputs.append(String(rest))
                break
            }
        }
        var lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard lines.count == inputs.count else {
            throw Missing(description: "\(name): \(inputs.count) inputs but \(lines.count) output lines")
        }
        return zip(inputs, lines).map { input, line in
            (input, line.split(separator: " ").compactMap { Int32($0) })
        }
    }
}
