import Foundation
import Testing
import CKernels

/// The AVX-512 paths against the 256-bit ones: integer kernels give the same integers, the F16 row kernel the same
/// bits (its two 16-lane accumulators hold the four 8-lane accumulators of the AVX2 kernel).
@Suite struct AVX512Tests {
    static var has512: Bool { Paths.cpu & UInt32(CK_PATH_AVX512VNNI) != 0 }

    @Test(.enabled(if: AVX512Tests.has512), arguments: [1, 2, 3, 4, 7, 8, 9, 33])
    func i2sGemvEqualsScalarForOddAndEvenBlockCounts(blocks: Int) {
        let n = 128 * blocks, rows = 5
        var rng = Rng(UInt64(blocks))
        let w = rng.bytes(rows * n / 4) // any codes 0...3, as a hostile file may hold
        let q = rng.int8s(n)
        let sums = { (path: UInt32) -> [Int32] in
            Paths.with(path) {
                var out = [Int32](repeating: 0, count: rows)
                ck_i2s_gemv(w, n, 0, rows, q, &out)
                return out
            }
        }
        #expect(sums(Paths.avx512) == sums(Paths.scalar))
        let f32 = { (path: UInt32) -> [Float] in
            Paths.with(path) {
                var out = [Float](repeating: 0, count: rows)
                ck_i2s_gemv_f32(w, n, 0, rows, q, 77, 0.37, 1.5, &out)
                return out
            }
        }
        #expect(f32(Paths.avx512) == f32(Paths.scalar))
    }

    @Test(.enabled(if: AVX512Tests.has512), arguments: [(3, 1), (5, 4), (2, 6), (20, 9), (54, 5)])
    func i2sGemmEqualsScalar(blocks: Int, ntok: Int) {
        let n = 128 * blocks, rows = 7, ldq = n + 5
        var rng = Rng(UInt64(blocks * 100 + ntok))
        let w = rng.bytes(rows * n / 4)
        let q = rng.int8s(ldq * ntok)
        let run = { (path: UInt32) -> [Int32] in
            Paths.with(path) {
                var out = [Int32](repeating: -3, count: rows * ntok)
                ck_i2s_gemm(w, n, 1, rows, q, ldq, ntok, &out, rows)
                return out
            }
        }
        let a = run(Paths.avx512), b = run(Paths.scalar)
        #expect(a == b)
        #expect((0..<ntok).allSatisfy { a[$0 * rows] == -3 }) // row 0 is outside the range
    }

    @Test(.enabled(if: AVX512Tests.has512))
    func rowsLongerThanTheStackCopyFallBackAndStayExact() {
        let n = 128 * 129, rows = 2 // 16512 > the 16384 the AVX-512 kernels take
        var rng = Rng(5)
        let w = rng.bytes(rows * n / 4), q = rng.int8s(2 * n)
        let run = { (path: UInt32) -> [Int32] in
            Paths.with(path) {
                var g = [Int32](repeating: 0, count: rows * 2)
                ck_i2s_gemm(w, n, 0, rows, q, n, 2, &g, rows)
                return g
            }
        }
        #expect(run(Paths.avx512) == run(Paths.scalar))
    }

    @Test(.enabled(if: AVX512Tests.has512), arguments: [1, 8, 31, 32, 33, 40, 63, 64, 100, 2560, 2561])
    func f16RowsAreBitIdenticalToAVX2(n: Int) {
        let rows = 3
        var rng = Rng(UInt64(n))
        let w = rng.floats(n * rows, -1, 1).map { ck_f32_to_f16($0) }
        let x = rng.floats(n, -3, 3)
        let run = { (path: UInt32) -> [UInt32] in
            Paths.with(path) {
                var out = [Float](repeating: 0, count: rows)
                ck_f16_gemv(w, n, 0, rows, x, &out)
                return out.map(\.bitPattern)
            }
        }
        #expect(run(Paths.avx512) == run(Paths.avx2))
    }

    @Test(.enabled(if: AVX512Tests.has512))
    func theKernelsThatRanAreCounted() {
        let n = 256, rows = 4
        var rng = Rng(9)
        let w = rng.bytes(rows * n / 4), q = rng.int8s(n)
        let id = ck_kernel_index("i2s_i8_gemv.avx512vnni")
        #expect(id >= 0)
        let before = ck_kernel_calls_this_thread(id)
        Paths.with(Paths.avx512) {
            var out = [Int32](repeating: 0, count: rows)
            ck_i2s_gemv(w, n, 0, rows, q, &out)
        }
        #expect(ck_kernel_calls_this_thread(id) == before + 1)
        #expect(String(cString: Paths.with(Paths.avx512) { ck_path_name() }) == "avx512vnni")
    }
}
