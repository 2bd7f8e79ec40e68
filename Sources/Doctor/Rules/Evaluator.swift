import Foundation

/// Evaluates conditions against evidence. Absent values make comparisons false (and `not` true).
public struct Evaluator {
    let evidence: Evidence

    public init(evidence: Evidence) { self.evidence = evidence }

    public func holds(_ c: Condition, element: JSONValue? = nil) -> Bool {
        switch c {
        case .all(let cs): return cs.allSatisfy { holds($0, element: element) }
        case .any(let cs): return cs.contains { holds($0, element: element) }
        case .not(let inner): return !holds(inner, element: element)
        case .some(let path, let w):
            guard let items = evidence.resolve(path)?.arrayValue else { return false }
            return items.contains { holds(w, element: $0) }
        case .every(let path, let w):
            guard let items = evidence.resolve(path)?.arrayValue, !items.isEmpty else { return false }
            return items.allSatisfy { holds(w, element: $0) }
        case .compare(let op, let l, let r):
            let lv = value(l, element: element)
            if op == .exists { return lv != nil }
            guard let lv, let r, let rv = value(r, element: element) else { return false }
            return compare(op, lv, rv)
        }
    }

    func compare(_ op: CompareOp, _ l: JSONValue, _ r: JSONValue) -> Bool {
        switch op {
        case .eq: return Evaluator.equal(l, r)
        case .ne: return !Evaluator.equal(l, r)
        case .lt, .le, .gt, .ge:
            guard let a = l.doubleValue, let b = r.doubleValue else { return false }
            switch op { case .lt: return a < b; case .le: return a <= b; case .gt: return a > b; default: return a >= b }
        case .in: return r.arrayValue?.contains { Evaluator.equal(l, $0) } ?? false
        case .contains:
            if case .string(let s) = l, let sub = r.stringValue { return s.localizedCaseInsensitiveContains(sub) }
            if case .array(let a) = l { return a.contains { Evaluator.equal($0, r) } }
            return false
        case .matches:
            guard let pattern = r.stringValue, let re = try? NSRegularExpression(pattern: pattern) else { return false }
            func m(_ s: String) -> Bool { re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
            if case .string(let s) = l { return m(s) }
            if case .array(let a) = l { return a.contains { $0.stringValue.map(m) ?? false } }
            return false
        case .exists: return true
        }
    }

    /// Equality with strings compared case-insensitively (engines disagree on "CPU" vs "cpu").
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if case .string(let x) = a, case .string(let y) = b { return x.caseInsensitiveCompare(y) == .orderedSame }
        return a == b
    }

    public func value(_ e: ValueExpr, element: JSONValue? = nil) -> JSONValue? {
        switch e {
        case .literal(let v): return v
        case .path(let p):
            if p == "@" { return element }
            if p.hasPrefix("@.") { return element?.at(String(p.dropFirst(2))).flatMap { $0.isNull ? nil : $0 } }
            return evidence.resolve(p)
        case .length(let inner):
            switch value(inner, element: element) {
            case .array(let a)?: return .number(Double(a.count))
            case .object(let o)?: return .number(Double(o.count))
            case .string(let s)?: return .number(Double(s.count))
            default: return nil
            }
        case .arithmetic(let op, let args):
            var nums: [Double] = []
            for a in args {
                guard let d = value(a, element: element)?.doubleValue else { return nil }
                nums.append(d)
            }
            let r: Double
            switch op {
            case .add: r = nums.reduce(0, +)
            case .sub: r = nums.dropFirst().reduce(nums[0], -)
            case .mul: r = nums.reduce(1, *)
            case .div:
                guard !nums.dropFirst().contains(0) else { return nil }
                r = nums.dropFirst().reduce(nums[0], /)
            case .min: r = nums.min()!
            case .max: r = nums.max()!
            }
            return r.isFinite ? .number(r) : nil
        }
    }
}
