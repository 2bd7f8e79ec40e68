import Foundation
import TestSupport
@testable import Doctor

/// Paths into the repository's fixtures and rules.
enum Fixtures {
    static let repo = TestEnvironment.repoRoot
    static let scenarios = repo.appendingPathComponent("fixtures/scenarios")
    static let receipts = repo.appendingPathComponent("fixtures/receipts")
    static let rulesDir = repo.appendingPathComponent("rules")

    static var scenarioNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: scenarios.path)) ?? [])
            .filter { !$0.hasPrefix("_") && !$0.hasPrefix(".") }.sorted()
    }

    static func scenario(_ name: String) throws -> Scenario { try Scenario.load(scenarios.appendingPathComponent(name)) }

    static let rules: RuleSet = RuleSet.standard()

    static func diagnose(_ name: String) throws -> Diagnosis { try scenario(name).inputs.diagnose(rules: rules) }

    /// Foundation's parser, as independent truth for our JSON parser.
    static func foundationJSON(_ data: Data) throws -> Any { try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) }
}

/// Converts our JSON value to Foundation objects to compare with JSONSerialization's reading.
func foundationValue(_ v: JSONValue) -> NSObject {
    switch v {
    case .null: return NSNull()
    case .bool(let b): return NSNumber(value: b)
    case .number(let d): return NSNumber(value: d)
    case .string(let s): return s as NSString
    case .array(let a): return a.map(foundationValue) as NSArray
    case .object(let o): return o.mapValues(foundationValue) as NSDictionary
    }
}
