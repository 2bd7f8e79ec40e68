import CKernels
import Foundation
import Testing

/// BitNet32-F16 × int8 and IQ2_S × Q8_K: every path gives the same bits as the portable one, and the portable
/// BitNet32 kernel equals a Swift computation of its documented formula.
@Suite struct BN32IQ2STests {
    static func half(_ v: Float) -> [UInt8] { let b = Float16(v).bitPattern; return [UInt8(b & 0xff), UInt8(b >> 8)] }

    /// rows × n BitNet32-F16 with random codes (code 3 included) and a different scale per block.
    static func bn32Matrix(rows: Int, n: Int, _ g: inout Rng) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<(rows * n / 32) { out += g.bytes(8) + half(0.01 + 0.05 * g.float(0, 1)) }
        return out
    }

    /// d_b·S_b of block b of row r (file layout: 8 code bytes, LSB first, then the f16 scale), multiply rounded once.
    static func blockTerm(_ w: [UInt8], row r: Int, block b: Int, n: Int, q: [Int8]) -> Float {
        let o = (r * n / 32 + b) * 10
        var sum: Int32 = 0
        for i in 0..<32 {
            let c = Int32((w[o + i / 4] >> UInt8(2 * (i % 4))) & 3)
            sum += (c == 3 ? 0 : c - 1) * Int32(q[b * 32 + i])
        }
        let d = Float(Float16(bitPattern: UInt16(w[o + 8]) | UInt16(w[o + 9]) << 8))
        return d * Float(sum)
    }

    /// The documented formula in Swift: S_b exact, acc += d_b·S_b (multiply, then add) in block order, / s.
    static func bn32Reference(_ w: [UInt8], rows: Int, n: Int, q: [Int8], s: Float) -> [Float] {
        (0..<rows).map { r in
            var acc: Float = 0
            for b in 0..<(n / 32) {
                let t = blockTerm(w, row: r, block: b, n: n, q: q)
                acc += t
            }
            return acc / s
        }
    }

    @Test func bitnet32EveryPathEqualsTheFormula() throws {
        var g = Rng(5)
        let rows = 9, n = 640
        let w = Self.bn32Matrix(rows: rows, n: n, &g)
        let q = (0..<n).map { _ in Int8(Int(g.next() % 255) - 127) }
        let s: Float = 42.5
        let ref = Self.bn32Reference(w, rows: rows, n: n, q: q, s: s)
        let results = Paths.each { () -> [Float] in
            var out = [Float](repeating: .nan, count: rows)
            ck_bn32_i8_gemv_f32(w, n, 0, rows, q, s, &out)
            return out
        }
        for (i, r) in results.enumerated() {
            #expect(r.map(\.bitPattern) == ref.map(\.bitPattern), "path \(Paths.available[i]) differs from the formula")
        }
        #expect(ck_kernel_index("bn32_i8_gemv.scalar") >= 0 && ck_kernel_index("bn32_i8_gemv.avx2") >= 0)
    }

    @Test func bitnet32RowRangeWritesOnlyItsRows() throws {
        var g = Rng(6)
        let rows = 5, n = 64
        let w = Self.bn32Matrix(rows: rows, n: n, &g)
        let q = g.int8s(n).map { $0 == -128 ? 0 : $0 }
        var out = [Float](repeating: .nan, count: rows)
        ck_bn32_i8_gemv_f32(w, n, 1, 3, q, 10, &out)
        #expect(out[0].isNaN && out[3].isNaN && out[4].isNaN && !out[1].isNaN && !out[2].isNaN)
    }

    @Test func iq2sEveryPathGivesTheSameBits() throws {
        var g = Rng(8)
        let rows = 7, n = 768
        var w: [UInt8] = []
        for _ in 0..<(rows * n / 256) { w += Self.half(0.001 + 0.002 * g.float(0, 1)) + g.bytes(80) }
        let x = g.floats(n, -2, 2)
        var y = [ck_block_q8_K](repeating: ck_block_q8_K(), count: n / 256)
        ck_quantize_q8_K(x, &y, n)
        let results = Paths.each { () -> [Float] in
            var out = [Float](repeating: .nan, count: rows)
            ck_iq2_s_q8_K_gemv(w, n, 0, rows, y, &out)
            return out
        }
        #expect(results.allSatisfy { !$0.contains { $0.isNaN } })
        for r in results.dropFirst() { #expect(r.map(\.bitPattern) == results[0].map(\.bitPattern)) }
        #expect(ck_kernel_index("iq2_s_q8_K_gemv.scalar") >= 0 && ck_kernel_index("iq2_s_q8_K_gemv.avx2") >= 0)
    }
}
