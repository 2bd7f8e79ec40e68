import Foundation

/// Receipt formats the doctor reads (docs/report.md lists the fields each one maps).
public enum ReceiptFormat: String, Sendable, CaseIterable {
    /// Ours (the Engine's receipt): already uses the core receipt paths.
    case bitnetDoctor = "bitnet-doctor"
    /// BitNet.rs `ci/inference.json` (schema_version 1.x).
    case bitnetRs = "bitnet.rs"
    /// llama-bench `-o json` (an array) or `-o jsonl` (one object a line), from llama.cpp or bitnet.cpp.
    case llamaBench = "llama-bench"
}

public struct ReceiptError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

/// Reads a receipt file of any supported format into the normalised core receipt paths.
public enum ReceiptReader {
    public static func read(_ url: URL) throws(ReceiptError) -> JSONValue {
        guard let data = try? Data(contentsOf: url) else { throw ReceiptError(file: url.path, message: "cannot read file") }
        guard data.count < 64 << 20 else { throw ReceiptError(file: url.path, message: "file larger than 64 MiB") }
        return try normalise(data: data, file: url.path)
    }

    public static func normalise(data: Data, file: String) throws(ReceiptError) -> JSONValue {
        let text = String(decoding: data, as: UTF8.self)
        let value: JSONValue
        do { value = try JSONParser.parse(text).value } catch {
            // llama-bench -o jsonl: one object per line.
            var rows: [JSONValue] = []
            for (n, line) in text.split(separator: "\n").enumerated() {
                let t = line.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { continue }
                guard let v = try? JSONParser.parse(t).value, v.objectValue != nil else {
                    throw ReceiptError(file: file, message: "not JSON: \(error.description) (and line \(n + 1) is not a JSONL object)")
                }
                rows.append(v)
            }
            guard !rows.isEmpty else { throw ReceiptError(file: file, message: "empty file") }
            return try normalise(.array(rows), file: file)
        }
        return try normalise(value, file: file)
    }

    public static func detect(_ v: JSONValue) -> ReceiptFormat? {
        if let rows = v.arrayValue, let first = rows.first, first["avg_ts"] != nil || first["n_gen"] != nil { return .llamaBench }
        if v["avg_ts"] != nil, v["n_gen"] != nil { return .llamaBench }
        if v["schema"]?.stringValue?.hasPrefix("bitnet-doctor") == true { return .bitnetDoctor }
        if let e = v["engine"]?.stringValue, e.lowercased().hasPrefix("bitnet-doctor") { return .bitnetDoctor }
        if v["schema_version"] != nil, v["compute_path"] != nil || v["kernels"] != nil
            || v["throughput_tokens_per_sec"] != nil { return .bitnetRs }
        return nil
    }

    public static func normalise(_ v: JSONValue, file: String) throws(ReceiptError) -> JSONValue {
        switch detect(v) {
        case .llamaBench?: return try LlamaBenchReceipt.normalise(v, file: file)
        case .bitnetRs?: return BitNetRsReceipt.normalise(v)
        case .bitnetDoctor?: return OurReceipt.normalise(v)
        case nil:
            throw ReceiptError(file: file, message: "unknown receipt format (expected a bitnet-doctor receipt, BitNet.rs ci/inference.json, or llama-bench JSON/JSONL)")
        }
    }

    /// Canonical format id for a format name in any engine's words.
    public static func canonicalFormat(_ s: String) -> String {
        let l = s.lowercased()
        if l.contains("qk256") { return "i2_s_qk256" }
        if l.contains("bitnet32") { return "bitnet32_f16" }
        for f in ["i2_s", "i2s", "tq1_0", "tq2_0", "tl1", "tl2", "iq2_s", "q4_0", "q4_1", "q4_k", "q5_k", "q6_k", "q8_0", "bf16", "f16", "f32"] {
            if l.range(of: "(^|[^a-z0-9])\(f)([^a-z0-9]|$)", options: .regularExpression) != nil {
                return f == "i2s" ? "i2_s" : f
            }
        }
        return l
    }
}
