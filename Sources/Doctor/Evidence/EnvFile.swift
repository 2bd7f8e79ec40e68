import Foundation

/// `KEY=VALUE` files (`--env-file`): `#` comments, optional `export `, optional single or double quotes.
public enum EnvFile {
    public static func parse(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq]).trimmingCharacters(in: .whitespaces)
            guard key.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else { continue }
            var value = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
                value = String(value.dropFirst().dropLast())
            }
            out[key] = value
        }
        return out
    }

    /// Variables that set thread counts in the engines we diagnose.
    public static let threadVariables = ["RAYON_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                         "OPENBLAS_NUM_THREADS", "GGML_N_THREADS", "LLAMA_ARG_THREADS"]

    /// Puts an environment into the facts families: `environment.variables` (secrets redacted by name),
    /// `environment.redacted`, `cores.thread_env` and `software.rustflags`.
    public static func overlay(_ env: [String: String], onto families: JSONValue) -> JSONValue {
        var fams = families
        let source = "--env-file"
        func ok(_ v: JSONValue) -> JSONValue { ["value": v, "status": "ok", "source": .string(source)] }
        var vars: [String: JSONValue] = [:]
        var redacted: [String] = []
        for (k, v) in env {
            if Redactor.isSecretName(k) { redacted.append(k); vars[k] = .string(Redactor.placeholder) }
            else { vars[k] = .string(Redactor.standard.redactValue(v)) }
        }
        fams.set(["environment", "variables"], to: ok(.object(vars)))
        fams.set(["environment", "redacted"], to: ok(JSONValue(redacted.sorted())))
        var threads: [String: JSONValue] = [:]
        for k in threadVariables { if let v = env[k] { threads[k] = .string(v) } }
        fams.set(["cores", "thread_env"], to: ok(.object(threads)))
        if let f = env["RUSTFLAGS"] { fams.set(["software", "rustflags"], to: ok(.string(f))) }
        return fams
    }
}
