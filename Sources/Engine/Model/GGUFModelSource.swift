import GGUF

/// A GGUF file (memory-mapped by the GGUF module) as the engine's `ModelSource`. Tensor bytes are never copied.
final class GGUFModelSource: ModelSource, @unchecked Sendable {
    let file: GGUFFile
    let path: String
    let metadata: MetadataLookup
    private let infos: [String: GGUFTensorInfo]

    init(path: String) throws {
        do {
            file = try GGUFFile.open(path)
        } catch {
            throw EngineError(.container, "\(path): \(error)")
        }
        self.path = path
        metadata = GGUFLookup(file: file)
        infos = Dictionary(file.tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    var fileSize: Int { file.fileSize }
    var tensorNames: [String] { file.tensors.map(\.name) }
    var headerBytes: UnsafeRawBufferPointer { file.storage.bytes(0..<min(file.dataOffset, file.fileSize)) }

    func tensor(_ name: String) -> TensorEntry? {
        guard let t = infos[name] else { return nil }
        // The resolved type (ids 36–39 collide between ggml and the bitnet.cpp fork) decides the format.
        let id = WeightFormat(t.type.format)?.rawValue ?? (1000 + t.typeID)
        return TensorEntry(name: name, dims: t.dims, typeID: id, data: file.storage.base + t.offset,
                           available: file.fileSize - t.offset)
    }

    func stringArray(_ key: String) -> [String]? { file.metadata.stringArray(key) }
    func floatArray(_ key: String) -> [Float]? { file.metadata.floatArray(key) }
    func intArray(_ key: String) -> [Int64]? { file.metadata.intArray(key) }
    func bool(_ key: String) -> Bool? { file.metadata.bool(key) }
}

struct GGUFLookup: MetadataLookup {
    let file: GGUFFile
    func string(_ key: String) -> String? { file.metadata.string(key) }
    func int(_ key: String) -> Int64? { file.metadata.int(key) }
    func double(_ key: String) -> Double? { file.metadata.float(key) }
}
