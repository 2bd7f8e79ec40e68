import Foundation
import Testing
import TestSupport
import GGUF
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
        let (url, bytes) = try TestEnvironment.randomFile(count, prefix: "copy")
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

/// `--hugepages` first tries the file map itself in 2 MiB pages (`HugePages.mapFile`): what it reports is what the
/// kernel then counts (FilePmdMapped), and it declines small files and THP "never" without touching them.
@Suite struct HugeFileMapTests {
    @Test func fileMapReportsWhatTheKernelCounts() throws {
        let (url, bytes) = try TestEnvironment.randomFile(40 << 20)
        defer { try? FileManager.default.removeItem(at: url) }
        let never = try GGUFStorage(path: url.path)
        #expect(HugePages.mapFile(never, thpMode: "never") == nil && never.mappedPages().map { $0.residentBytes == 0 } != false)
        let (small, _) = try TestEnvironment.randomFile(1 << 20)
        defer { try? FileManager.default.removeItem(at: small) }
        #expect(HugePages.mapFile(try GGUFStorage(path: small.path), thpMode: "madvise") == nil)
        guard let mode = HugePages.thpMode(), mode != "never" else { return }
        let s = try GGUFStorage(path: url.path)
        let note = HugePages.mapFile(s, thpMode: mode)
        #expect(bytes.withUnsafeBytes { memcmp(s.base, $0.baseAddress!, bytes.count) } == 0)
        guard let note else { return }   // this kernel or filesystem gives no huge file maps: the copy takes over
        #expect(note.hasPrefix("file mapping in 2 MiB pages (--hugepages: "))
        let huge = try #require(s.mappedPages()).hugeBytes
        #expect(Double(huge) >= HugePages.fileMinimumShare * Double(bytes.count), "\(huge) of \(bytes.count)")
        // a second map of the same file finds the folios the first one left in the page cache
        #expect(HugePages.mapFile(try GGUFStorage(path: url.path), thpMode: mode)
                == "file mapping in 2 MiB pages (--hugepages: the page cache held 2 MiB folios)")
    }
}

/// `--hugepages` on a model file large enough for the file map (the tiny model with 40 MiB of padding after its data,
/// which no tensor reads): the model records which way it went, what it says matches the kernel's count, and the
/// logits are the plain load's bit for bit.
@Suite struct HugePagesModelFileTests {
    @Test func largeFileTakesTheFileMapOrTheCopy() throws {
        let tiny = try SynthFixtures.model(.bitnetB158, .i2_s)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("padded-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        var bytes = try Data(contentsOf: tiny)
        bytes.append(Data(count: 40 << 20))
        try bytes.write(to: url)
        var o = ModelOptions()
        o.contextSize = 128
        let plain = Session(model: try Model.load(url: url, options: o))
        o.hugePages = true
        let huge = Session(model: try Model.load(url: url, options: o))
        let layout = try #require(huge.model.weightLayouts.first)
        if layout.hasPrefix("file mapping in 2 MiB pages (--hugepages: ") {
            let pages = try #require(huge.model.filePages())
            #expect(Double(pages.hugeBytes) >= HugePages.fileMinimumShare * Double(bytes.count), "\(pages)")
            #expect(huge.model.weightLayouts.count == 1)
        } else {
            // no huge file map here: the copy, or the reason it was declined
            #expect(layout.contains("copied into 2 MiB huge pages") || layout.hasPrefix("file mapping, 4 KiB pages"), "\(layout)")
        }
        let prompt = FormatModelTests.prompt
        #expect(try plain.logits(after: prompt).map(\.bitPattern) == huge.logits(after: prompt).map(\.bitPattern))
    }
}
