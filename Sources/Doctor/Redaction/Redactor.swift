import Foundation

/// One redaction: where, what kind of thing, why, how many times. Never the value.
public struct Redaction: Sendable, Equatable {
    public var location: String
    public var kind: String
    public var reason: String
    public var count: Int
}

/// Removes secrets and identifying data from text and JSON, by variable name and by value pattern.
public struct Redactor: Sendable {
    public static let placeholder = "[REDACTED]"

    struct Pattern: @unchecked Sendable {
        var regex: NSRegularExpression
        var template: String
        var kind: String
        var reason: String
    }

    var patterns: [Pattern]

    public static let standard = Redactor(hostnames: [], users: [])

    /// A redactor that also removes the given host names and user names wherever they appear as words.
    public init(hostnames: [String], users: [String]) {
        var p = Redactor.valuePatterns
        let boring: Set<String> = ["localhost", "root", "user", "admin", "ubuntu", "runner", "nobody", ""]
        for h in Set(hostnames) where h.count >= 2 && !boring.contains(h.lowercased()) {
            p.append(Redactor.literal(h, template: "[hostname]", kind: "host name", reason: "identifies the machine"))
        }
        for u in Set(users) where u.count >= 2 && !boring.contains(u.lowercased()) {
            p.append(Redactor.literal(u, template: "[user]", kind: "user name", reason: "identifies a person"))
        }
        patterns = p
    }

    static func literal(_ s: String, template: String, kind: String, reason: String) -> Pattern {
        let re = try! NSRegularExpression(pattern: "(?<![A-Za-z0-9_.-])" + NSRegularExpression.escapedPattern(for: s) + "(?![A-Za-z0-9_-])")
        return Pattern(regex: re, template: template, kind: kind, reason: reason)
    }

    static let valuePatterns: [Pattern] = {
        let specs: [(String, String, String, String)] = [
            ("\\bhf_[A-Za-z0-9]{20,}", "[REDACTED]", "Hugging Face token", "access token"),
            ("\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})", "[REDACTED]", "GitHub token", "access token"),
            ("\\bglpat-[A-Za-z0-9_-]{20,}", "[REDACTED]", "GitLab token", "access token"),
            ("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b", "[REDACTED]", "AWS access key id", "cloud credential"),
            ("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+", "[REDACTED]", "JSON Web Token", "bearer credential"),
            ("\\bsk-[A-Za-z0-9_-]{20,}", "[REDACTED]", "API key", "access token"),
            ("\\bxox[abprs]-[A-Za-z0-9-]{10,}", "[REDACTED]", "Slack token", "access token"),
            ("(?i)\\b([A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)[A-Z0-9_]*)\\s*[=:]\\s*(?!\\[REDACTED\\])\\S+",
             "$1=[REDACTED]", "secret assignment", "value of a secret-named variable"),
            ("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@", "$1[REDACTED]@", "URL credentials", "password in a URL"),
            ("(/home/|/Users/)(?!\\[user\\])[^/\\s\"']+", "$1[user]", "home-directory user name", "identifies a person"),
            ("\\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\\b", "[MAC]", "MAC address", "identifies a network interface"),
            ("\\b(?!(?:127\\.0\\.0\\.1|0\\.0\\.0\\.0)\\b)(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\b",
             "[IP]", "IPv4 address", "identifies a host or network"),
            ("\\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\\b|\\b[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?\\b",
             "[IP]", "IPv6 address", "identifies a host or network"),
        ]
        return specs.map { Pattern(regex: try! NSRegularExpression(pattern: $0.0), template: $0.1, kind: $0.2, reason: $0.3) }
    }()

    /// Whether an environment variable's name says it holds a secret.
    public static func isSecretName(_ name: String) -> Bool {
        name.range(of: "(?i)(TOKEN|SECRET|PASSW|API_?KEY|ACCESS_?KEY|PRIVATE|CREDENTIAL|AUTH|COOKIE|SESSION|SIGNATURE|_KEY$|^KEY$)",
                   options: .regularExpression) != nil
    }

    /// Redacts a string, logging what was removed at `location`.
    public func redact(_ s: String, location: String, log: inout [Redaction]) -> String {
        var text = s
        for p in patterns {
            let range = NSRange(text.startIndex..., in: text)
            let n = p.regex.numberOfMatches(in: text, range: range)
            guard n > 0 else { continue }
            text = p.regex.stringByReplacingMatches(in: text, range: range, withTemplate: p.template)
            Redactor.record(&log, Redaction(location: location, kind: p.kind, reason: p.reason, count: n))
        }
        return text
    }

    public func redactValue(_ s: String) -> String {
        var log: [Redaction] = []
        return redact(s, location: "", log: &log)
    }

    /// Redacts a JSON tree: members with secret names lose their value; every string is scanned.
    public func redact(_ v: JSONValue, location: String, log: inout [Redaction], path: String = "$") -> JSONValue {
        switch v {
        case .string(let s): return .string(redact(s, location: "\(location) \(path)", log: &log))
        case .array(let a): return .array(a.enumerated().map { redact($1, location: location, log: &log, path: "\(path)[\($0)]") })
        case .object(let o):
            var out: [String: JSONValue] = [:]
            for (k, x) in o {
                if Redactor.isSecretName(k), x.stringValue.map({ $0 != Redactor.placeholder }) ?? false {
                    out[k] = .string(Redactor.placeholder)
                    Redactor.record(&log, Redaction(location: "\(location) \(path).\(k)", kind: "secret-named variable",
                                                    reason: "the name says it holds a secret", count: 1))
                } else {
                    out[k] = redact(x, location: location, log: &log, path: "\(path).\(k)")
                }
            }
            return .object(out)
        default: return v
        }
    }

    static func record(_ log: inout [Redaction], _ r: Redaction) {
        if let i = log.firstIndex(where: { $0.location == r.location && $0.kind == r.kind }) { log[i].count += r.count }
        else { log.append(r) }
    }
}
