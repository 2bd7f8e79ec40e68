import Foundation
import Testing
import CKernels

/// Packs ternary rows into the 64-weight I2_S layout (bitnet.cpp's ARM converters): byte j of a 16-byte block
/// holds weights j, j+16, j+32, j+48 in bits 7:6, 5:4, 3:2, 1:0; code = t + 1.
func packI2S64(_ t: [Int]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: t.count / 4)
    for base in stride(from: 0, to: t.count, by: 64) {
        for j in 0..<16 {
            let c = (0..<4).map { UInt8(t[base + j + 16 * $0] + 1) }
            out[base / 4 + j] = c[0] << 6 | c[1] << 4 | c[2] << 2 | c[3]
        }
    }
    return out
}

@Suite struct I2S64Tests {
    @Test(arguments: [(64, 3), (192, 2), (2624, 5), (6912, 3)])
    func gemvAndGemmOnEveryPathEqualDirectSums(n: Int, rows: Int) {
        var rng = Rng(UInt64(n + rows))
        let t = rng.ternary(n * rows)
        let w = packI2S64(t)
        let ntok = 3
        let q = rng.int8s(n * ntok)
        let expected = (0..<ntok).map { tok in directDots(t, Array(q[(tok * n)..<(tok * n + n)]), n: n, rows: rows, offset: 1) }
        let results = Paths.each { () -> ([Int32], [Int32]) in
            var v = [Int32](repeating: 0, count: rows), g = [Int32](repeating: 0, count: rows * ntok)
            ck_i2s64_gemv(w, n, 0, rows, q, &v)
            ck_i2s64_gemm(w, n, 0, rows, q, n, ntok, &g, rows)
            return (v, g)
        }
        for r in results {
            #expect(r.0 == expected[0])
            #expect(r.1 == expected.flatMap { $0 })
        }
    }

    @Test func handComputedByteLayout() {
        // weights 0, 16, 32, 48 = +1, −1, 0, +1 -> codes 2, 0, 1, 2 -> 0b10_00_01_10
        var t = [Int](repeating: 0, count: 64)
        t[0] = 1; t[16] = -1; t[48] = 1
        #expect(packI2S64(t)[0] == 0b1000_0110)
        var q = [Int8](repeating: 0, count: 64)
        q[0] = 5; q[16] = 7; q[32] = 11; q[48] = -3
        var out: [Int32] = [0]
        for path in Paths.available {
            Paths.with(path) { ck_i2s64_gemv(packI2S64(t), 64, 0, 1, q, &out) }
            // Σ code·q: codes are 1 everywhere except 2, 0, 1, 2 at 0, 16, 32, 48
            #expect(out[0] == 2 * 5 + 0 * 7 + 1 * 11 + 2 * -3)
        }
    }
}

/// `ck_i2s64_to_i2s` (the load-time repack of ARM-interleave I2_S) against the two layouts written out here: every
/// weight's 2-bit code lands where the 128-weight interleave keeps it.
@Suite struct I2S64RepackTests {
    @Test(arguments: [128, 384, 2560])
    func repackPutsEveryCodeWhereThe128InterleaveReadsIt(n: Int) {
        var g = Rng(UInt64(n))
        let src = g.bytes(n / 4)
        // codes by weight index from the 64 layout: byte j of block b holds j, j+16, j+32, j+48 in bits 7:6 .. 1:0
        var codes = [UInt8](repeating: 0, count: n)
        for b in 0..<(n / 64) {
            for j in 0..<16 {
                let v = src[b * 16 + j]
                for k in 0..<4 { codes[b * 64 + j + 16 * k] = (v >> UInt8(6 - 2 * k)) & 3 }
            }
        }
        var dst = [UInt8](repeating: 0, count: n / 4)
        ck_i2s64_to_i2s(src, n, &dst)
        // the 128 layout: byte j of block b holds j, j+32, j+64, j+96 in bits 7:6 .. 1:0
        for b in 0..<(n / 128) {
            for j in 0..<32 {
                let want = (0..<4).reduce(UInt8(0)) { $0 | codes[b * 128 + j + 32 * $1] << UInt8(6 - 2 * $1) }
                #expect(dst[b * 32 + j] == want, "block \(b) byte \(j)")
            }
        }
    }
}
