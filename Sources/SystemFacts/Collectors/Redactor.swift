import Foundation

/// Decides whether an environment variable looks secret, by its name or by its value.
public enum Redactor {
    public static let placeholder = "<redacted>"

    static let secretNameParts = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE", "CREDENTIAL", "API_KEY",
                                  "APIKEY", "ACCESS_KEY", "PRIVATE", "AUTH", "COOKIE", "SESSION", "SIGNATURE"]

    static let secretValuePatterns: [NSRegularExpression] = [
        #"hf_[A-Za-z0-9]{20,}"#,                          // Hugging Face
        #"gh[pousr]_[A-Za-z0-9]{20,}"#, #"github_pat_[A-Za-z0-9_]{20,}"#, // GitHub
        #"glpat-[A-Za-z0-9_\-]{20,}"#,                     // GitLab
        #"(AKIA|ASIA)[0-9A-Z]{16}"#,                       // AWS access key id
        #"sk-[A-Za-z0-9_\-]{20,}"#,                        // OpenAI-style
        #"xox[abprs]-[A-Za-z0-9\-]{10,}"#,                 // Slack
        #"eyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*"#, // JWT
        #"[A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@]+:[^/\s@]+@"#, // URL credentials
        #"-----BEGIN [A-Z ]*PRIVATE KEY-----"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    /// Whether the name says it holds a secret (TOKEN, SECRET, KEY, PASSWORD, …).
    public static func isSecretName(_ name: String) -> Bool {
        let u = name.uppercased()
        if secretNameParts.contains(where: u.contains) { return true }
        // KEY as a word: HF_KEY, KEY_ID, MY_KEY_FILE — but not KEYBOARD or MONKEY.
        return u.split(separator: "_").contains { $0 == "KEY" || $0 == "KEYS" }
    }

    /// Whether the value looks like a credential.
    public static func isSecretValue(_ value: String) -> Bool {
        let r = NSRange(location: 0, length: (value as NSString).length)
        return secretValuePatterns.contains { $0.firstMatch(in: value, range: r) != nil }
    }

    /// The placeholder when the variable looks secret, otherwise nil.
    public static func redact(name: String, value: String) -> String? {
        isSecretName(name) || isSecretValue(value) ? placeholder : nil
    }
}
