import Foundation

extension RuleParser {
    /// Parses a condition; `element` is the array path when inside `some`/`every` (for `@.field` paths).
    mutating func condition(_ v: JSONValue, _ path: String, element: String?) -> Condition? {
        guard case .object(let o) = v else {
            issue(path, "expected a condition object, found \(v.typeName)")
            return nil
        }
        for key in ["all", "any"] where o[key] != nil {
            _ = object(v, path, allowed: [key])
            guard case .array(let a)? = o[key], !a.isEmpty else {
                issue(path + "." + key, "expected a non-empty array of conditions")
                return nil
            }
            var parts: [Condition] = []
            for (i, c) in a.enumerated() {
                if let pc = condition(c, "\(path).\(key)[\(i)]", element: element) { parts.append(pc) }
            }
            guard parts.count == a.count else { return nil }
            return key == "all" ? .all(parts) : .any(parts)
        }
        if let n = o["not"] {
            _ = object(v, path, allowed: ["not"])
            return condition(n, path + ".not", element: element).map { .not($0) }
        }
        for key in ["some", "every"] where o[key] != nil {
            _ = object(v, path, allowed: [key])
            let qp = path + "." + key
            guard let q = object(o[key]!, qp, allowed: ["path", "where"]) else { return nil }
            guard let arr = string(q, "path", qp) else { return nil }
            if arr.hasPrefix("@") { issue(qp + ".path", "nested element paths are not supported"); return nil }
            guard let t = registry.type(of: arr) else { issue(qp + ".path", "unknown fact path '\(arr)'"); return nil }
            if t != .array, t != .any { issue(qp + ".path", "'\(key)' needs an array, '\(arr)' is \(t.name)") }
            guard let w = q["where"] else { issue(qp, "missing condition 'where'"); return nil }
            guard let c = condition(w, qp + ".where", element: arr) else { return nil }
            return key == "some" ? .some(path: arr, where: c) : .every(path: arr, where: c)
        }
        return comparison(o, path, element: element)
    }

