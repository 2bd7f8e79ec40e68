import Foundation
import GGUF

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

    /// `--hugepages`, first choice: the file map itself in 2 MiB pages, no copy. The map is 2 MiB-aligned and advised
    /// for huge pages (`GGUFStorage`); where the page cache already holds the file in 2 MiB folios (an earlier run
    /// read it through such a map) populating it is enough, else the file's clean page cache is dropped and read
    /// again through the map, once (later runs find the folios). Nil, and the copy is the fallback, where the kernel
    /// or filesystem gives no huge file mappings, for files under `fileMinimumBytes` (their partial 2 MiB ends would
    /// dominate), or where THP is "never".
    static func mapFile(_ storage: GGUFStorage, thpMode: String?) -> String? {
        guard storage.path != nil, storage.count >= fileMinimumBytes, thpMode == "always" || thpMode == "madvise" else { return nil }
        func huge() -> Bool {
            guard let p = storage.mappedPages() else { return false }
            return Double(p.hugeBytes) >= fileMinimumShare * Double(storage.count)
        }
        let t0 = DispatchTime.now()
        guard storage.populate() else { return nil }
        if huge() { return "file mapping in 2 MiB pages (--hugepages: the page cache held 2 MiB folios)" }
        guard storage.dropPageCache(), storage.populate(), huge() else { return nil }
        let s = Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9
        return "file mapping in 2 MiB pages (--hugepages: page cache re-read into 2 MiB folios in \(String(format: "%.1f", s)) s)"
    }

    /// Files smaller than this take the copy (32 MiB: sixteen 2 MiB pages).
    static let fileMinimumBytes = 32 << 20
    /// The share of the file that must be mapped by 2 MiB entries for the file map to count as huge.
    static let fileMinimumShare = 0.9
}
