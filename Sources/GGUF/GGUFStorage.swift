#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a GGUF file: a read-only memory map (or an owned copy for in-memory input).
/// Pointers handed out by `GGUFFile` stay valid while this object is alive.
public final class GGUFStorage: @unchecked Sendable {
    public let base: UnsafeRawPointer
    public let count: Int
    private let mapped: Bool
    /// The file it maps (nil for in-memory input).
    public let path: String?

    /// Maps `path` read-only. Never reads the file's contents.
    public init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw GGUFError(.io, at: nil, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw GGUFError(.io, at: nil, "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw GGUFError(.io, at: nil, "\(path) is not a regular file")
        }
        let size = Int(st.st_size)
        guard size > 0 else {
            throw GGUFError(.truncated, at: 0, "file is empty")
        }
        guard let p = Self.mapHugeAligned(fd: fd, size: size) else {
            throw GGUFError(.io, at: nil, "cannot map \(path): \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(p)
        count = size
        mapped = true
        self.path = path
    }

    static let hugePage = 2 << 20

    /// Maps the file at a 2 MiB-aligned address (file offset ≡ address mod 2 MiB) and advises huge pages, so the
    /// parts of the file the kernel's page cache holds in 2 MiB folios are mapped by one TLB entry each, and parts
    /// read for the first time through this map are read as such folios (docs/engine.md "Huge pages"). Costs nothing
    /// where the kernel or filesystem has no large folios: the map then works with 4 KiB pages as before.
    static func mapHugeAligned(fd: Int32, size: Int) -> UnsafeMutableRawPointer? {
        let span = size + hugePage
        guard let r = mmap(nil, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), r != MAP_FAILED else {
            // no room for the aligned reservation (a tight address-space limit): the plain map, wherever it lands
            guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
            return p
        }
        let start = UInt(bitPattern: r), aligned = (start + UInt(hugePage) - 1) & ~UInt(hugePage - 1)
        let a = UnsafeMutableRawPointer(bitPattern: aligned)!
        guard let p = mmap(a, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0), p != MAP_FAILED else {
            munmap(r, span)
            return nil
        }
        if aligned > start { munmap(r, Int(aligned - start)) }
        let end = aligned + UInt(size), rEnd = start + UInt(span)
        let tail = (end + 4095) & ~UInt(4095)
        if rEnd > tail { munmap(UnsafeMutableRawPointer(bitPattern: tail), Int(rEnd - tail)) }
        _ = madvise(p, size, 14) // MADV_HUGEPAGE; advisory
        return p
    }

    /// Copies `bytes` into owned memory (tests, fuzzing).
    public init(bytes: [UInt8]) {
        let n = max(bytes.count, 1)
        let p = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 64)
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress { p.copyMemory(from: s, byteCount: bytes.count) }
        }
        base = UnsafeRawPointer(p)
        count = bytes.count
        mapped = false
        path = nil
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// The whole file as a buffer (valid while `self` is alive).
    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// A sub-range of the file; `range` must lie inside it.
    public func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the file")
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }
}
