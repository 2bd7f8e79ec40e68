import Foundation

/// Conditions written out for `rules explain`.
public enum ConditionText {
    public static func describe(_ c: Condition, indent: String) -> String {
        switch c {
        case .all(let cs): return "\(indent)all of:\n" + cs.map { describe($0, indent: indent + "  ") }.joined(separator: "\n")
        case .any(let cs): return "\(indent)any of:\n" + cs.map { describe($0, indent: indent + "  ") }.joined(separator: "\n")
        case .not(let x): return "\(indent)not:\n" + describe(x, indent: indent + "  ")
        case .some(let p, let w): return "\(indent)some element @ of \(p):\n" + describe(w, indent: indent + "  ")
        case .every(let p, let w): return "\(indent)every element @ of \(p):\n" + describe(w, indent: indent + "  ")
        case .compare(let op, let l, let r):
            return "\(indent)\(expr(l)) \(op.rawValue)" + (r.map { " " + expr($0) } ?? "")
        }
    }

    public static func expr(_ e: ValueExpr) -> String {
        switch e {
        case .literal(let v): return v.serialized(pretty: false)
        case .path(let p): return p
        case .length(let x): return "length(\(expr(x)))"
        case .arithmetic(let op, let args): return "\(op.rawValue)(\(args.map(expr).joined(separator: ", ")))"
        }
    }
}
