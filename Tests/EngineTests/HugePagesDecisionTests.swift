import Foundation
import Testing
@testable import Engine

/// `HugePages.decide` (when `--hugepages` is honoured) and the chunked copy that drops file pages as it goes.
@Suite struct HugePagesDecisionTests {
    static let gib = 1 << 30

    @Test func requestIsHonouredWhenTHPIsOnAndMemoryAllows() {
        let d = HugePages.decide(requested: true, fileBacked: true, fileBytes: Self.gib, kvBytes: 100 << 20,
                                 thpMode: "madvise", availableBytes: 3 * Self.gib)
        #expect(d == HugePages.Decision(copy: true, reason: "--hugepages, THP madvise"))
        #expect(HugePages.decide(requested: true, fileBacked: true, fileBytes: Self.gib, kvBytes: 0, thpMode: "always",
                                 availableBytes: 2 * Self.gib).copy)
        #expect(HugePages.decide(requested: true, fileBacked: true, fileBytes: Self.gib, kvBytes: 0, thpMode: "always",
                                 availableBytes: nil).copy)   // no /proc/meminfo: not a reason to refuse
    }

    @Test func requestIsDeclinedWithTheReason() {
        func reason(file: Bool = true, kv: Int = 0, thp: String? = "madvise", avail: Int? = 8 << 30) -> String {
            let d = HugePages.decide(requested: true, fileBacked: file, fileBytes: 1 << 30, kvBytes: kv, thpMode: thp,
                                     availableBytes: avail)
            #expect(!d.copy)
            return d.reason
        }
        #expect(reason(file: false) == "--hugepages declined: not a file")
        #expect(reason(thp: "never") == "--hugepages declined: transparent huge pages never")
        #expect(reason(thp: nil) == "--hugepages declined: transparent huge pages not available")
        // twice the file plus the KV cache: 2 GiB + 1 MiB of KV does not fit in 2 GiB available
        #expect(reason(kv: 1 << 20, avail: 2 * Self.gib) == "--hugepages declined: MemAvailable 2048 MiB < twice the file + KV cache")
        #expect(HugePages.decide(requested: false, fileBacked: true, fileBytes: 1 << 30, kvBytes: 0, thpMode: "always",
                                 availableBytes: nil) == .notRequested)
    }

    @Test func thpModeReadsTheBracketedWordUnderARoot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("thp-\(UUID().uuidString)")
        let dir = root.appendingPathComponent("sys/kernel/mm/transparent_hugepage")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(HugePages.thpMode(root: root.path) == nil)   // no file: no THP in this kernel
        try "always [madvise] never\n".write(to: dir.appendingPathComponent("enabled"), atomically: true, encoding: .utf8)
        #expect(HugePages.thpMode(root: root.path) == "madvise")
        try "always madvise never\n".write(to: dir.appendingPathComponent("enabled"), atomically: true, encoding: .utf8)
        #expect(HugePages.thpMode(root: root.path) == nil)   // malformed: not a guess
    }

    /// A model asked for huge pages where THP is off runs from the file mapping, and the receipt says why.
    @Test func declinedRequestIsRecorded() throws {
        let url = try SynthFixtures.model(.bitnetB158, .i2_s)
        var o = ModelOptions()
        o.contextSize = 128
        o.hugePages = true
        let m = try Model.load(url: url, options: o)
        let d = HugePages.decide(requested: true, fileBacked: true, fileBytes: 0, kvBytes: 0, thpMode: HugePages.thpMode(),
                                 availableBytes: nil)
        if !d.copy { #expect(m.weightLayouts == ["file mapping, 4 KiB pages (\(d.reason))"]) }
        else { #expect(m.weightLayouts.count == 1 && m.weightLayouts[0].hasPrefix(WeightRepack.hugePagesDescription(d.reason))) }
    }

    /// 40 MiB + 5 bytes from a read-only file mapping, copied in 16 MiB chunks with the file pages dropped behind:
    /// the copy equals the file, and the mapping still reads the file afterwards (dropped pages fault back in).
    @Test func chunkedCopyReleasingFilePagesKeepsEveryByte() throws {
        let count = (40 << 20) + 5
        var bytes = [UInt8](repeating: 0, count: count)
        var x: UInt32 = 2_463_534_242
        for i in 0..<count { x ^= x << 13; x ^= x >> 17; x ^= x << 5; bytes[i] = UInt8(truncatingIfNeeded: x) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("copy-\(UUID().uuidString).bin")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let fd = open(url.path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        let map = try #require(mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0))
        #expect(map != MAP_FAILED)
        defer { munmap(map, count) }
        let copy = WeightRepack.copy(UnsafeRawPointer(map), count: count, releasingFilePages: true)
        #expect(memcmp(copy.bytes, bytes, count) == 0)
        #expect(memcmp(map, bytes, count) == 0)
        #expect(Int(bitPattern: copy.bytes) % (1 << 21) == 0)   // 2 MiB aligned for THP
    }
}
