import GGUF
import ModelInspector

/// One fuzz input: parse it, and when it parses, touch everything a consumer would (lazy arrays,
/// tensor bytes, reference decoders, the model inspection). Must never crash, hang or allocate more than the input allows.
enum FuzzEntry {
    static func run(_ bytes: [UInt8]) {
        guard let f = try? GGUFFile(bytes: bytes) else { return }
        for e in f.metadata.entries {
            if case .array(let a) = e.value { walk(a, depth: 0) }
        }
        for t in f.tensors {
            let b = f.tensorBytes(t)
            precondition(t.byteRange.upperBound <= f.fileSize)
            if TensorCodec.dequantizable.contains(t.type.format), t.elementCount <= 1 << 16 {
                _ = try? TensorCodec.dequantize(b, format: t.type.format, count: t.elementCount)
            }
        }
        _ = f.tensors.reduce(0) { $0 &+ Int(CRC32.checksum(f.tensorBytes($1))) }
        // What `inspect` does with a file that parses.
        let inspection = ModelInspector.inspect(f)
        _ = inspection.text()
        _ = try? inspection.jsonString()
    }

    static func walk(_ a: GGUFArray, depth: Int) {
        _ = a.values().count
        _ = a.integers()
        _ = a.doubles()
        _ = a.stringBytes()
        if let nested = a.arrays() { for n in nested { walk(n, depth: depth + 1) } }
    }
}

/// libFuzzer's entry point (linked when built with -sanitize=fuzzer).
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    FuzzEntry.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
