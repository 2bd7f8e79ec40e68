/// How to load and run a model.
public struct ModelOptions: Sendable {
    /// Activation numerics: bitnet.cpp (default) or llama.cpp.
    public var parity: Parity = .bitnet
    /// I2_S weights per interleave block: 128 (x86 converters) or 64 (ARM converters).
    public var i2sInterleave: Int = 128
    /// Worker count for the matrix products (1 = the calling thread only).
    public var threads: Int = 1
    /// KV cache positions; nil = min(context_length, 4096).
    public var contextSize: Int? = nil
    /// Skip the free-memory check (tests).
    public var checkMemory: Bool = true
    public init() {}
}
