import Foundation

/// A test scenario directory (fixtures/scenarios/<name>/, docs/rules.md):
/// `scenario.json` {description, base, facts, model, run, receipts:[{file, patch}]}, an optional `env` file,
/// optional `receipt*.json[l]` files, and `expected.json` {findings: [ids of warnings and errors], info?: [ids]}.
/// `base` names a directory under `_bases/` whose facts.json / model.json / run.json / env are merged under;
/// `machine` names a machine fixture (fixtures/machines/<name>) whose facts SystemFacts collects from its root and
/// env file (then `facts` overrides are merged over them and the scenario's `env` is not used).
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    public var inputs: CheckInputs
    public var expectedFindings: Set<String>
    public var expectedInfo: Set<String>?

    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func load(_ dir: URL) throws -> Scenario {
        func json(_ url: URL) throws -> JSONValue? {
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            do { return try JSONParser.parse(try Data(contentsOf: url)).value }
            catch let e as JSONSyntaxError { throw LoadError(description: "\(url.path):\(e.line): \(e.message)") }
        }
        let spec = try json(dir.appendingPathComponent("scenario.json")) ?? [:]
        var facts: JSONValue = [:], model: JSONValue? = nil, run: JSONValue? = nil
        var env: [String: String] = [:]
        if let base = spec["base"]?.stringValue {
            let b = dir.deletingLastPathComponent().appendingPathComponent("_bases").appendingPathComponent(base)
            guard FileManager.default.fileExists(atPath: b.path) else { throw LoadError(description: "\(dir.path): unknown base '\(base)'") }
            facts = try json(b.appendingPathComponent("facts.json")) ?? [:]
            model = try json(b.appendingPathComponent("model.json"))
            run = try json(b.appendingPathComponent("run.json"))
            if let t = try? String(contentsOf: b.appendingPathComponent("env"), encoding: .utf8) { env = EnvFile.parse(t) }
        }
        var fromMachine = false
        if let machine = spec["machine"]?.stringValue {
            let m = dir.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("machines/\(machine)")
            guard FileManager.default.fileExists(atPath: m.path) else { throw LoadError(description: "\(dir.path): unknown machine '\(machine)'") }
            let collected = try FactsBridge.collect(fixture: m)
            facts = collected.facts
            env = collected.environment
            fromMachine = true
        }
        if let f = spec["facts"] { facts = facts.merged(with: Evidence.wrapFacts(f)) }
        if let m = spec["model"] { model = (model ?? [:]).merged(with: m) }
        if let r = spec["run"] { run = (run ?? [:]).merged(with: r) }
        if let t = try? String(contentsOf: dir.appendingPathComponent("env"), encoding: .utf8) {
            env.merge(EnvFile.parse(t)) { _, new in new }
        }
        var inputs = CheckInputs()
        inputs.facts = facts
        inputs.model = model
        inputs.run = run
        inputs.environment = env
        inputs.environmentInFacts = fromMachine
        if fromMachine { inputs.root = dir.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("machines/\(spec["machine"]!.stringValue!)/root") }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for n in names.sorted() where n.hasPrefix("receipt") && (n.hasSuffix(".json") || n.hasSuffix(".jsonl")) {
            try inputs.addReceipts([dir.appendingPathComponent(n)])
        }
        for (i, r) in (spec["receipts"]?.arrayValue ?? []).enumerated() {
            guard let file = r["file"]?.stringValue else { throw LoadError(description: "\(dir.path): receipts[\(i)] has no file") }
            let url = dir.appendingPathComponent(file).standardizedFileURL
            var rec = try ReceiptReader.read(url)
            if let p = r["patch"] { rec = rec.merged(with: p) }
            inputs.receipts.append((url.lastPathComponent, rec))
        }
        let expected = try json(dir.appendingPathComponent("expected.json")) ?? [:]
        guard let ids = expected["findings"]?.arrayValue?.compactMap(\.stringValue) else {
            throw LoadError(description: "\(dir.path)/expected.json: missing 'findings' array")
        }
        return Scenario(name: dir.lastPathComponent, description: spec["description"]?.stringValue ?? "",
                        inputs: inputs, expectedFindings: Set(ids),
                        expectedInfo: expected["info"]?.arrayValue.map { Set($0.compactMap(\.stringValue)) })
    }
}
