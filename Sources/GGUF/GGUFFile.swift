/// A validated, memory-mapped GGUF file (v1, v2, v3). Opening it reads only the header, metadata and
/// tensor infos; tensor data stays in the map until asked for. Everything is checked before use:
/// a bad file throws one `GGUFError` naming the byte offset and the problem.
public final class GGUFFile: Sendable {
    public let storage: GGUFStorage
    /// The path it was opened from (nil for in-memory input).
    public let path: String?
    public let version: UInt32
    public let metadata: GGUFMetadata
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment` (default 32).
    public let alignment: Int
    /// Absolute offset of the data section.
    public let dataOffset: Int
    /// Whose meaning of the colliding type ids 36–39 this file uses, and why we think so.
    public let dialect: TypeDialect
    public let dialectReason: String
    private let tensorIndex: [String: Int]

    public static let defaultAlignment = 32

    /// Opens and validates the GGUF file at `path` (memory-mapped, zero-copy).
    public static func open(_ path: String) throws -> GGUFFile {
        try GGUFFile(storage: GGUFStorage(path: path), path: path)
    }

    public convenience init(path: String) throws {
        try self.init(storage: GGUFStorage(path: path), path: path)
    }

    /// Parses GGUF bytes held in memory (tests, fuzzing).
    public convenience init(bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { throw GGUFError(.truncated, at: 0, "file is empty") }
        try self.init(storage: GGUFStorage(bytes: bytes), path: nil)
    }

    init(storage: GGUFStorage, path: String?) throws {
        self.storage = storage
        self.path = path
        let header = try GGUFFile.readHeader(storage)
        version = header.version
        var c = GGUFCursor(storage, at: header.end, version: header.version)
        metadata = try GGUFFile.readMetadata(&c, count: header.kvCount)
        alignment = try GGUFFile.alignment(of: metadata)
        let infos = try GGUFFile.readTensorInfos(&c, count: header.tensorCount)
        let (aligned, overflow) = c.position.addingReportingOverflow(alignment - 1)
        guard !overflow else { throw GGUFError(.overflow, at: c.position, "data section offset overflows") }
        dataOffset = aligned / alignment * alignment
        if !infos.isEmpty && dataOffset > storage.count {
            throw GGUFError(.truncated, at: c.position,
                            "file ends before the data section (aligned start \(dataOffset), file size \(storage.count))")
        }
        let hint = TypeDialect.hint(architecture: metadata.architecture, fileType: metadata.uint("general.file_type"))
        let resolved = try GGUFFile.resolveTensors(infos, dataOffset: dataOffset, alignment: alignment,
                                                   fileSize: storage.count, preferFork: hint?.0 == .bitnetFork)
        tensors = resolved
        if let hint {
            (dialect, dialectReason) = hint
        } else if let t = resolved.first(where: { $0.type.origin == .bitnetFork || $0.type.origin == .bitnetRs }) {
            (dialect, dialectReason) = (.bitnetFork, "tensor '\(t.name)' (id \(t.typeID)) has the byte size of \(t.type.name)")
        } else {
            (dialect, dialectReason) = (.mainline, "no bitnet.cpp architecture, file type or tensor layout")
        }
        tensorIndex = Dictionary(uniqueKeysWithValues: resolved.enumerated().map { ($1.name, $0) })
    }

    public var fileSize: Int { storage.count }

    /// The tensor called `name`.
    public func tensor(named name: String) -> GGUFTensorInfo? { tensorIndex[name].map { tensors[$0] } }

    /// The bytes of `tensor`, straight from the map: valid while this `GGUFFile` is alive.
    public func tensorBytes(_ tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer { storage.bytes(tensor.byteRange) }

    /// Calls `body` with the bytes of `tensor`, keeping the file alive meanwhile.
    public func withTensorBytes<R>(_ tensor: GGUFTensorInfo, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(tensorBytes(tensor)) }
    }

    // Metadata conveniences (see GGUFMetadata).
    public var architecture: String? { metadata.architecture }
    public func string(_ key: String) -> String? { metadata.string(key) }
    public func uint(_ key: String) -> UInt64? { metadata.uint(key) }
    public func int(_ key: String) -> Int64? { metadata.int(key) }
    public func float(_ key: String) -> Double? { metadata.float(key) }
    public func bool(_ key: String) -> Bool? { metadata.bool(key) }
    public func array(_ key: String) -> GGUFArray? { metadata.array(key) }
    public func stringArray(_ key: String) -> [String]? { metadata.stringArray(key) }
}
