import Foundation

/// Everything collected in one pass: the `families` object is what the rules read as `facts`.
public struct FactsReport: Sendable, Equatable {
    public static let schema = "bitnet-doctor.facts"
    public static let schemaVersion = 1

    public var collectedAt: Date
    public var root: String
    public var live: Bool
    public var safeMode: Bool
    /// Families in collection order.
    public var families: [FactFamily]
    /// Milliseconds each collector took (not part of the rules' view).
    public var timingsMs: [String: Int]

    public init(collectedAt: Date, root: String, live: Bool, safeMode: Bool, families: [FactFamily],
                timingsMs: [String: Int] = [:]) {
        self.collectedAt = collectedAt
        self.root = root
        self.live = live
        self.safeMode = safeMode
        self.families = families
        self.timingsMs = timingsMs
    }

    public subscript(family: String) -> FactFamily? { families.first { $0.name == family } }

    /// `report.fact("cpu.flags")`
    public func fact(_ path: String) -> Fact? {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return self[parts[0]]?[parts[1]]
    }

    /// The `families` object as a plain value tree (the evidence document's `facts` subtree).
    public var factsTree: FactValue {
        var out: [String: FactValue] = [:]
        for f in families {
            var fam: [String: FactValue] = [:]
            for (n, fact) in f.ordered {
                var o: [String: FactValue] = ["value": fact.value, "status": .string(fact.status.name),
                                              "source": .string(fact.source)]
                if let r = fact.status.reason { o["reason"] = .string(r) }
                fam[n] = .object(o)
            }
            out[f.name] = .object(fam)
        }
        return .object(out)
    }
}

extension FactsReport: Codable {
    enum CodingKeys: String, CodingKey {
        case schema, schemaVersion = "schema_version", collectedAt = "collected_at", root, live
        case safeMode = "safe_mode", families, timingsMs = "timings_ms"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let schema = try c.decode(String.self, forKey: .schema)
        guard schema == Self.schema else {
            throw DecodingError.dataCorruptedError(forKey: .schema, in: c, debugDescription: "not a facts document: \(schema)")
        }
        let ts = try c.decodeIfPresent(String.self, forKey: .collectedAt) ?? ""
        collectedAt = ISO8601DateFormatter().date(from: ts) ?? Date(timeIntervalSince1970: 0)
        root = try c.decodeIfPresent(String.self, forKey: .root) ?? "/"
        live = try c.decodeIfPresent(Bool.self, forKey: .live) ?? false
        safeMode = try c.decodeIfPresent(Bool.self, forKey: .safeMode) ?? false
        timingsMs = try c.decodeIfPresent([String: Int].self, forKey: .timingsMs) ?? [:]
        let fams = try c.decode([String: [String: Fact]].self, forKey: .families)
        families = fams.keys.sorted().map { name in
            var f = FactFamily(name)
            for k in fams[name]!.keys.sorted() { f[k] = fams[name]![k] }
            return f
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.schema, forKey: .schema)
        try c.encode(Self.schemaVersion, forKey: .schemaVersion)
        try c.encode(ISO8601DateFormatter().string(from: collectedAt), forKey: .collectedAt)
        try c.encode(root, forKey: .root)
        try c.encode(live, forKey: .live)
        try c.encode(safeMode, forKey: .safeMode)
        var fams: [String: [String: Fact]] = [:]
        for f in families { fams[f.name] = f.facts }
        try c.encode(fams, forKey: .families)
        try c.encode(timingsMs, forKey: .timingsMs)
    }

    /// Pretty, key-sorted JSON (stable for goldens and diffs).
    public func jsonData() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }
}
