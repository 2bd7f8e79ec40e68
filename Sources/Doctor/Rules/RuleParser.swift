import Foundation

/// Reads rule files: syntax (with line numbers), structure, operators, known paths, and types.
/// Every mistake becomes a `RuleIssue`; nothing here traps on bad input.
public struct RuleParser {
    public static let schemaVersion = 1
    let file: String
    let doc: PositionedJSON
    let registry: FactRegistry
    var issues: [RuleIssue] = []

    init(file: String, doc: PositionedJSON, registry: FactRegistry) {
        self.file = file
        self.doc = doc
        self.registry = registry
    }

    mutating func issue(_ path: String, _ message: String) {
        issues.append(RuleIssue(file: file, line: doc.line(of: path), path: path, message: message))
    }

    /// Parses the rules of a `kind: rules` document.
    public static func parseRules(file: String, doc: PositionedJSON,
                                  registry: FactRegistry = .standard) -> (rules: [Rule], issues: [RuleIssue]) {
        var p = RuleParser(file: file, doc: doc, registry: registry)
        guard let root = p.object(doc.value, "$", allowed: ["schema_version", "kind", "description", "rules"]) else {
            return ([], p.issues)
        }
        p.checkHeader(root)
        guard let list = root["rules"]?.arrayValue else {
            p.issue("$.rules", "missing array 'rules'")
            return ([], p.issues)
        }
        var rules: [Rule] = []
        var seen: Set<String> = []
        for (i, r) in list.enumerated() {
            let path = "$.rules[\(i)]"
            if let rule = p.rule(r, path) {
                if !seen.insert(rule.id).inserted { p.issue(path + ".id", "duplicate rule id '\(rule.id)'") }
                rules.append(rule)
            }
        }
        return (rules, p.issues)
    }

    mutating func checkHeader(_ root: [String: JSONValue]) {
        switch root["schema_version"] {
        case .number(let v) where v == Double(RuleParser.schemaVersion): break
        case .number(let v): issue("$.schema_version", "unsupported schema_version \(JSONValue.format(v)) (this build reads \(RuleParser.schemaVersion))")
        case nil: issue("$", "missing 'schema_version'")
        case let other?: issue("$.schema_version", "expected a number, found \(other.typeName)")
        }
    }

    // MARK: helpers

    mutating func object(_ v: JSONValue, _ path: String, allowed: Set<String>) -> [String: JSONValue]? {
        guard case .object(let o) = v else {
            issue(path, "expected an object, found \(v.typeName)")
            return nil
        }
        for k in o.keys.sorted() where !allowed.contains(k) {
            issue(path + "." + k, "unknown member '\(k)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        return o
    }

    mutating func string(_ o: [String: JSONValue], _ key: String, _ path: String, required: Bool = true) -> String? {
        guard let v = o[key] else {
            if required { issue(path, "missing string '\(key)'") }
            return nil
        }
        guard case .string(let s) = v, !s.isEmpty else {
            issue(path + "." + key, "expected a non-empty string, found \(v.typeName)")
            return nil
        }
        return s
    }

    mutating func rule(_ v: JSONValue, _ path: String) -> Rule? {
        let allowed: Set<String> = ["id", "severity", "area", "title", "symptom", "impact", "when", "message",
                                    "fixes", "evidence"]
        guard let o = object(v, path, allowed: allowed) else { return nil }
        let id = string(o, "id", path)
        if let id, id.range(of: "^[a-z0-9][a-z0-9-]*$", options: .regularExpression) == nil {
            issue(path + ".id", "rule id '\(id)' must be lowercase letters, digits and '-'")
        }
        var severity: Severity?
        if let s = string(o, "severity", path) {
            severity = Severity(rawValue: s)
            if severity == nil { issue(path + ".severity", "unknown severity '\(s)' (error, warning, info)") }
        }
        let area = string(o, "area", path)
        let title = string(o, "title", path)
        let symptom = string(o, "symptom", path)
        let message = string(o, "message", path)
        if let message { checkTemplate(message, path + ".message") }
        var impact = 1.0
        if let iv = o["impact"] {
            if let d = iv.doubleValue, d > 0 { impact = d } else { issue(path + ".impact", "expected a positive number") }
        }
        var condition: Condition?
        if let w = o["when"] { condition = self.condition(w, path + ".when", element: nil) } else { issue(path, "missing condition 'when'") }
        let fixes = self.fixes(o["fixes"], path + ".fixes")
        var evidence: [String] = []
        if let ev = o["evidence"] {
            if case .array(let a) = ev {
                for (i, e) in a.enumerated() {
                    guard let s = e.stringValue else { issue("\(path).evidence[\(i)]", "expected a path string"); continue }
                    if registry.type(of: s) == nil { issue("\(path).evidence[\(i)]", "unknown fact path '\(s)'") }
                    evidence.append(s)
                }
            } else { issue(path + ".evidence", "expected an array of paths, found \(ev.typeName)") }
        }
        guard let id, let severity, let area, let title, let symptom, let message, let condition, let fixes else { return nil }
        return Rule(id: id, severity: severity, area: area, title: title, symptom: symptom, impact: impact,
                    condition: condition, message: message, fixes: fixes, evidence: evidence, file: file)
    }

    mutating func fixes(_ v: JSONValue?, _ path: String) -> [Fix]? {
        guard let v else { issue(path, "missing 'fixes' (an array, may be empty)"); return nil }
        guard case .array(let a) = v else { issue(path, "expected an array, found \(v.typeName)"); return nil }
        var out: [Fix] = []
        for (i, f) in a.enumerated() {
            let fp = "\(path)[\(i)]"
            guard let o = object(f, fp, allowed: ["explanation", "commands", "docs"]) else { continue }
            guard let expl = string(o, "explanation", fp) else { continue }
            checkTemplate(expl, fp + ".explanation")
            var cmds: [String] = []
            if let c = o["commands"] {
                if case .array(let ca) = c {
                    for (j, cv) in ca.enumerated() {
                        if let s = cv.stringValue { cmds.append(s); checkTemplate(s, "\(fp).commands[\(j)]") }
                        else { issue("\(fp).commands[\(j)]", "expected a string, found \(cv.typeName)") }
                    }
                } else { issue(fp + ".commands", "expected an array of strings, found \(c.typeName)") }
            }
            let docs = string(o, "docs", fp, required: false)
            if let docs, !(docs.hasPrefix("https://") || docs.hasPrefix("http://") || docs.hasPrefix("docs/")) {
                issue(fp + ".docs", "expected a URL (https://...) or a docs/ path")
            }
            out.append(Fix(explanation: expl, commands: cmds, docs: docs))
        }
        return out
    }

    mutating func checkTemplate(_ text: String, _ path: String) {
        for p in Template.placeholders(in: text) where registry.type(of: p) == nil {
            issue(path, "unknown fact path '\(p)' in template")
        }
    }
}
