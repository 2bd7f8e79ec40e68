import Foundation

/// Our own receipt already uses the core paths; this fills the derived core fields it may leave implicit.
enum OurReceipt {
    static func normalise(_ v: JSONValue) -> JSONValue {
        var r = v
        r["source_format"] = .string(ReceiptFormat.bitnetDoctor.rawValue)
        if r["engine"] == nil { r["engine"] = "bitnet-doctor" }
        // Per-token decode times (ms) give repetitions' spread when no samples are listed.
        if r["samples_tokens_per_second"] == nil, let ms = v["decode_ms"]?.arrayValue?.compactMap(\.doubleValue),
           ms.count >= 2, !ms.contains(where: { $0 <= 0 }) {
            r["samples_tokens_per_second"] = .array(ms.map { .number(1000 / $0) })
        }
        if let f = r.at("model.format")?.stringValue { r.set(["model", "format"], to: .string(ReceiptReader.canonicalFormat(f))) }
        return r
    }
}
