import GGUF

/// How to load and run a model.
public struct ModelOptions: Sendable {
    /// Activation numerics: bitnet.cpp (default) or llama.cpp.
    public var parity: Parity = .bitnet
    /// I2_S weights per interleave block: 128 (x86 converters) or 64 (ARM converters); nil = the file's
    /// `bitnet_doctor.i2_s.interleave` key when present (files written by `synth`), else 128.
    public var i2sInterleave: Int? = nil
    /// Worker count for the matrix products (1 = the calling thread only).
    public var threads: Int = 1
    /// KV cache positions; nil = min(context_length, 4096).
    public var contextSize: Int? = nil
    /// Output matrix precision: exact (default), an int8 (Q8_0) copy made at load (`--head int8`), the screened int8
    /// head (exact greedy tokens) or `auto` (screened where it pays; resolved by `Model.load`).
    public var head: HeadPrecision = .exact
    /// TL1/TL2 tile configuration for shapes the file does not record and no published preset covers.
    public var tlConfig: TLConfig? = nil
    /// Opt-in load-time repack of TQ1_0/TQ2_0 matrices whose non-zero blocks share one scale into I2_S (`--repack
    /// i2_s`): exact (same values, the scale becomes the tensor scale), runs them on the I2_S kernels (TQ1_0's own
    /// kernel runs at I2_S speed with AVX-512, 0.8x on the 256-bit path), costs the I2_S bytes in anonymous memory (2 bits per weight
    /// instead of 1.69 for TQ1_0). Off by default (it trades memory) and only under bitnet.cpp numerics (llama.cpp
    /// parity multiplies TQ with Q8_K); the receipt's `weight_layouts` records it.
    public var repackTernary: Bool = false
    /// Opt-in load-time repack of I2_S matrices (128 interleave, rows of whole 256-weight blocks) into TQ1_0 blocks
    /// (`--repack tq1_0`): exact (the same codes; β kept as the uniform scale, so the logits are I2_S's bit for bit),
    /// 1.69 bits per weight instead of 2, which the bandwidth-bound 2-thread decode turns into speed; costs a load-time
    /// re-encoding into anonymous memory. Only under bitnet.cpp numerics and where TQ1_0's byte-carry kernel runs
    /// (AVX-512 VNNI): elsewhere TQ1_0 is slower than I2_S, so `Model.load` declines it with the reason.
    public var repackI2SToTQ1: Bool = false
    /// TQ2_0 matrices with one scale are re-encoded as I2_S at load by default (exact, and 2 bits per weight instead
    /// of 2.06, so no memory is traded): they then use the I2_S kernels, including the batched-prefill GEMM that
    /// TQ2_0 lacks. false (`--repack none`) keeps the TQ2_0 kernels. bitnet.cpp numerics only, like `repackTernary`.
    public var repackTQ2: Bool = true
    /// Opt-in (`--hugepages`): first the file map itself in 2 MiB pages (the page cache re-read into 2 MiB folios
    /// when it holds 4 KiB ones: `HugePages.mapFile`); where the kernel or filesystem cannot, copy every weight matrix
    /// at load into anonymous memory advised for 2 MiB transparent huge pages (repacked matrices go there too),
    /// dropping the file pages chunk by chunk so resident memory stays about the file size. Same bytes, same results; fewer TLB misses while decode streams the weights (+5-7% tok/s at
    /// 1 thread, +11-12% at 2 on the 2B-4T file), for a copy at load. Declined, with the reason in the receipt, where
    /// THP is off or memory is short (`HugePages.decide`).
    public var hugePages: Bool = false
    /// Skip the free-memory check (tests).
    public var checkMemory: Bool = true
    public init() {}
}
