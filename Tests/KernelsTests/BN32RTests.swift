import CKernels
import Foundation
import Testing

/// Varying-scale BitNet32-F16 repacked at load (bn32r layout: codes arranged so one 32-bit lane holds one block,
/// f16 block scales in one array): every path of the gemv and the gemm gives the bits of the documented formula,
/// computed in Swift from the file bytes; the packed rows decode to the file's weights.
@Suite struct BN32RTests {
    /// The formula from the file bytes: eight lane sums a_k (blocks b ≡ k mod 8, in order, d_b·S_b then add),
    /// ((a0+a1)+(a2+a3)) + ((a4+a5)+(a6+a7)), / s.
    static func reference(_ w: [UInt8], rows: Int, n: Int, q: [Int8], s: Float) -> [Float] {
        (0..<rows).map { r in
            var a = [Float](repeating: 0, count: 8)
            for b in 0..<(n / 32) {
                let t = BN32IQ2STests.blockTerm(w, row: r, block: b, n: n, q: q)
                a[b % 8] += t
            }
            let x = (a[0] + a[1]) + (a[2] + a[3]), y = (a[4] + a[5]) + (a[6] + a[7])
            return (x + y) / s
        }
    }

    /// A packed matrix: the file bytes, the bn32r codes and the gathered scales.
    static func matrix(rows: Int, n: Int, seed: UInt64) -> (file: [UInt8], codes: [UInt8], scales: [UInt16]) {
        var g = Rng(seed)
        let w = BN32IQ2STests.bn32Matrix(rows: rows, n: n, &g)
        var codes = [UInt8](repeating: 0xAA, count: rows * n / 4)
        var scales = [UInt16](repeating: 0, count: rows * n / 32)
        ck_bn32r_pack(w, rows, n, &codes)
        ck_bn32_scales(w, rows * n / 32, &scales)
        return (w, codes, scales)
    }

    /// int8 activations over the full range, -128 included (the quantizer stays within ±127; the kernels must not care).
    static func activations(_ n: Int, seed: UInt64) -> [Int8] {
        var g = Rng(seed)
        return g.int8s(n)
    }

    /// Sizes: one 128-weight tail only, one group, group + tail, 2.5 groups, the 2B-4T widths (6912: an odd number
    /// of groups, so the AVX-512 gemv's group pairs leave one), and a row longer than the kernels' stack buffer
    /// (16512: prepared on the heap, with a tail); 7 rows run as 4 + 2 + 1 on the AVX-512 path and 2+2+2+1 on
    /// AVX2/AVX-VNNI.
    @Test(arguments: [128, 256, 384, 640, 2560, 6912, 16512])
    func gemvEveryPathEqualsTheFormula(n: Int) throws {
        let rows = 7
        let m = Self.matrix(rows: rows, n: n, seed: UInt64(n))
        let q = Self.activations(n, seed: UInt64(n) + 1)
        let s: Float = 17.25
        let ref = Self.reference(m.file, rows: rows, n: n, q: q, s: s)
        let results = Paths.each { () -> [Float] in
            var out = [Float](repeating: .nan, count: rows)
            ck_bn32r_i8_gemv_f32(m.codes, m.scales, n, 0, rows, q, s, &out)
            return out
        }
        for (i, r) in results.enumerated() {
            #expect(r.map(\.bitPattern) == ref.map(\.bitPattern), "n \(n) path \(Paths.available[i]) differs from the formula")
        }
        for id in ["scalar", "avx2", "avxvnni", "avx512vnni"] {
            #expect(ck_kernel_index("bn32r_i8_gemv.\(id)") >= 0 && ck_kernel_index("bn32r_i8_gemm.\(id)") >= 0)
        }
    }

