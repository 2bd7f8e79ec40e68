import Foundation

/// SARIF 2.1.0: one run, the rule set as `tool.driver.rules`, one result per finding.
public enum SARIFOutput {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    static func level(_ s: Severity) -> String { s == .error ? "error" : s == .warning ? "warning" : "note" }

    public static func document(_ d: Diagnosis) -> JSONValue {
        let rules = d.rulesEvaluated
        let driverRules: [JSONValue] = rules.map { r in
            var help = r.fixes.map(\.explanation).joined(separator: " ")
            if help.isEmpty { help = r.symptom }
            var o: JSONValue = [
                "id": .string(r.id), "name": .string(camel(r.id)),
                "shortDescription": ["text": .string(r.title)],
                "fullDescription": ["text": .string(r.symptom)],
                "help": ["text": .string(help)],
                "defaultConfiguration": ["level": .string(level(r.severity))],
                "properties": ["area": .string(r.area), "impact": .number(r.impact)],
            ]
            if let docs = r.fixes.compactMap(\.docs).first(where: { $0.hasPrefix("http") }) { o["helpUri"] = .string(docs) }
            return o
        }
        let results: [JSONValue] = d.findings.map { f in
            var text = f.message
            for fix in f.fixes { text += " Fix: \(fix.explanation)" + (fix.commands.isEmpty ? "" : " `\(fix.commands.joined(separator: "; "))`") }
            let uri = f.receipt ?? "bitnet-doctor-evidence"
            var r: JSONValue = [
                "ruleId": .string(f.ruleId),
                "ruleIndex": .number(Double(rules.firstIndex { $0.id == f.ruleId } ?? 0)),
                "level": .string(level(f.severity)),
                "message": ["text": .string(text)],
                "locations": [["physicalLocation": ["artifactLocation": ["uri": .string(uri)]]]],
                "properties": ["area": .string(f.area),
                               "evidence": .object(Dictionary(f.evidence.map { ($0.path, JSONValue.string($0.value)) }, uniquingKeysWith: { a, _ in a }))],
            ]
            if f.receipt == nil { r["locations"] = [["logicalLocations": [["name": .string(f.area), "kind": "module"]]]] }
            return r
        }
        return [
            "$schema": .string(schemaURI),
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": ["name": "bitnet-doctor", "version": .string(DoctorInfo.version),
                                    "informationUri": .string(DoctorInfo.informationURI), "rules": .array(driverRules),
                                    "properties": ["commit": .string(DoctorInfo.commit)]]],
                "results": .array(results),
            ]],
        ]
    }

    static func camel(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
