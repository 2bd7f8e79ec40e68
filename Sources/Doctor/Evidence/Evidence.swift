import Foundation

/// The evidence document (docs/architecture.md): `facts`, `model`, `receipt`, `run`, and `derived` values
/// computed from them. Rules read it through `resolve`.
public struct Evidence: Sendable {
    public var document: JSONValue

    public init(document: JSONValue) { self.document = document }

    /// Builds the document from its parts. `facts` is the SystemFacts tree (`{"families": {...}}` or the
    /// families object itself); `model` the inspection document; `receipt` a normalised receipt.
    public static func assemble(facts: JSONValue?, model: JSONValue?, receipt: JSONValue?, run: JSONValue?,
                                speeds: ReferenceSpeeds = .empty) -> Evidence {
        var doc: JSONValue = .object([:])
        let families = facts?["families"] ?? facts ?? .object([:])
        doc["facts"] = Evidence.wrapFacts(families)
        doc["model"] = model ?? .object([:])
        doc["receipt"] = receipt ?? .object([:])
        doc["run"] = run ?? .object([:])
        var e = Evidence(document: doc)
        e.document["derived"] = Derived.compute(e, speeds: speeds)
        return e
    }

    /// Facts must carry `{value, status}`; fixtures may write plain values, which are wrapped as `ok`.
    static func wrapFacts(_ families: JSONValue) -> JSONValue {
        guard case .object(let fams) = families else { return .object([:]) }
        var out: [String: JSONValue] = [:]
        for (name, fam) in fams {
            guard case .object(let facts) = fam else { continue }
            var f: [String: JSONValue] = [:]
            for (k, v) in facts { f[k] = isWrapped(v) ? v : ["value": v, "status": "ok", "source": "fixture"] }
            out[name] = .object(f)
        }
        return .object(out)
    }

    static func isWrapped(_ v: JSONValue) -> Bool {
        guard case .object(let o) = v, let s = o["status"]?.stringValue else { return false }
        return ["ok", "not_available", "error"].contains(s)
    }

    /// The value at an evidence path, or nil when absent. `facts.F.N...` resolves through the fact's `value`
    /// when its status is `ok`; JSON null counts as absent.
    public func resolve(_ path: String) -> JSONValue? {
        let comps = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let root = comps.first, let top = document[root] else { return nil }
        var cur: JSONValue = top
        var rest = comps.dropFirst()
        if root == "facts" {
            guard comps.count >= 3, let fact = top[comps[1]]?[comps[2]] else { return nil }
            guard fact["status"]?.stringValue == "ok", let v = fact["value"] else { return nil }
            cur = v
            rest = comps.dropFirst(3)
        }
        for c in rest {
            switch cur {
            case .object(let o): guard let n = o[c] else { return nil }; cur = n
            case .array(let a): guard let i = Int(c), i >= 0, i < a.count else { return nil }; cur = a[i]
            default: return nil
            }
        }
        return cur.isNull ? nil : cur
    }

    /// The status of a fact path (`ok`, `not_available`, `error`) and its reason, for reports.
    public func factStatus(_ path: String) -> (status: String, reason: String?)? {
        let comps = path.split(separator: ".").map(String.init)
        guard comps.count >= 3, comps[0] == "facts", let f = document["facts"]?[comps[1]]?[comps[2]] else { return nil }
        return (f["status"]?.stringValue ?? "ok", f["reason"]?.stringValue)
    }
}
