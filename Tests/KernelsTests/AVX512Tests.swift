import Foundation
import Testing
import CKernels

/// The AVX-512 paths against the 256-bit ones: the I2_S gemm gives the same integers as the scalar code (all codes
/// 0...3, odd block counts, token counts that are not multiples of 4).
@Suite struct AVX512Tests {
    static var has512: Bool { Paths.cpu & UInt32(CK_PATH_AVX512VNNI) != 0 }

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

    @Test(.enabled(if: AVX512Tests.has512))
    func theKernelsThatRanAreCounted() {
        let n = 256, rows = 4
        var rng = Rng(9)
        let w = rng.bytes(rows * n / 4), q = rng.int8s(2 * n)
        let id = ck_kernel_index("i2s_i8_gemm.avx512vnni")
        #expect(id >= 0)
        let before = ck_kernel_calls_this_thread(id)
        Paths.with(Paths.avx512) {
            var out = [Int32](repeating: 0, count: rows * 2)
            ck_i2s_gemm(w, n, 0, rows, q, n, 2, &out, rows)
        }
        #expect(ck_kernel_calls_this_thread(id) == before + 1)
        #expect(String(cString: Paths.with(Paths.avx512) { ck_path_name() }) == "avx512vnni")
    }
}
