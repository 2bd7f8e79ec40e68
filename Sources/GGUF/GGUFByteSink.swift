#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the writer puts bytes: a buffered file or memory.
public protocol GGUFByteSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension GGUFByteSink {
    public mutating func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }
    mutating func le<T: FixedWidthInteger>(_ v: T) throws {
        try withUnsafeBytes(of: v.littleEndian) { try write($0) }
    }
}

/// Collects bytes in memory.
public struct GGUFMemorySink: GGUFByteSink {
    public var bytes: [UInt8] = []
    public init() {}
    public mutating func write(_ b: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: b) }
}

/// A buffered file opened for writing (stdio buffering, 1 MiB).
public final class GGUFFileSink: GGUFByteSink {
    private let file: UnsafeMutablePointer<FILE>
    public let path: String
    public private(set) var written = 0

    public init(path: String) throws {
        guard let f = fopen(path, "wb") else {
            throw GGUFError(.io, at: nil, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        setvbuf(f, nil, _IOFBF, 1 << 20)
        file = f
        self.path = path
    }

    public func write(_ b: UnsafeRawBufferPointer) throws {
        guard let p = b.baseAddress, b.count > 0 else { return }
        if fwrite(p, 1, b.count, file) != b.count {
            throw GGUFError(.io, at: nil, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        written += b.count
    }

    public func close() throws {
        if fclose(file) != 0 {
            throw GGUFError(.io, at: nil, "cannot finish writing \(path): \(String(cString: strerror(errno)))")
        }
    }
}
