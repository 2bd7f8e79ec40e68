/// A tensor as the container describes it: name, dims (dims[0] contiguous), ggml type id, and where its bytes start.
public struct TensorEntry: @unchecked Sendable {
    public var name: String
    public var dims: [Int]
    public var typeID: UInt32
    public var data: UnsafeRawPointer
    /// Bytes from `data` to the end of the file (a tensor needing more is truncated).
    public var available: Int
    public init(name: String, dims: [Int], typeID: UInt32, data: UnsafeRawPointer, available: Int) {
        self.name = name; self.dims = dims; self.typeID = typeID; self.data = data; self.available = available
    }
}

/// A loaded model file: metadata, tensors and the storage that keeps their bytes mapped.
public protocol ModelSource: AnyObject, Sendable {
    var metadata: MetadataLookup { get }
    var path: String { get }
    var fileSize: Int { get }
    func tensor(_ name: String) -> TensorEntry?
    var tensorNames: [String] { get }
    /// The file's header, metadata and tensor table (hashed into the model identity).
    var headerBytes: UnsafeRawBufferPointer { get }
    /// Metadata arrays the tokenizer needs.
    func stringArray(_ key: String) -> [String]?
    func floatArray(_ key: String) -> [Float]?
    func intArray(_ key: String) -> [Int64]?
    func bool(_ key: String) -> Bool?
}
