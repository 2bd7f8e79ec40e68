import Foundation

/// llama-bench output (`-o json` array or `-o jsonl` lines). Each row is one test: prompt processing
/// (n_prompt > 0, n_gen = 0) or generation (n_gen > 0). Fields used: build_commit, build_number, cpu_info,
/// gpu_info, backends, model_filename, model_type, model_size, n_threads, n_gpu_layers, use_mmap, n_prompt,
/// n_gen, avg_ts, stddev_ts, samples_ts.
enum LlamaBenchReceipt {
    static func normalise(_ v: JSONValue, file: String) throws(ReceiptError) -> JSONValue {
        let rows = v.arrayValue ?? [v]
        guard !rows.isEmpty else { throw ReceiptError(file: file, message: "llama-bench output has no rows") }
        // With several thread counts (-t 1,2) there is one row per test and count: the receipt describes the
        // slowest decode row (and the prefill row of the same thread count), so a gate never passes on the
        // best row while another is broken; every row stays listed under `rows`.
        let slowest: ([JSONValue]) -> JSONValue? = { $0.min { ($0["avg_ts"]?.doubleValue ?? 0) < ($1["avg_ts"]?.doubleValue ?? 0) } }
        let gen = slowest(rows.filter { ($0["n_gen"]?.doubleValue ?? 0) > 0 && ($0["n_prompt"]?.doubleValue ?? 0) == 0 })
            ?? slowest(rows.filter { ($0["n_gen"]?.doubleValue ?? 0) > 0 })
        let prefillRows = rows.filter { ($0["n_prompt"]?.doubleValue ?? 0) > 0 && ($0["n_gen"]?.doubleValue ?? 0) == 0 }
        let pp = prefillRows.first { $0["n_threads"] == gen?["n_threads"] } ?? slowest(prefillRows)
        guard let main = gen ?? pp else { throw ReceiptError(file: file, message: "llama-bench rows have neither n_gen nor n_prompt") }
        let modelType = main["model_type"]?.stringValue ?? ""
        let format = ReceiptReader.canonicalFormat(modelType)
        let bitnetCpp = ["i2_s", "tl1", "tl2"].contains(format)
        var r: JSONValue = ["source_format": .string(ReceiptFormat.llamaBench.rawValue),
                            "engine": .string(bitnetCpp ? "bitnet.cpp" : "llama.cpp")]
        let commit = main["build_commit"]?.stringValue, number = main["build_number"]?.doubleValue
        if commit != nil || number != nil {
            r["engine_version"] = .string([commit, number.map { "build \(JSONValue.format($0))" }].compactMap { $0 }.joined(separator: " "))
        }
        r["backend"] = .string(backend(main))
        r["threads"] = main["n_threads"] ?? .null
        r["gpu_layers"] = main["n_gpu_layers"] ?? .null
        if let m = main["use_mmap"] { r["use_mmap"] = m.boolValue.map { .bool($0) } ?? .bool((m.doubleValue ?? 1) != 0) }
        r["cpu_info"] = main["cpu_info"] ?? .null
        r["gpu_info"] = main["gpu_info"] ?? .null
        r["build"] = "unknown"
        if let gen {
            r["tokens_generated"] = gen["n_gen"] ?? .null
            r["tokens_requested"] = gen["n_gen"] ?? .null
            r["tokens_per_second"] = gen["avg_ts"] ?? .null
            r["tokens_per_second_stddev"] = gen["stddev_ts"] ?? .null
            r["samples_tokens_per_second"] = gen["samples_ts"] ?? .null
        }
        if let pp { r["prefill_tokens_per_second"] = pp["avg_ts"] ?? .null }
        if rows.count > 1 {
            r["rows"] = .array(rows.map { row in
                ["threads": row["n_threads"] ?? .null, "n_prompt": row["n_prompt"] ?? .null, "n_gen": row["n_gen"] ?? .null,
                 "tokens_per_second": row["avg_ts"] ?? .null, "tokens_per_second_stddev": row["stddev_ts"] ?? .null]
            })
        }
        var model: JSONValue = ["format": .string(format)]
        if let p = main["model_filename"]?.stringValue { model["path"] = .string(p) }
        r["model"] = model
        return r
    }

    /// "cpu" unless a GPU backend is compiled in and layers are offloaded to it.
    static func backend(_ row: JSONValue) -> String {
        let offloaded = (row["n_gpu_layers"]?.doubleValue ?? 0) > 0
        var names = (row["backends"]?.stringValue ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for old in ["cuda", "vulkan", "metal", "sycl", "kompute"] where row[old]?.boolValue == true { names.append(old) }
        if offloaded, let gpu = names.first(where: { ["cuda", "vulkan", "metal", "sycl", "kompute", "rpc", "hip"].contains($0) }) {
            return gpu
        }
        return "cpu"
    }
}