    mutating func comparison(_ o: [String: JSONValue], _ path: String, element: String?) -> Condition? {
        guard o["op"] != nil else {
            issue(path, "a condition needs one of all, any, not, some, every, or op")
            return nil
        }
        _ = object(.object(o), path, allowed: ["op", "path", "expr", "value"])
        guard let opName = string(o, "op", path) else { return nil }
        guard let op = CompareOp(rawValue: opName) else {
            issue(path + ".op", "unknown operator '\(opName)' (known: \(CompareOp.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        var left: (ValueExpr, FactType)?
        switch (o["path"], o["expr"]) {
        case (let p?, nil):
            guard let s = p.stringValue else { issue(path + ".path", "expected a path string, found \(p.typeName)"); return nil }
            guard let t = pathType(s, path + ".path", element: element) else { return nil }
            left = (.path(s), t)
        case (nil, let e?):
            left = expression(e, path + ".expr", element: element)
        case (nil, nil): issue(path, "missing 'path' (or 'expr') to compare"); return nil
        default: issue(path, "give either 'path' or 'expr', not both"); return nil
        }
        guard let (lhs, lt) = left else { return nil }
        if op == .exists {
            if o["value"] != nil { issue(path + ".value", "'exists' takes no value") }
            return .compare(op: .exists, left: lhs, right: nil)
        }
        guard let rv = o["value"] else { issue(path, "missing 'value' for operator '\(op.rawValue)'"); return nil }
        let vp = path + ".value"
        switch op {
        case .in:
            guard case .array(let items) = rv else { issue(vp, "'in' needs an array of literals, found \(rv.typeName)"); return nil }
            for (i, item) in items.enumerated() where !compatible(lt, FactType.of(item)) {
                issue("\(vp)[\(i)]", "type mismatch: \(item.typeName) in a list compared with \(lt.name)")
            }
            return .compare(op: .in, left: lhs, right: .literal(rv))
        case .matches:
            guard lt == .string || lt == .array || lt == .any else { issue(path, "type mismatch: 'matches' needs a string or array of strings, the left side is \(lt.name)"); return nil }
            guard let pattern = rv.stringValue else { issue(vp, "'matches' needs a regular expression string, found \(rv.typeName)"); return nil }
            if (try? NSRegularExpression(pattern: pattern)) == nil { issue(vp, "invalid regular expression '\(pattern)'"); return nil }
            return .compare(op: .matches, left: lhs, right: .literal(rv))
        case .contains:
            guard lt == .string || lt == .array || lt == .any else { issue(path, "type mismatch: 'contains' needs a string or array, the left side is \(lt.name)"); return nil }
            guard let (r, rt) = expression(rv, vp, element: element) else { return nil }
            if lt == .string, rt != .string, rt != .any { issue(vp, "type mismatch: a string contains strings, not \(rt.name)") }
            return .compare(op: .contains, left: lhs, right: r)
        case .lt, .le, .gt, .ge:
            if lt != .number, lt != .any { issue(path, "type mismatch: '\(op.rawValue)' compares numbers, the left side is \(lt.name)") }
            guard let (r, rt) = expression(rv, vp, element: element) else { return nil }
            if rt != .number, rt != .any { issue(vp, "type mismatch: '\(op.rawValue)' compares numbers, the value is \(rt.name)") }
            return .compare(op: op, left: lhs, right: r)
        case .eq, .ne:
            guard let (r, rt) = expression(rv, vp, element: element) else { return nil }
            if !compatible(lt, rt) { issue(vp, "type mismatch: \(lt.name) compared with \(rt.name)") }
            return .compare(op: op, left: lhs, right: r)
        case .exists: return nil
        }
    }

    func compatible(_ a: FactType, _ b: FactType) -> Bool { a == b || a == .any || b == .any }

    mutating func pathType(_ s: String, _ path: String, element: String?) -> FactType? {
        if s == "@" || s.hasPrefix("@.") {
            guard let element else { issue(path, "'@' paths are only valid inside 'some' or 'every'"); return nil }
            let field = s == "@" ? "" : String(s.dropFirst(2))
            guard let t = registry.elementType(array: element, field: field) else {
                issue(path, "unknown element field '\(s)' of '\(element)'")
                return nil
            }
            return t
        }
        guard let t = registry.type(of: s) else {
            issue(path, "unknown fact path '\(s)'")
            return nil
        }
        return t
    }

    /// Parses a value expression and infers its type.
    mutating func expression(_ v: JSONValue, _ path: String, element: String?) -> (ValueExpr, FactType)? {
        guard case .object(let o) = v else { return (.literal(v), FactType.of(v)) }
        guard o.count == 1, let (key, arg) = o.first else {
            issue(path, "an expression object has exactly one member: path, length, or \(ArithmeticOp.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        let ep = path + "." + key
        if key == "path" {
            guard let s = arg.stringValue else { issue(ep, "expected a path string, found \(arg.typeName)"); return nil }
            guard let t = pathType(s, ep, element: element) else { return nil }
            return (.path(s), t)
        }
        if key == "length" {
            guard let (inner, t) = expression(arg, ep, element: element) else { return nil }
            if ![.array, .object, .string, .any].contains(t) { issue(ep, "type mismatch: 'length' needs an array, object or string, found \(t.name)") }
            return (.length(inner), .number)
        }
        guard let op = ArithmeticOp(rawValue: key) else {
            issue(ep, "unknown operator '\(key)' (known: path, length, \(ArithmeticOp.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        guard case .array(let args) = arg, args.count >= 2 else {
            issue(ep, "'\(key)' needs an array of at least two operands")
            return nil
        }
        var parts: [ValueExpr] = []
        for (i, a) in args.enumerated() {
            guard let (e, t) = expression(a, "\(ep)[\(i)]", element: element) else { return nil }
            if t != .number, t != .any { issue("\(ep)[\(i)]", "type mismatch: arithmetic on \(t.name)") }
            parts.append(e)
        }
        return (.arithmetic(op, parts), .number)
    }
}
