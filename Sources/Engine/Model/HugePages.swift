import Foundation

/// Whether weight matrices are copied at load into 2 MiB transparent huge pages (`ModelOptions.hugePages`, opt-in:
/// the copy costs load time, 0.1-0.3 s per GB on a warm host but 1-2.5 s per GB where a VM's balloon has handed free
/// memory back to the host, so it is not the default). `decide` turns a request down, with the reason, where the copy
/// cannot help or does not fit.
struct HugePages {
    /// The bracketed mode of /sys/kernel/mm/transparent_hugepage/enabled ("always", "madvise", "never"), nil when
    /// the file is absent (no THP in this kernel) or unreadable.
    static func thpMode(root: String = "") -> String? {
        guard let s = try? String(contentsOfFile: root + "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8),
              let open = s.firstIndex(of: "["), let close = s[open...].firstIndex(of: "]") else { return nil }
        return String(s[s.index(after: open)..<close])
    }

    /// The decision and its reason (recorded in the receipt's `weight_layouts` either way).
    struct Decision: Equatable {
        var copy: Bool
        var reason: String
        static let notRequested = Decision(copy: false, reason: "not requested")
    }

    /// A request is honoured for a file-backed model when THP is "always" or "madvise" and MemAvailable holds the
    /// copy next to the file's page cache (file + KV cache + the copy: twice the file plus the KV cache).
    static func decide(requested: Bool, fileBacked: Bool, fileBytes: Int, kvBytes: Int, thpMode: String?,
                       availableBytes: Int?) -> Decision {
        guard requested else { return .notRequested }
        guard fileBacked else { return Decision(copy: false, reason: "--hugepages declined: not a file") }
        guard let mode = thpMode, mode == "always" || mode == "madvise" else {
            return Decision(copy: false, reason: "--hugepages declined: transparent huge pages \(thpMode ?? "not available")")
        }
        if let avail = availableBytes, avail < 2 * fileBytes + kvBytes {
            return Decision(copy: false, reason: "--hugepages declined: MemAvailable \(avail >> 20) MiB < twice the file + KV cache")
        }
        return Decision(copy: true, reason: "--hugepages, THP \(mode)")
    }
}
