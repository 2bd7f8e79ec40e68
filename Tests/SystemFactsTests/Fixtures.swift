import Foundation
import TestSupport
@testable import SystemFacts

/// The machine fixtures under fixtures/machines and helpers to collect and compare them.
enum Fixtures {
    static let dir = TestEnvironment.repoRoot.appendingPathComponent("fixtures/machines")

    static let names: [String] = {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return all.filter { FileManager.default.fileExists(atPath: dir.appendingPathComponent("\($0)/root").path) }.sorted()
    }()

    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static func options(_ name: String) throws -> FactsOptions { try FactsOptions.fixture(path(name)) }

    static func collect(_ name: String, only: Set<String>? = nil) throws -> FactsReport {
        var o = try options(name)
        o.only = only
        return SystemFacts.collectBlocking(o)
    }

    /// Facts that describe the doctor's own build rather than the machine: left out of goldens.
    static let buildDependent: [(String, String)] = [("software", "doctor_build"), ("software", "doctor_simd")]

    /// The part of a report a golden pins down: schema, families (minus build-dependent facts); no timestamp,
    /// root path or timings.
    static func goldenTree(_ report: FactsReport) throws -> Any {
        let data = try report.jsonData()
        var obj = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        obj.removeValue(forKey: "collected_at")
        obj.removeValue(forKey: "timings_ms")
        obj.removeValue(forKey: "root")
        var fams = obj["families"] as! [String: Any]
        for (fam, fact) in buildDependent {
            if var f = fams[fam] as? [String: Any] { f.removeValue(forKey: fact); fams[fam] = f }
        }
        obj["families"] = fams
        return obj
    }

    static func canonicalJSON(_ obj: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// The first path where two JSON trees differ, or nil.
    static func firstDifference(_ a: Any?, _ b: Any?, path: String = "") -> String? {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            for k in Set(x.keys).union(y.keys).sorted() {
                if let d = firstDifference(x[k], y[k], path: path + "." + k) { return d }
            }
            return nil
        case let (x as [Any], y as [Any]):
            if x.count != y.count { return "\(path): \(x.count) vs \(y.count) items" }
            for i in 0..<x.count { if let d = firstDifference(x[i], y[i], path: "\(path)[\(i)]") { return d } }
            return nil
        case let (x as NSObject, y as NSObject):
            return x.isEqual(y) ? nil : "\(path): \(x) vs \(y)"
        case (nil, nil): return nil
        default: return "\(path): \(String(describing: a)) vs \(String(describing: b))"
        }
    }
}

extension FactsReport {
    func value(_ path: String) -> FactValue? { fact(path)?.okValue }
}
