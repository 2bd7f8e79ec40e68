#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a tensor's bytes come from when the file is written.
public enum GGUFTensorSource {
    case bytes([UInt8])
    /// Called once while writing; must emit exactly the tensor's byte size (streaming, any chunking).
    case stream((GGUFTensorStream) throws -> Void)
}

/// What a streaming tensor source writes into; counts the bytes.
public final class GGUFTensorStream {
    var sink: any GGUFByteSink
    public private(set) var count = 0
    init(_ sink: any GGUFByteSink) { self.sink = sink }
    public func write(_ b: UnsafeRawBufferPointer) throws {
        count += b.count
        try sink.write(b)
    }
    public func write(_ b: [UInt8]) throws { try b.withUnsafeBytes { try write($0) } }
}

/// Writes valid GGUF v3 files (little-endian), streaming tensor data so large models never sit in memory.
public struct GGUFWriter {
    public struct Tensor {
        public let name: String
        public let dims: [Int]
        public let type: TensorTypeTraits
        public let byteCount: Int
        let source: GGUFTensorSource
    }

    public let alignment: Int
    public private(set) var metadata: [(key: String, value: GGUFWriteValue)] = []
    public private(set) var tensors: [Tensor] = []

    /// `alignment` other than 32 is recorded as `general.alignment`.
    public init(alignment: Int = GGUFFile.defaultAlignment) throws {
        guard alignment > 0, alignment & (alignment - 1) == 0, alignment <= Int(UInt32.max) else {
            throw GGUFError(.invalidArgument, at: nil, "alignment \(alignment) is not a power of two")
        }
        self.alignment = alignment
        if alignment != GGUFFile.defaultAlignment { set("general.alignment", .uint32(UInt32(alignment))) }
    }

    /// Sets `key` (replacing an earlier value, keeping its position).
    public mutating func set(_ key: String, _ value: GGUFWriteValue) {
        if let i = metadata.firstIndex(where: { $0.key == key }) { metadata[i].value = value } else { metadata.append((key, value)) }
    }

    /// Adds a tensor. `dims[0]` is the contiguous axis. The byte size follows from the traits table.
    /// `separateScale`: TL1/TL2 in the separate-scale form, without the 32-byte scale tail (the caller adds the
    /// `<name>_scale` F32 tensor). bitnet.cpp's own files use the tail.
    public mutating func addTensor(_ name: String, dims: [Int], type: TensorFormat, _ source: GGUFTensorSource,
                                   separateScale: Bool = false) throws {
        let traits = type.traits
        guard !name.isEmpty, tensors.allSatisfy({ $0.name != name }) else {
            throw GGUFError(.invalidArgument, at: nil, "tensor name '\(name)' is empty or already used")
        }
        guard (1 ... 4).contains(dims.count), dims.allSatisfy({ $0 > 0 }) else {
            throw GGUFError(.invalidArgument, at: nil, "tensor '\(name)' dims \(dims) must be 1 to 4 positive numbers")
        }
        var n = 1
        for d in dims {
            let (p, o) = n.multipliedReportingOverflow(by: d)
            guard !o else { throw GGUFError(.invalidArgument, at: nil, "tensor '\(name)' element count overflows") }
            n = p
        }
        guard !separateScale || type == .tl1 || type == .tl2 else {
            throw GGUFError(.invalidArgument, at: nil, "tensor '\(name)': only TL1/TL2 have a separate-scale form")
        }
        guard let size = separateScale ? traits.tlDataSize(elements: n, rowLength: dims[0]) : traits.byteSize(elements: n, rowLength: dims[0]) else {
            throw GGUFError(.invalidArgument, at: nil, "tensor '\(name)' dims \(dims) do not fit type \(traits.name) (block size \(traits.blockSize))")
        }
        if case .bytes(let b) = source {
            guard b.count == size else {
                throw GGUFError(.invalidArgument, at: nil, "tensor '\(name)' has \(b.count) bytes, type \(traits.name) needs \(size)")
            }
        }
        tensors.append(Tensor(name: name, dims: dims, type: traits, byteCount: size, source: source))
    }

    private func pad(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    /// Writes the file to `path` (removed again if writing fails). `progress(done, total)` is called after
    /// each tensor with data bytes.
    public func write(to path: String, progress: ((Int, Int) -> Void)? = nil) throws {
        let sink = try GGUFFileSink(path: path)
        var any: any GGUFByteSink = sink
        do {
            try write(into: &any, progress: progress)
            try sink.close()
        } catch {
            try? sink.close()
            unlink(path) // no half-written model left behind
            throw error
        }
    }

    /// The whole file in memory (tests, small files).
    public func serialized() throws -> [UInt8] {
        var any: any GGUFByteSink = GGUFMemorySink()
        try write(into: &any, progress: nil)
        return (any as! GGUFMemorySink).bytes
    }

    public func write(into sink: inout any GGUFByteSink, progress: ((Int, Int) -> Void)?) throws {
        var header = GGUFMemorySink()
        try header.write(Array("GGUF".utf8))
        try header.le(UInt32(3))
        try header.le(UInt64(tensors.count))
        try header.le(UInt64(metadata.count))
        for (k, v) in metadata {
            try header.writeString(k)
            try header.le(v.type.rawValue)
            try header.writeValue(v)
        }
        var offset = 0
        for t in tensors {
            try header.writeString(t.name)
            try header.le(UInt32(t.dims.count))
            for d in t.dims { try header.le(UInt64(d)) }
            try header.le(t.type.id)
            try header.le(UInt64(offset))
            offset = pad(offset + t.byteCount)
        }
        let total = offset
        let zeros = [UInt8](repeating: 0, count: alignment)
        try sink.write(header.bytes)
        try sink.write(Array(zeros[0 ..< pad(header.bytes.count) - header.bytes.count]))
        var done = 0
        for t in tensors {
            switch t.source {
            case .bytes(let b): try sink.write(b)
            case .stream(let produce):
                let c = GGUFTensorStream(sink)
                try produce(c)
                sink = c.sink
                guard c.count == t.byteCount else {
                    throw GGUFError(.invalidArgument, at: nil, "tensor '\(t.name)' produced \(c.count) bytes, type \(t.type.name) needs \(t.byteCount)")
                }
            }
            try sink.write(Array(zeros[0 ..< pad(t.byteCount) - t.byteCount]))
            done = pad(done + t.byteCount)
            progress?(done, total)
        }
    }
}
