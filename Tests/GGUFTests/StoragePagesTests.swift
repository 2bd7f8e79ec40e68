import Foundation
import Testing
import TestSupport
@testable import GGUF
#if canImport(Glibc)
import Glibc
#endif

/// The file map's page accounting (/proc/self/smaps) and the calls that read the file in and drop it again.
@Suite struct StoragePagesTests {
    /// Two maps of a real smaps (Linux 6.18), the second the model's: its Rss and FilePmdMapped, in bytes.
    static let smaps = """
        55d1c2a00000-55d1c2a21000 r--p 00000000 fd:00 1054 /usr/bin/cat
        Size:                132 kB
        Rss:                 132 kB
        FilePmdMapped:         0 kB
        7fafc4e00000-7fb00ae6d000 r--s 00000000 fd:00 3932166 /tmp/thp/m.gguf
        Size:            1159604 kB
        KernelPageSize:        4 kB
        Rss:             1160968 kB
        Pss:             1160968 kB
        AnonHugePages:         0 kB
        FilePmdMapped:   1159168 kB
        VmFlags: rd sh mr mw me ms hg
        7fb00ae6d000-7fb00ae6e000 rw-p 00000000 00:00 0
        Rss:                   4 kB
        """

    @Test func smapsEntryOfTheMapIsRead() {
        #expect(MappedPages.parse(smaps: Self.smaps, start: 0x7fafc4e00000)
                == MappedPages(residentBytes: 1_160_968 * 1024, hugeBytes: 1_159_168 * 1024))
        #expect(MappedPages.parse(smaps: Self.smaps, start: 0x55d1c2a00000) == MappedPages(residentBytes: 132 * 1024, hugeBytes: 0))
        // a map without FilePmdMapped (kernels before 4.18): no huge bytes; no such map, or no Rss: nil
        #expect(MappedPages.parse(smaps: Self.smaps, start: 0x7fb00ae6d000) == MappedPages(residentBytes: 4096, hugeBytes: 0))
        #expect(MappedPages.parse(smaps: Self.smaps, start: 0x1000) == nil)
        #expect(MappedPages.parse(smaps: "7f00-7f01 r--p 0 0:0 0\nSize: 4 kB\n", start: 0x7f00) == nil)
        #expect(MappedPages.parse(smaps: "", start: 0) == nil)
    }

    static func same(_ s: GGUFStorage, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { memcmp(s.base, $0.baseAddress!, bytes.count) == 0 }
    }

    /// The map starts on a 2 MiB boundary (so 2 MiB folios of the page cache can be mapped whole), reads the file,
    /// and its resident bytes follow populate (everything), drop (nothing) and populate again (everything), as the
    /// kernel counts them; the bytes never change.
    @Test func mapIsAlignedAndFollowsPopulateAndDrop() throws {
        let (url, bytes) = try TestEnvironment.randomFile((5 << 20) + 123, prefix: "pages")
        defer { try? FileManager.default.removeItem(at: url) }
        let s = try GGUFStorage(path: url.path)
        #expect(UInt(bitPattern: s.base) % UInt(2 << 20) == 0)
        #expect(Self.same(s, bytes))
        guard FileManager.default.fileExists(atPath: "/proc/self/smaps") else { return }
        let pages = (bytes.count + 4095) / 4096 * 4096
        #expect(s.populate(), "MADV_POPULATE_READ (Linux 5.14+)")
        let full = try #require(s.mappedPages())
        #expect(full.residentBytes == pages && full.hugeBytes <= full.residentBytes)
        #expect(s.dropPageCache())
        #expect(s.mappedPages()?.residentBytes == 0)
        #expect(s.populate() && s.mappedPages()?.residentBytes == pages)
        #expect(Self.same(s, bytes))
        // in-memory input has no map to account for
        #expect(GGUFStorage(bytes: [1, 2, 3]).mappedPages() == nil)
    }
}
