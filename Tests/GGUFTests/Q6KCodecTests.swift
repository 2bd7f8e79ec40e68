import Foundation
import Testing
import TestSupport
@testable import GGUF

/// A Python that can `import llama_cpp` (llama-cpp-python ships ggml's libggml-base.so, i.e. ggml's own
/// quantizers): BITNET_DOCTOR_LLAMA_PYTHON, else `python3` on PATH.
enum LlamaCppPython {
    static let command: (exe: URL, prefix: [String])? = {
        let env = ProcessInfo.processInfo.environment
        let tries: [(URL, [String])] = (env["BITNET_DOCTOR_LLAMA_PYTHON"].map { [(URL(fileURLWithPath: $0), [])] } ?? [])
            + [(URL(fileURLWithPath: "/usr/bin/env"), ["python3"])]
        return tries.first { exe, prefix in
            (try? Subprocess.run(exe, prefix + ["-c", "import llama_cpp"], timeout: 120))?.status == 0
        }
    }()
    static var available: Bool { command != nil }

    static func run(_ script: String, _ args: [String]) throws {
        let c = try #require(command, "no python with llama_cpp")
        let path = TestEnvironment.repoRoot.appendingPathComponent("Tests/scripts/\(script)").path
        let o = try Subprocess.run(c.exe, c.prefix + [path] + args)
        if o.status != 0 { Issue.record("\(script) failed: \(o.stderr)") }
        try #require(o.status == 0)
    }
}

@Suite struct Q6KCodecTests {
    /// Weights like an embedding: bell-shaped around 0 with a few outliers, an all-zero block, a constant block, tiny values.
    static func inputs(blocks: Int, seed: UInt64) -> [Float] {
        var state = seed
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15; var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        // Bell-shaped without libm (sum of four uniforms): the same floats on every platform.
        var x = (0 ..< blocks * 256).map { _ -> Float in Float(0.05 * (uniform() + uniform() + uniform() + uniform() - 2)) }
        for i in stride(from: 7, to: x.count, by: 97) { x[i] *= 12 }       // outliers
        for i in 256 ..< 512 { x[i] = 0 }                                   // all-zero block
        for i in 512 ..< 768 { x[i] = 0.25 }                                // constant block
        for i in 768 ..< 1024 { x[i] *= 1e-6 }                              // tiny values
        return x
    }

    /// ggml's own quantizer, run live where a python with llama_cpp exists; elsewhere (CI) the recorded vector
    /// below is the truth, so this test never passes without one.
    @Test func bytesEqualGGMLReferenceQuantizer() throws {
        let x = Self.inputs(blocks: 32, seed: 6)
        guard LlamaCppPython.available else {
            #expect(CRC32.checksum(TensorCodec.quantizeQ6_K(x)) == Self.recordedCRC)
            return
        }
        let dir = try TestEnvironment.makeTempDir("q6k")
        let inPath = dir.appendingPathComponent("in.f32"), outPath = dir.appendingPathComponent("out.bin")
        try Data(TensorCodec.encodeF32(x)).write(to: inPath)
        try LlamaCppPython.run("formats_q6k_ref.py", ["quantize", inPath.path, outPath.path])
        let theirs = [UInt8](try Data(contentsOf: outPath))
        let ours = TensorCodec.quantizeQ6_K(x)
        try #require(theirs.count == ours.count)
        let differing = (0 ..< ours.count / 210).filter { b in ours[b * 210 ..< (b + 1) * 210] != theirs[b * 210 ..< (b + 1) * 210] }
        #expect(differing.isEmpty, "blocks differing from ggml: \(differing)")
    }

    /// Test vector: the CRC-32 of the 6720 bytes ggml's quantize_row_q6_K_ref produced for `inputs(blocks: 32,
    /// seed: 6)` (Tests/scripts/formats_q6k_ref.py quantize; llama-cpp-python 0.3.36's libggml-base, x86-64 Linux).
    static let recordedCRC: UInt32 = 0xCB68_775A

    @Test func bytesMatchRecordedGGMLVector() {
        let bytes = TensorCodec.quantizeQ6_K(Self.inputs(blocks: 32, seed: 6))
        #expect(bytes.count == 6720)
        #expect(CRC32.checksum(bytes) == Self.recordedCRC)
    }

    /// gguf's dequantization of our bytes equals ours bit for bit, and is within Q6_K's error of the input.
    @Test func pypiGGUFDequantizesOurBytes() throws {
        guard TestEnvironment.shouldRun(needs: PythonGGUF.available) else { return }
        let x = Self.inputs(blocks: 16, seed: 9)
        let bytes = TensorCodec.quantizeQ6_K(x)
        let dir = try TestEnvironment.makeTempDir("q6k")
        let inPath = dir.appendingPathComponent("in.bin"), outPath = dir.appendingPathComponent("out.f32")
        try Data(bytes).write(to: inPath)
        _ = try PythonGGUF.run("formats_q6k_ref.py", ["dequantize", inPath.path, outPath.path])
        let theirs = try Data(contentsOf: outPath)
        let ours = try bytes.withUnsafeBytes { try TensorCodec.dequantize($0, format: .q6_k, count: x.count) }
        try #require(theirs.count == x.count * 4)
        var worst: Float = 0
        theirs.withUnsafeBytes { t in
            for i in 0 ..< x.count {
                let v = Float(bitPattern: t.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian)
                #expect(v.bitPattern == ours[i].bitPattern)
                if i / 256 == 3 { continue }    // block 3 (~1e-7): d underflows f16, as in ggml; bounded below
                worst = max(worst, abs(v - x[i]) / (x[(i / 256) * 256 ..< (i / 256 + 1) * 256].map(abs).max()! + 1e-30))
            }
        }
        // 6-bit levels of a group scale that is itself 8-bit: error well under 1/32 of the block's max.
        #expect(worst < 1.0 / 32)
        #expect(ours[256 ..< 512].allSatisfy { $0 == 0 })
        #expect(ours[512 ..< 768].allSatisfy { abs($0 - 0.25) < 0.25 / 64 })
        #expect(zip(ours[768 ..< 1024], x[768 ..< 1024]).allSatisfy { abs($0 - $1) <= abs($1) })
    }
}
