import Foundation
import CKernels
import TestSupport

/// Deterministic generator for test inputs (splitmix64).
struct Rng {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func float(_ lo: Float = -1, _ hi: Float = 1) -> Float {
        lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24)
    }
    mutating func floats(_ n: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] { (0..<n).map { _ in float(lo, hi) } }
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
    mutating func int8s(_ n: Int) -> [Int8] { (0..<n).map { _ in Int8(truncatingIfNeeded: next()) } }
    /// Ternary values in {-1, 0, 1}.
    mutating func ternary(_ n: Int) -> [Int] { (0..<n).map { _ in Int(next() % 3) - 1 } }
}

/// The dispatcher is global: every test that runs kernels holds this lock, and forces paths only inside it.
enum Paths {
    static let lock = NSLock()
    static let cpu = ck_cpu_paths()
    static let scalar = UInt32(CK_PATH_SCALAR)
    static let avx2 = UInt32(CK_PATH_SCALAR | CK_PATH_AVX2)
    static let vnni = UInt32(CK_PATH_SCALAR | CK_PATH_AVX2 | CK_PATH_AVXVNNI)
    /// AVX-512 VNNI on top of AVX2 (without AVX-VNNI, as on CPUs that have only the 512-bit form).
    static let avx512 = UInt32(CK_PATH_SCALAR | CK_PATH_AVX2 | CK_PATH_AVX512VNNI)
    static let neon = UInt32(CK_PATH_SCALAR | CK_PATH_NEON)
    static let dotprod = UInt32(CK_PATH_SCALAR | CK_PATH_NEON | CK_PATH_DOTPROD)

    /// The distinct paths this CPU can run, scalar first.
    static var available: [UInt32] {
        var list = [scalar]
        if cpu & UInt32(CK_PATH_AVX2) != 0 { list.append(avx2) }
        if cpu & UInt32(CK_PATH_AVXVNNI) != 0 { list.append(vnni) }
        if cpu & UInt32(CK_PATH_AVX512VNNI) != 0 { list.append(avx512) }
        if cpu & UInt32(CK_PATH_NEON) != 0 { list.append(neon) }
        if cpu & UInt32(CK_PATH_DOTPROD) != 0 { list.append(dotprod) }
        return list
    }

    /// Runs body under each available path; returns the results in the order of `available`.
    static func each<T>(_ body: () throws -> T) rethrows -> [T] {
        lock.lock()
        defer { ck_set_thread_path(0); lock.unlock() }
        var out: [T] = []
        for p in available {
            ck_set_thread_path(p | UInt32(CK_PATH_SCALAR))
            out.append(try body())
        }
        return out
    }

    /// Runs body with the dispatcher at one path.
    static func with<T>(_ mask: UInt32, _ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { ck_set_thread_path(0); lock.unlock() }
        ck_set_thread_path(mask | UInt32(CK_PATH_SCALAR))   // scalar is always kept; 0 would clear the override
        return try body()
    }
}

/// Raw little-endian bytes of values, and back.
func rawBytes<T>(_ values: [T]) -> Data { values.withUnsafeBytes { Data($0) } }
func values<T>(_ data: Data, as: T.Type) -> [T] {
    data.withUnsafeBytes { raw in Array(raw.bindMemory(to: T.self)) }
}

/// Runs Tests/scripts/kernels_ref.py (PyPI gguf codecs): quantize floats or dequantize blocks.
enum GGUFReference {
    static var available: Bool { TestEnvironment.python != nil }

    static func quantize(_ type: String, _ x: [Float]) throws -> [UInt8] {
        try run("quantize", type, rawBytes(x)).map { $0 }
    }
    static func dequantize(_ type: String, _ blocks: [UInt8]) throws -> [Float] {
        values(try run("dequantize", type, rawBytes(blocks)), as: Float.self)
    }

    private static func run(_ mode: String, _ type: String, _ input: Data) throws -> Data {
        let dir = try TestEnvironment.makeTempDir("kernels-ref")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = dir.appendingPathComponent("in.bin"), dst = dir.appendingPathComponent("out.bin")
        try input.write(to: src)
        guard let out = try Subprocess.python("kernels_ref.py", [mode, type, src.path, dst.path]) else {
            throw RefError.noPython
        }
        guard out.status == 0 else { throw RefError.failed(out.stderr) }
        return try Data(contentsOf: dst)
    }

    enum RefError: Error { case noPython, failed(String) }
}

/// Pointer to the first element of a byte array viewed as blocks of T (for block-quantized rows).
func withBlocks<T, R>(_ bytes: [UInt8], as: T.Type, _ body: (UnsafePointer<T>) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes { raw in try body(raw.baseAddress!.assumingMemoryBound(to: T.self)) }
}

/// Relative-to-magnitude comparison: |a − b| <= tol · scale.
func close(_ a: Float, _ b: Float, tol: Float, scale: Float) -> Bool { abs(a - b) <= tol * max(scale, Float.leastNormalMagnitude) }

/// Σ_i (t[r·n + i] + offset) · q[i] per row, with plain loops (the independent truth for ternary dots).
func directDots(_ t: [Int], _ q: [Int8], n: Int, rows: Int, offset: Int) -> [Int32] {
    var out = [Int32](repeating: 0, count: rows)
    for r in 0..<rows {
        var s = 0
        for i in 0..<n { s += (t[r * n + i] + offset) * Int(q[i]) }
        out[r] = Int32(s)
    }
    return out
}