    /// 1..6 tokens (token tiles of 4 and the rest) over a row range that is not the whole matrix: out[t·ldo + r]
    /// equals the gemv of token t bit for bit on every path, rows outside the range untouched.
    @Test(arguments: [(384, 9), (2560, 11), (640, 6)])
    func gemmEqualsGemvPerToken(n: Int, rows: Int) throws {
        let m = Self.matrix(rows: rows, n: n, seed: UInt64(n * rows))
        for ntok in 1...6 {
            let ldq = n + 32
            var q = [Int8](repeating: 0, count: ntok * ldq)
            var qt = [Int8](repeating: 0, count: ntok * n), qsum = [Int32](repeating: 0, count: ntok * n / 32)
            for t in 0..<ntok {
                let a = Self.activations(n, seed: UInt64(100 * ntok + t))
                q.replaceSubrange((t * ldq)..<(t * ldq + n), with: a)
                a.withUnsafeBufferPointer { ck_bn32r_prepare($0.baseAddress!, n, &qt[t * n], &qsum[t * n / 32]) }
            }
            let s = (0..<ntok).map { Float(3 + $0) * 1.5 }
            let (r0, r1) = (1, rows - 1)
            let each = Paths.each { () -> ([Float], [Float]) in
                var gemm = [Float](repeating: .nan, count: ntok * rows), gemv = gemm
                ck_bn32r_i8_gemm_f32(m.codes, m.scales, n, r0, r1, q, ldq, qt, qsum, ntok, s, &gemm, rows)
                for t in 0..<ntok {
                    let qt0 = Array(q[(t * ldq)..<(t * ldq + n)])
                    gemv.withUnsafeMutableBufferPointer { ck_bn32r_i8_gemv_f32(m.codes, m.scales, n, r0, r1, qt0, s[t], $0.baseAddress! + t * rows) }
                }
                return (gemm, gemv)
            }
            for (i, (gemm, gemv)) in each.enumerated() {
                #expect(gemm.map(\.bitPattern) == gemv.map(\.bitPattern), "n \(n) tokens \(ntok) path \(Paths.available[i])")
                for t in 0..<ntok {
                    #expect(gemm[t * rows].isNaN && gemm[t * rows + rows - 1].isNaN, "rows outside the range written")
                    let ref = Self.reference(m.file, rows: rows, n: n, q: Array(q[(t * ldq)..<(t * ldq + n)]), s: s[t])
                    #expect(Array(gemm[(t * rows + r0)..<(t * rows + r1)]).map(\.bitPattern) == Array(ref[r0..<r1]).map(\.bitPattern))
                }
            }
        }
    }

    /// The packed codes and scales decode (ck_bn32r_row) to the file's weights: code 0 → −1, 1 and 3 → 0, 2 → +1
    /// times the block's f16 scale.
    @Test(arguments: [128, 384, 2560])
    func packedRowsDecodeToTheFileWeights(n: Int) throws {
        let rows = 3
        let m = Self.matrix(rows: rows, n: n, seed: 77 + UInt64(n))
        var y = [Float](repeating: .nan, count: n)
        for r in 0..<rows {
            ck_bn32r_row(Array(m.codes[(r * n / 4)...]), Array(m.scales[(r * n / 32)...]), n, &y)
            let want = (0..<n).map { i -> Float in
                let o = (r * n / 32 + i / 32) * 10
                let c = Int((m.file[o + (i % 32) / 4] >> UInt8(2 * (i % 4))) & 3)
                let d = Float(Float16(bitPattern: UInt16(m.file[o + 8]) | UInt16(m.file[o + 9]) << 8))
                return Float(c == 3 ? 0 : c - 1) * d
            }
            #expect(y == want, "row \(r)")
        }
    }

    /// The prepared activations: each 256 rearranged as documented (bytes 64p + 32h + 4k + e = q[32k + 16h + 4p + e]),
    /// a trailing 128 copied, and the block sums.
    @Test func prepareArrangesAsDocumented() throws {
        let n = 640
        let q = Self.activations(n, seed: 9)
        var qt = [Int8](repeating: 0, count: n), qsum = [Int32](repeating: 0, count: n / 32)
        ck_bn32r_prepare(q, n, &qt, &qsum)
        for g in 0..<2 {
            for p in 0..<4 { for h in 0..<2 { for k in 0..<8 { for e in 0..<4 {
                #expect(qt[256 * g + 64 * p + 32 * h + 4 * k + e] == q[256 * g + 32 * k + 16 * h + 4 * p + e])
            } } } }
        }
        #expect(Array(qt[512...]) == Array(q[512...]))
        #expect(qsum == (0..<(n / 32)).map { b in q[(b * 32)..<(b * 32 + 32)].reduce(Int32(0)) { $0 + Int32($1) } })
    }
}
