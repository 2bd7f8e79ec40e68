import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The directory every machine file is read under ("/" for this machine, a fixture tree in tests).
/// Reads are bounded and non-blocking: a sysfs attribute is one `read()` of at most 64 KiB, and a
/// file that would block (some hwmon drivers answer EAGAIN forever) is reported, never waited on.
public struct SystemRoot: Sendable {
    public let path: String

    public init(_ path: String = "/") {
        var p = path.isEmpty ? "/" : path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        self.path = p
    }

    public var isHost: Bool { path == "/" }

    /// The host path of an absolute machine path, e.g. "/proc/cpuinfo" → "<root>/proc/cpuinfo".
    public func resolve(_ machinePath: String) -> String {
        isHost ? machinePath : path + (machinePath.hasPrefix("/") ? "" : "/") + machinePath
    }

    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case missing, wouldBlock, tooLarge(Int), failed(String)
        public var description: String {
            switch self {
            case .missing: return "missing"
            case .wouldBlock: return "read would block (EAGAIN)"
            case .tooLarge(let n): return "larger than \(n) bytes"
            case .failed(let m): return m
            }
        }
    }

    /// One sysfs attribute: a single bounded read.
    public func readAttribute(_ machinePath: String, maxBytes: Int = 64 * 1024) -> Result<String, ReadError> {
        readBounded(machinePath, maxBytes: maxBytes, singleRead: true)
    }

    /// A /proc or /etc text file: reads to end of file, at most `maxBytes`.
    public func readFile(_ machinePath: String, maxBytes: Int = 8 * 1024 * 1024) -> Result<String, ReadError> {
        readBounded(machinePath, maxBytes: maxBytes, singleRead: false)
    }

    /// Trimmed attribute contents, or nil.
    public func attribute(_ machinePath: String) -> String? {
        if case .success(let s) = readAttribute(machinePath) { return s.trimmingCharacters(in: .whitespacesAndNewlines) }
        return nil
    }

    public func exists(_ machinePath: String) -> Bool {
        var st = stat()
        return lstat(resolve(machinePath), &st) == 0
    }

    public func isDirectory(_ machinePath: String) -> Bool {
        var st = stat()
        return stat(resolve(machinePath), &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Sorted entry names of a directory, or nil when it is missing or unreadable.
    public func list(_ machinePath: String) -> [String]? {
        guard let d = opendir(resolve(machinePath)) else { return nil }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted()
    }

    /// The target of a symbolic link, or nil.
    public func readLink(_ machinePath: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink(resolve(machinePath), &buf, buf.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func readBounded(_ machinePath: String, maxBytes: Int, singleRead: Bool) -> Result<String, ReadError> {
        let fd = open(resolve(machinePath), O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { return .failure(Self.error(errno)) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { return .failure(.failed("is a directory")) }
        var data = [UInt8](repeating: 0, count: singleRead ? maxBytes : min(maxBytes, 64 * 1024))
        var used = 0
        while true {
            if used == data.count {
                if data.count >= maxBytes { return .failure(.tooLarge(maxBytes)) }
                data.append(contentsOf: [UInt8](repeating: 0, count: min(data.count, maxBytes - data.count)))
            }
            let n = data.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + used, $0.count - used) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return .failure(.wouldBlock) }
                return .failure(Self.error(errno))
            }
            used += n
            if n == 0 || singleRead { break }
        }
        return .success(String(decoding: data[0..<used], as: UTF8.self))
    }

    static func error(_ code: Int32) -> ReadError {
        switch code {
        case ENOENT, ENOTDIR: return .missing
        case EAGAIN: return .wouldBlock
        case EACCES, EPERM: return .failed("permission denied")
        default: return .failed(String(cString: strerror(code)))
        }
    }
}
