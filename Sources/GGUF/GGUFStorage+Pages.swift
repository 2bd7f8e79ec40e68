#if canImport(Glibc)
import Glibc
#endif

/// How a file map is backed right now, from the kernel's own accounting (/proc/self/smaps).
public struct MappedPages: Sendable, Equatable, Codable {
    /// Bytes of the map present in memory (`Rss`).
    public var residentBytes: Int
    /// Of those, bytes mapped by 2 MiB page-table entries (`FilePmdMapped`).
    public var hugeBytes: Int
    enum CodingKeys: String, CodingKey {
        case residentBytes = "resident_bytes"
        case hugeBytes = "huge_bytes"
    }
    public init(residentBytes: Int, hugeBytes: Int) {
        self.residentBytes = residentBytes
        self.hugeBytes = hugeBytes
    }

    /// The entry of /proc/PID/smaps for the map that starts at `start`, or nil when there is none (or no
    /// `Rss`/`FilePmdMapped` lines: kernels before 4.18 have no FilePmdMapped and report 0 huge bytes then).
    public static func parse(smaps: String, start: UInt) -> MappedPages? {
        var inside = false, rss: Int? = nil, huge = 0
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            if let dash = line.firstIndex(of: "-"), line.first?.isHexDigit == true,
               let space = line.firstIndex(of: " "), dash < space {
                if inside { break }
                inside = UInt(line[line.startIndex..<dash], radix: 16) == start
                continue
            }
            guard inside else { continue }
            if line.hasPrefix("Rss:") { rss = kilobytes(line) }
            if line.hasPrefix("FilePmdMapped:") { huge = kilobytes(line) ?? 0 }
        }
        return rss.map { MappedPages(residentBytes: $0, hugeBytes: min(huge, $0)) }
    }

    private static func kilobytes(_ line: Substring) -> Int? {
        let fields = line.split(separator: " ")
        guard fields.count >= 3, fields[2] == "kB", let kb = Int(fields[1]) else { return nil }
        return kb * 1024
    }
}

extension GGUFStorage {
    /// How this file map is backed now (nil for in-memory input or where /proc/self/smaps is unreadable).
    public func mappedPages() -> MappedPages? {
        guard path != nil, let text = Self.readSmaps() else { return nil }
        return MappedPages.parse(smaps: text, start: UInt(bitPattern: base))
    }

    /// Reads the whole file into the page cache and maps it (MADV_POPULATE_READ, Linux 5.14+); false where the
    /// kernel does not have it (then pages come in as decode touches them, as before).
    @discardableResult
    public func populate() -> Bool {
        guard path != nil else { return false }
        return madvise(UnsafeMutableRawPointer(mutating: base), count, 22) == 0 // MADV_POPULATE_READ
    }

    /// Unmaps this map's pages and asks the kernel to drop the file's clean page cache (pages other processes map
    /// stay), so that `populate` reads the file again through this huge-page-advised map: into 2 MiB folios where
    /// the kernel and filesystem have them. The file's bytes do not change; they are read again from disk.
    public func dropPageCache() -> Bool {
        guard let path else { return false }
        guard madvise(UnsafeMutableRawPointer(mutating: base), count, MADV_DONTNEED) == 0 else { return false }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0
    }

    static func readSmaps() -> String? {
        // Sized reads: /proc files report size 0; a process with many maps has a long smaps, so read to EOF.
        let fd = open("/proc/self/smaps", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
            if out.count > 256 << 20 { return nil }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
