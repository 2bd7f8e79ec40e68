import Foundation

/// A summary line of the text output: one per area, in order.
public struct Area: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Template describing the area's state when it is healthy (`{{facts.cpu.model_name}}`).
    public var summary: String
    /// When this evidence path is absent, `missing` is shown instead of `summary`.
    public var requires: String? = nil
    public var missing: String? = nil
}

/// Everything loaded from rule directories: rules, reference speeds and the summary areas.
public struct RuleSet: Sendable {
    public var rules: [Rule] = []
    public var speeds: ReferenceSpeeds = .empty
    public var areas: [Area] = []
    public var issues: [RuleIssue] = []

    public init() {}

    /// Loads one file's text. Syntax errors and schema mistakes become issues naming file, line and path.
    public mutating func add(file: String, text: String, registry: FactRegistry = .standard) {
        let doc: PositionedJSON
        do { doc = try JSONParser.parse(text) } catch {
            issues.append(RuleIssue(file: file, line: error.line, path: error.path, message: "\(error.message) (column \(error.column))"))
            return
        }
        let kindName = doc.value["kind"]?.stringValue ?? RuleFileKind.rules.rawValue
        guard let kind = RuleFileKind(rawValue: kindName) else {
            issues.append(RuleIssue(file: file, line: doc.line(of: "$.kind"), path: "$.kind",
                                    message: "unknown kind '\(kindName)' (\(RuleFileKind.allCases.map(\.rawValue).joined(separator: ", ")))"))
            return
        }
        switch kind {
        case .rules:
            let (rs, iss) = RuleParser.parseRules(file: file, doc: doc, registry: registry)
            issues += iss
            for r in rs {
                if let i = rules.firstIndex(where: { $0.id == r.id }) {
                    if rules[i].file == file { continue }
                    rules[i] = r  // a later directory (user rules) overrides a rule with the same id
                } else { rules.append(r) }
            }
        case .referenceSpeeds:
            let (s, iss) = RuleParser.parseSpeeds(file: file, doc: doc)
            issues += iss
            speeds.entries = s.entries + speeds.entries
            speeds.points = s.points + speeds.points
        case .areas:
            let (a, iss) = RuleParser.parseAreas(file: file, doc: doc)
            issues += iss
            for area in a where !areas.contains(where: { $0.id == area.id }) { areas.append(area) }
        }
    }

    /// Loads every `*.json` file of a directory, in name order.
    public mutating func add(directory: URL) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else {
            issues.append(RuleIssue(file: directory.path, line: 0, path: "$", message: "cannot read rules directory"))
            return
        }
        for name in names.sorted() where name.hasSuffix(".json") {
            let url = directory.appendingPathComponent(name)
            add(file: url.path, url: url)
        }
    }

    public mutating func add(file: String, url: URL) {
        guard let data = try? Data(contentsOf: url), data.count < 16 << 20 else {
            issues.append(RuleIssue(file: file, line: 0, path: "$", message: "cannot read file (missing or larger than 16 MiB)"))
            return
        }
        guard let text = String(data: data, encoding: .utf8) else {
            issues.append(RuleIssue(file: file, line: 0, path: "$", message: "file is not UTF-8 text"))
            return
        }
        add(file: file, text: text)
    }

    /// The rules shipped with the tool (rules/*.json, embedded at build time), plus user directories.
    public static func standard(userDirectories: [URL] = []) -> RuleSet {
        var set = RuleSet()
        for (name, text) in BuiltinRules.files { set.add(file: "rules/" + name, text: text) }
        for d in userDirectories { set.add(directory: d) }
        return set
    }

    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    /// Area order for the summary; areas named by rules but not declared go last.
    public var orderedAreas: [Area] {
        var out = areas
        for r in rules where !out.contains(where: { $0.id == r.area }) {
            out.append(Area(id: r.area, title: r.area.capitalized, summary: ""))
        }
        return out
    }
}

extension RuleParser {
    static func parseAreas(file: String, doc: PositionedJSON) -> ([Area], [RuleIssue]) {
        var p = RuleParser(file: file, doc: doc, registry: .standard)
        guard let root = p.object(doc.value, "$", allowed: ["schema_version", "kind", "description", "areas"]) else { return ([], p.issues) }
        p.checkHeader(root)
        var out: [Area] = []
        for (i, a) in (root["areas"]?.arrayValue ?? []).enumerated() {
            let path = "$.areas[\(i)]"
            guard let o = p.object(a, path, allowed: ["id", "title", "summary", "requires", "missing"]) else { continue }
            guard let id = p.string(o, "id", path), let title = p.string(o, "title", path),
                  let summary = p.string(o, "summary", path) else { continue }
            p.checkTemplate(summary, path + ".summary")
            let requires = p.string(o, "requires", path, required: false)
            if let requires, p.registry.type(of: requires) == nil { p.issue(path + ".requires", "unknown fact path '\(requires)'") }
            out.append(Area(id: id, title: title, summary: summary, requires: requires,
                            missing: p.string(o, "missing", path, required: false)))
        }
        return (out, p.issues)
    }
}
