/// environment: allow-listed variables that change how engines run, with secrets redacted.
enum EnvironmentCollector {
    static let collector = Collector(family: "environment", factNames: ["variables", "redacted"], collect: collect)

    public static let allowedPrefixes = ["RAYON_", "BITNET_", "OMP_", "MKL_", "GGML_", "LLAMA_", "CUDA_", "RUST",
                                         "NVIDIA_"]

    static func collect(_ ctx: CollectContext) -> FactFamily {
        var f = FactFamily("environment")
        var vars: [String: FactValue] = [:]
        var redacted: [String] = []
        for (k, v) in ctx.env.variables where allowedPrefixes.contains(where: { k.hasPrefix($0) }) {
            if let r = Redactor.redact(name: k, value: v) {
                vars[k] = .string(r)
                redacted.append(k)
            } else {
                vars[k] = .string(v)
            }
        }
        let src = ctx.env.origin
        f["variables"] = .ok(.object(vars), src)
        f["redacted"] = .ok(.strings(redacted.sorted()), src)
        return f
    }
}
