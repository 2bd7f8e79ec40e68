import Foundation

/// The outcome of a check: findings in order of impact, the state of each area, notes, and the evidence used.
public struct Diagnosis: Sendable {
    public struct AreaStatus: Sendable, Equatable {
        public var id: String
        public var title: String
        /// nil when the area is healthy; otherwise the worst severity among its findings.
        public var worst: Severity?
        public var summary: String
    }
    public var findings: [Finding]
    public var areas: [AreaStatus]
    /// Things the reader should know about how the check ran ("no run: --no-run").
    public var notes: [String]
    /// Evidence per diagnosed receipt (label, evidence); one unlabelled entry when there was no receipt.
    public var evidence: [(label: String?, evidence: Evidence)]
    public var rulesEvaluated: [Rule]

    public func count(_ s: Severity) -> Int { findings.filter { $0.severity == s }.count }

    /// Whether any finding is at or above `threshold`.
    public func fails(at threshold: Severity) -> Bool { findings.contains { $0.severity >= threshold } }

    /// One line: the verdict.
    public var verdict: String {
        let e = count(.error), w = count(.warning)
        if e == 0 && w == 0 { return "No issues found: inference should run at the speed this machine allows." }
        let top = findings.first.map { " Biggest: \($0.title)." } ?? ""
        return "Found \(e) error\(e == 1 ? "" : "s") and \(w) warning\(w == 1 ? "" : "s").\(top)"
    }
}

public enum Diagnoser {
    /// Evaluates `rules` once per evidence document (one per receipt), merges identical findings, and sorts by
    /// severity then impact.
    public static func diagnose(_ evidence: [(label: String?, evidence: Evidence)], rules: RuleSet,
                                notes: [String] = []) -> Diagnosis {
        var findings: [Finding] = []
        for (label, ev) in evidence {
            for rule in rules.rules {
                guard let f = rule.evaluate(ev, receipt: label) else { continue }
                if !findings.contains(where: { $0.ruleId == f.ruleId && $0.message == f.message }) { findings.append(f) }
            }
        }
        findings.sort { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            if a.impact != b.impact { return a.impact > b.impact }
            return a.ruleId < b.ruleId
        }
        let first = evidence.first?.evidence
        let areas = rules.orderedAreas.map { area -> Diagnosis.AreaStatus in
            let worst = findings.filter { $0.area == area.id }.map(\.severity).max()
            let summary = first.map { ev in
                if let r = area.requires, ev.resolve(r) == nil { return area.missing ?? "not available" }
                return Template.render(area.summary, ev.resolve)
            } ?? ""
            return .init(id: area.id, title: area.title, worst: worst, summary: summary)
        }
        return Diagnosis(findings: findings, areas: areas, notes: notes, evidence: evidence, rulesEvaluated: rules.rules)
    }
}
