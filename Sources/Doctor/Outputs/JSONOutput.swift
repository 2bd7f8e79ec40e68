import Foundation

/// `check --format json` (schema `bitnet-doctor.check/1`, docs/report.md).
public enum JSONOutput {
    public static let schema = "bitnet-doctor.check/1"

    public static func finding(_ f: Finding) -> JSONValue {
        var o: JSONValue = [
            "rule_id": .string(f.ruleId), "severity": .string(f.severity.rawValue), "area": .string(f.area),
            "title": .string(f.title), "symptom": .string(f.symptom), "message": .string(f.message),
            "impact": .number(f.impact),
            "fixes": .array(f.fixes.map { fix in
                var x: JSONValue = ["explanation": .string(fix.explanation), "commands": JSONValue(fix.commands)]
                if let d = fix.docs { x["docs"] = .string(d) }
                return x
            }),
            "evidence": .array(f.evidence.map { ["path": .string($0.path), "value": .string($0.value)] }),
        ]
        if let r = f.receipt { o["receipt"] = .string(r) }
        return o
    }

    public static func document(_ d: Diagnosis, failOn: Severity) -> JSONValue {
        [
            "schema": .string(schema),
            "tool": DoctorInfo.tool,
            "verdict": ["text": .string(d.verdict), "fails": .bool(d.fails(at: failOn)), "fail_on": .string(failOn.rawValue)],
            "summary": ["error": .number(Double(d.count(.error))), "warning": .number(Double(d.count(.warning))),
                        "info": .number(Double(d.count(.info)))],
            "areas": .array(d.areas.map { a in
                ["id": .string(a.id), "title": .string(a.title), "summary": .string(a.summary),
                 "status": .string(a.worst.map { $0 >= .warning ? $0.rawValue : "ok" } ?? "ok")]
            }),
            "findings": .array(d.findings.map(finding)),
            "notes": JSONValue(d.notes),
        ]
    }
}
