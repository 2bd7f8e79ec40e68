import Foundation
import GGUF

extension ModelInspection {
    /// The JSON document (pretty, sorted keys) of docs/inspect-schema.md.
    public func jsonString() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    /// The human-readable report of `bitnet-doctor inspect`.
    public func text() -> String {
        var lines = [String]()
        func row(_ k: String, _ v: String?) { lines.append(k.padding(toLength: 18, withPad: " ", startingAt: 0) + (v ?? "-")) }
        func n(_ x: Int?) -> String? { x.map(String.init) }
        row("model", [name, architecture.map { "(\($0))" }].compactMap { $0 }.joined(separator: " "))
        row("file", "\(file.path ?? "-")  \(Self.bytes(file.sizeBytes))  GGUF v\(file.ggufVersion)  \(file.identity)")
        let s = shape
        row("shape", "layers \(n(s.layers) ?? "?"), hidden \(n(s.hidden) ?? "?"), ffn \(n(s.ffn) ?? "?"), heads \(n(s.heads) ?? "?")/\(n(s.kvHeads) ?? "?") kv, head dim \(n(s.headDim) ?? "?")")
        row("", "vocab \(n(s.vocab) ?? "?"), context \(n(s.context) ?? "?"), rope base \(s.ropeBase.map { Self.num($0) } ?? "?"), eps \(s.eps.map { String(format: "%g", $0) } ?? "?")")
        row("parameters", Self.count(parameters))
        row("ternary weights", ternaryDescription ?? "none")
        if let t = tlScale {
            row("tl scales", t == "tensor" ? "separate <name>_scale F32 tensors" : "in a 32-byte tail of each tensor (as bitnet.cpp writes them)")
        }
        for (i, c) in (tlConfigs ?? []).enumerated() {
            let config = c.bm.map { "BM \($0), BK \(c.bk ?? 0), bm \(c.bmm ?? 0)" } ?? "no configuration (needs --tl-config)"
            row(i == 0 ? "tl configs" : "", "\(c.format.uppercased()) \(c.rows)×\(c.cols): \(config)  (\(c.source))")
        }
        if let p = i2sInterleaveProbe {
            let detail = p.method == "metadata" ? "recorded in the file (bitnet_doctor.i2_s.interleave)"
                : "probe: perplexity " + p.perplexities.sorted { Int($0.key)! > Int($1.key)! }
                    .map { "\($0.key) → \(String(format: "%.2f", $0.value))" }.joined(separator: ", ") + " over \(p.tokens) tokens"
            row("i2_s interleave", "\(p.chosen)  (\(detail))")
        }
        row("embedding", embeddingType.map { "\($0.uppercased())\(tiedEmbeddings ? " (tied: also the output head)" : "")" })
        if !tiedEmbeddings, let h = headType { row("output head", h.uppercased()) }
        let b = bytesPerTokenBreakdown
        row("bytes per token", "\(Self.bytes(bytesPerToken))  (ternary \(Self.bytes(b.ternary)), head \(Self.bytes(b.head)), other \(Self.bytes(b.other + b.embeddingRow)))")
        lines.append("formats")
        for f in formats {
            lines.append("  " + f.name.padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(f.tensors).leftPad(5) + " tensors  " + Self.bytes(f.bytes).leftPad(10) + "  " + f.description)
        }
        let t = tokenizer
        row("tokenizer", "\(t.model ?? "none"), pre \(t.pre ?? "(missing)"), vocab \(n(t.vocabSize) ?? "?"), merges \(n(t.merges) ?? "0")")
        row("", "BOS \(n(t.bos) ?? "-")\(t.addBos == true ? " (added)" : ""), EOS \(n(t.eos) ?? "-"), chat template \(chatTemplate ? "yes" : "no")")
        lines.append("compatibility")
        for e in ModelInspector.engines {
            guard let v = compatibility[e] else { continue }
            lines.append("  " + e.padding(toLength: 14, withPad: " ", startingAt: 0) + (v.ok ? "ok   " : "NO   ") + v.reason)
        }
        if !warnings.isEmpty {
            lines.append("warnings")
            for w in warnings { lines.append("  - \(w.message) [\(w.id)]") }
        }
        return lines.joined(separator: "\n")
    }

    static func bytes(_ b: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(b), u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        return u == 0 ? "\(b) B" : String(format: "%.2f %@", v, units[u])
    }

    static func count(_ c: Int) -> String {
        if c >= 1_000_000_000 { return String(format: "%.2f B", Double(c) / 1e9) + " (\(c))" }
        if c >= 1_000_000 { return String(format: "%.1f M", Double(c) / 1e6) + " (\(c))" }
        return String(c)
    }

    static func num(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }
}

extension ModelInspection {
    public static func tensorEntries(_ f: GGUFFile) -> [TensorEntry] {
        f.tensors.map { .init(name: $0.name, type: $0.type.format.rawValue, typeId: $0.typeID, dims: $0.dims, bytes: $0.byteCount, offset: $0.offset) }
    }

    public static func metadataEntries(_ f: GGUFFile) -> [MetadataEntry] {
        f.metadata.entries.map { e in
            var v = e.value.description
            if v.count > 200 { v = String(v.prefix(197)) + "..." }
            return .init(key: e.key, type: e.value.type.description, value: v)
        }
    }
}

/// Listings for `inspect --tensors` and `--kv`.
public enum InspectListing {
    public static func tensors(_ f: GGUFFile) -> String {
        f.tensors.map { t in
            t.name.padding(toLength: 32, withPad: " ", startingAt: 0) + " " + t.type.name.padding(toLength: 13, withPad: " ", startingAt: 0)
                + ("[" + t.dims.map(String.init).joined(separator: ", ") + "]").padding(toLength: 20, withPad: " ", startingAt: 0)
                + String(t.byteCount).leftPad(12) + " bytes @ " + String(t.offset)
        }.joined(separator: "\n")
    }

    public static func keyValues(_ f: GGUFFile) -> String {
        f.metadata.entries.map { e in
            var v = e.value.description
            if v.count > 120 { v = String(v.prefix(117)) + "..." }
            v = v.replacingOccurrences(of: "\n", with: "\\n")
            return e.key.padding(toLength: 44, withPad: " ", startingAt: 0) + " " + e.value.type.description.padding(toLength: 7, withPad: " ", startingAt: 0) + v
        }.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
