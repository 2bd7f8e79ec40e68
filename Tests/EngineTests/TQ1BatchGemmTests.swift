import CKernels
import Foundation
import GGUF
import Testing
@testable import Engine

/// Batched prefill of TQ1_0 (`Dispatcher.runBatch` → `ck_tq1_0_i8_gemm`) against `Dispatcher.run` token by token:
/// the same floats bit for bit, on every x86 path (forced on this thread, one thread) and at 2 and 3 threads, for
/// a matrix whose blocks share one scale (the GEMM) and one whose scales differ (the row kernel).
@Suite struct TQ1BatchGemmTests {
    static func paths() -> [UInt32] {
        let cpu = ck_cpu_paths(), s = UInt32(CK_PATH_SCALAR), a = UInt32(CK_PATH_AVX2)
        var list = [s]
        if cpu & a != 0 { list.append(s | a) }
        if cpu & UInt32(CK_PATH_AVXVNNI) != 0 { list.append(s | a | UInt32(CK_PATH_AVXVNNI)) }
        if cpu & UInt32(CK_PATH_AVX512VNNI) != 0 { list.append(s | a | UInt32(CK_PATH_AVX512VNNI)) }
        return list
    }

    static func check(_ bytes: [UInt8], rows: Int, cols: Int, tokens: Int, gemm: Bool) {
        var g = UInt64(rows * 31 + tokens)
        func unit() -> Float { g = g &* 6364136223846793005 &+ 1442695040888963407; return Float(g >> 40) / Float(1 << 24) * 2 - 1 }
        let x = (0..<(tokens * cols)).map { _ in unit() }
        bytes.withUnsafeBytes { raw in
            let m = MatVec(name: "w", format: .tq1_0, rows: rows, cols: cols, data: raw.baseAddress!, interleave: 128, parity: .bitnet)
            #expect((Dispatcher.tq1GemmScale(m) != nil) == gemm)
            for (threads, path) in Self.paths().map({ (1, $0) }) + [(2, 0), (3, 0)] {
                ck_set_thread_path(path)
                defer { ck_set_thread_path(0) }
                let d = Dispatcher(threads: threads)
                var batch = [Float](repeating: .nan, count: tokens * rows), single = batch
                x.withUnsafeBufferPointer { xp in
                    batch.withUnsafeMutableBufferPointer { d.runBatch([(m, $0.baseAddress!)], input: xp.baseAddress!, tokens: tokens) }
                    single.withUnsafeMutableBufferPointer { o in
                        for t in 0..<tokens { d.run([(m, o.baseAddress! + t * rows)], input: xp.baseAddress! + t * cols) }
                    }
                }
                #expect(batch.map(\.bitPattern) == single.map(\.bitPattern), "threads \(threads) path \(path)")
                #expect(!batch.contains { $0.isNaN })
            }
        }
    }

    @Test(arguments: [(37, 2560, 7), (64, 8448, 4), (19, 256, 1)])
    func uniformScaleGoesThroughTheGemm(rows: Int, cols: Int, tokens: Int) {
        var s = UInt64(cols)
        let tern = (0..<(rows * cols)).map { _ -> Int8 in s = s &* 6364136223846793005 &+ 1; return Int8(Int((s >> 33) % 3) - 1) }
        Self.check(TensorCodec.encodeTQ1_0(values: tern, scale: 0.0421), rows: rows, cols: cols, tokens: tokens, gemm: true)
    }

    @Test func varyingScalesKeepTheRowKernel() {
        let rows = 21, cols = 512
        var s: UInt64 = 3
        let tern = (0..<(rows * cols)).map { _ -> Int8 in s = s &* 6364136223846793005 &+ 1; return Int8(Int((s >> 33) % 3) - 1) }
        var bytes = TensorCodec.encodeTQ1_0(values: tern, scale: 0.0421)
        bytes[54 + 52] = 0x00; bytes[54 + 53] = 0x38                             // block 1: d = 0.5
        Self.check(bytes, rows: rows, cols: cols, tokens: 5, gemm: false)
    }
}
