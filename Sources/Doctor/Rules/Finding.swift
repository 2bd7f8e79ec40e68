import Foundation

/// A rule that fired, with its message and fixes rendered from the evidence.
public struct Finding: Sendable, Equatable {
    public struct EvidenceItem: Sendable, Equatable {
        public var path: String
        public var value: String
    }
    public var ruleId: String
    public var severity: Severity
    public var area: String
    public var title: String
    public var symptom: String
    public var message: String
    public var impact: Double
    public var fixes: [Fix]
    public var evidence: [EvidenceItem]
    /// Which receipt the finding is about (file name), when several were diagnosed.
    public var receipt: String?
}

extension Rule {
    /// Whether the rule reads the receipt (directly or through `derived.*`); findings of rules that only read
    /// the machine are not attributed to a receipt.
    public var readsReceipt: Bool {
        func paths(_ c: Condition) -> [String] {
            switch c {
            case .all(let cs), .any(let cs): return cs.flatMap(paths)
            case .not(let x): return paths(x)
            case .some(let p, let w), .every(let p, let w): return [p] + paths(w)
            case .compare(_, let l, let r): return exprPaths(l) + (r.map(exprPaths) ?? [])
            }
        }
        func exprPaths(_ e: ValueExpr) -> [String] {
            switch e {
            case .literal: return []
            case .path(let p): return [p]
            case .length(let x): return exprPaths(x)
            case .arithmetic(_, let xs): return xs.flatMap(exprPaths)
            }
        }
        return paths(condition).contains { $0.hasPrefix("receipt.") || $0.hasPrefix("derived.") }
    }

    /// Evaluates the rule; returns a finding when its condition holds.
    public func evaluate(_ evidence: Evidence, receipt: String? = nil) -> Finding? {
        let ev = Evaluator(evidence: evidence)
        guard ev.holds(condition) else { return nil }
        let render = { (t: String) in Template.render(t, evidence.resolve) }
        let fx = fixes.map { Fix(explanation: render($0.explanation), commands: $0.commands.map(render), docs: $0.docs) }
        let items = self.evidence.map { Finding.EvidenceItem(path: $0, value: evidence.resolve($0)?.display ?? "n/a") }
        return Finding(ruleId: id, severity: severity, area: area, title: title, symptom: symptom,
                       message: render(message), impact: impact, fixes: fx, evidence: items,
                       receipt: readsReceipt ? receipt : nil)
    }
}
