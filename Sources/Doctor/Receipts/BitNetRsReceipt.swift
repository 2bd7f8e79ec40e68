import Foundation

/// BitNet.rs `ci/inference.json`: schema_version, compute_path, backend, kernels, deterministic,
/// tokens_generated, tokens_requested, tokens_per_second (older: throughput_tokens_per_sec), quantization,
/// model ({path} or a string), environment ({BITNET_VERSION, OS, RUST_VERSION, ...}), timestamp.
enum BitNetRsReceipt {
    static func normalise(_ v: JSONValue) -> JSONValue {
        var r: JSONValue = ["engine": "bitnet.rs", "source_format": .string(ReceiptFormat.bitnetRs.rawValue)]
        for k in ["backend", "compute_path", "kernels", "deterministic", "tokens_generated", "tokens_requested", "timestamp"] {
            if let x = v[k], !x.isNull { r[k] = x }
        }
        r["tokens_per_second"] = v["tokens_per_second"] ?? v["throughput_tokens_per_sec"] ?? .null
        if let s = v["schema_version"]?.stringValue { r["engine_version"] = .string("receipt schema \(s)") }
        var model: JSONValue = [:]
        if let p = v.at("model.path")?.stringValue ?? v["model"]?.stringValue { model["path"] = .string(p) }
        let kernels = v["kernels"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if let q = v["quantization"]?.stringValue ?? v.at("model.quantization")?.stringValue {
            model["format"] = .string(ReceiptReader.canonicalFormat(q))
        }
        // The kernel ids say which I2_S decoder ran: BitNet.rs names the official layout "QK256".
        if kernels.contains(where: { $0.lowercased().contains("qk256") }) { model["format"] = "i2_s_qk256" }
        else if model["format"] == nil, kernels.contains(where: { $0.lowercased().hasPrefix("i2s") }) { model["format"] = "i2_s" }
        r["model"] = model
        var env: [String: JSONValue] = [:]
        for (k, x) in v["environment"]?.objectValue ?? [:] { env[k] = .string(x.display) }
        r["environment"] = .object(env)
        if let t = env["RAYON_NUM_THREADS"]?.stringValue, let n = Double(t) { r["threads"] = .number(n) }
        if let flags = env["RUSTFLAGS"]?.stringValue { r["native_cpu"] = .bool(flags.contains("target-cpu=native")) }
        if let b = env["BUILD_PROFILE"]?.stringValue ?? env["PROFILE"]?.stringValue { r["build"] = .string(b.lowercased()) }
        else { r["build"] = "unknown" }
        if kernels.contains(where: { $0.lowercased().contains("scalar") }) { r["simd"] = "scalar" }
        return r
    }
}
