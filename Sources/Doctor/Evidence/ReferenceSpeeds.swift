import Foundation

/// The efficiency (fraction of the memory-bandwidth roofline) each engine/format/backend should reach, whether
/// the engine has a fast path for the format, and published reference points. Data from rules/*.json with
/// `"kind": "reference-speeds"`.
public struct ReferenceSpeeds: Sendable {
    public struct Entry: Sendable {
        public var engine: String
        public var format: String
        public var backend: String
        public var efficiency: Double
        public var fastPath: Bool
        public var note: String?
    }
    public struct Point: Sendable {
        public var engine: String
        public var format: String
        public var hardware: String
        public var threads: Int?
        public var tokensPerSecond: Double
        public var source: String
    }
    public var entries: [Entry]
    public var points: [Point]

    public static let empty = ReferenceSpeeds(entries: [], points: [])

    /// The most specific entry for engine/format/backend (`*` matches anything).
    public func entry(engine: String?, format: String?, backend: String?) -> Entry? {
        func m(_ pattern: String, _ v: String?) -> Int? {
            if pattern == "*" { return 0 }
            guard let v, pattern.caseInsensitiveCompare(v) == .orderedSame else { return nil }
            return 1
        }
        var best: (Int, Entry)?
        for e in entries {
            guard let a = m(e.engine, engine), let b = m(e.format, format), let c = m(e.backend, backend) else { continue }
            let score = a * 4 + b * 2 + c
            if best == nil || score > best!.0 { best = (score, e) }
        }
        return best?.1
    }

    /// The published point for engine/format, preferring the one measured with the closest thread count.
    public func point(engine: String?, format: String?, threads: Int? = nil) -> Point? {
        let matching = points.filter { $0.engine.caseInsensitiveCompare(engine ?? "") == .orderedSame
            && $0.format.caseInsensitiveCompare(format ?? "") == .orderedSame }
        guard let threads else { return matching.first }
        return matching.min { abs(($0.threads ?? threads) - threads) < abs(($1.threads ?? threads) - threads) }
    }
}

extension RuleParser {
    /// Parses a `kind: reference-speeds` document.
    static func parseSpeeds(file: String, doc: PositionedJSON) -> (ReferenceSpeeds, [RuleIssue]) {
        var p = RuleParser(file: file, doc: doc, registry: .standard)
        var speeds = ReferenceSpeeds.empty
        guard let root = p.object(doc.value, "$", allowed: ["schema_version", "kind", "description", "engines", "reference_points"]) else {
            return (speeds, p.issues)
        }
        p.checkHeader(root)
        for (i, e) in (root["engines"]?.arrayValue ?? []).enumerated() {
            let path = "$.engines[\(i)]"
            guard let o = p.object(e, path, allowed: ["engine", "format", "backend", "efficiency", "fast_path", "note"]) else { continue }
            guard let engine = p.string(o, "engine", path), let format = p.string(o, "format", path) else { continue }
            guard let eff = o["efficiency"]?.doubleValue, eff > 0, eff <= 1 else {
                p.issue(path + ".efficiency", "expected a number in (0, 1]"); continue
            }
            guard let fast = o["fast_path"]?.boolValue else { p.issue(path + ".fast_path", "expected a boolean"); continue }
            speeds.entries.append(.init(engine: engine, format: format, backend: o["backend"]?.stringValue ?? "*",
                                        efficiency: eff, fastPath: fast, note: o["note"]?.stringValue))
        }
        for (i, e) in (root["reference_points"]?.arrayValue ?? []).enumerated() {
            let path = "$.reference_points[\(i)]"
            guard let o = p.object(e, path, allowed: ["engine", "format", "hardware", "threads", "tokens_per_second", "source"]) else { continue }
            guard let engine = p.string(o, "engine", path), let format = p.string(o, "format", path),
                  let hw = p.string(o, "hardware", path), let src = p.string(o, "source", path) else { continue }
            guard let tps = o["tokens_per_second"]?.doubleValue, tps > 0 else {
                p.issue(path + ".tokens_per_second", "expected a positive number"); continue
            }
            speeds.points.append(.init(engine: engine, format: format, hardware: hw,
                                       threads: o["threads"]?.doubleValue.map { Int($0) }, tokensPerSecond: tps, source: src))
        }
        return (speeds, p.issues)
    }
}
