import Foundation
import TestSupport

/// A golden file written by Tests/scripts/engine_goldens.py.
struct GoldenFile: Decodable {
    struct Case: Decodable {
        var prompt: String?
        var prompt_tokens: [Int]
        var generated_tokens: [Int]
        var first_step_top5: [[Double]]?
    }
    var tokens: Int
    var model_file: String
    var meta: [String: String]
    var cases: [Case]

    static func load(_ name: String) throws -> GoldenFile {
        let url = TestEnvironment.repoRoot.appendingPathComponent("fixtures/goldens/\(name)")
        return try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: url))
    }
}
