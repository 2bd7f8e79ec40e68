import CKernels
import Foundation
@testable import Engine
@testable import GGUF
import Testing

/// IQ2_S × Q8_K (`ck_iq2_s_q8_K_gemv`) on every path this CPU has equals, bit for bit, a Swift transcription of
/// llama.cpp's x86 `ggml_vec_dot_iq2_s_q8_K` (ggml-cpu/arch/x86/quants.c, AVX2 branch): per block eight exact
/// integer lanes (lane k = bytes 4k..4k+3 of every 32-weight chunk, times 2·scale+1), `fma(d_w·d_y, lane, acc)`,
/// then ggml's `hsum_float_8` order and × 0.125. The grid is the GGUF layer's table, which the codec tests check
/// against the PyPI gguf package.
@Suite(.serialized) struct IQ2SKernelTests {
    static func half(_ v: Float) -> [UInt8] { let b = Float16(v).bitPattern; return [UInt8(b & 0xff), UInt8(b >> 8)] }

    typealias Rng = SplitMix64

    /// The x86 llama.cpp result for one row (`w` holds its blocks).
    static func reference(_ w: ArraySlice<UInt8>, _ y: [ck_block_q8_K]) -> Float {
        let w = Array(w)
        var acc = [Float](repeating: 0, count: 8)
        for (b, yb) in y.enumerated() {
            let o = b * 82
            let d = Float(Float16(bitPattern: UInt16(w[o]) | UInt16(w[o + 1]) << 8)) * yb.d
            let q: [Int8] = withUnsafeBytes(of: yb.qs) { Array($0.bindMemory(to: Int8.self)) }
            var lanes = [Int32](repeating: 0, count: 8)
            for c in 0..<8 {
                let sc = w[o + 74 + c]
                for l in 0..<4 {
                    let index = Int(w[o + 2 + 4 * c + l]) | ((Int(w[o + 66 + c]) << (8 - 2 * l)) & 0x300)
                    let grid = IQ2SGrid.table[index]
                    let sign = w[o + 34 + 4 * c + l]
                    let ls = Int32(2 * (l < 2 ? sc & 15 : sc >> 4) + 1)
                    for j in 0..<8 {
                        var v = Int32((grid >> UInt64(8 * j)) & 0xff) * Int32(q[32 * c + 8 * l + j])
                        if sign & (1 << UInt8(j)) != 0 { v = -v }
                        lanes[2 * l + j / 4] += ls * v
                    }
                }
            }
            for k in 0..<8 { acc[k] = acc[k].addingProduct(d, Float(lanes[k])) }
        }
        return 0.125 * (((acc[4] + acc[0]) + (acc[6] + acc[2])) + ((acc[5] + acc[1]) + (acc[7] + acc[3])))
    }

    /// The paths this CPU runs, scalar first (each with the scalar bit, as the dispatcher's masks have it).
    static var paths: [UInt32] {
        let cpu = ck_cpu_paths()
        let scalar = UInt32(CK_PATH_SCALAR), avx2 = scalar | UInt32(CK_PATH_AVX2)
        var list = [scalar]
        if cpu & UInt32(CK_PATH_AVX2) != 0 { list.append(avx2) }
        if cpu & UInt32(CK_PATH_AVX512VNNI) != 0 { list.append(avx2 | UInt32(CK_PATH_AVX512VNNI)) }
        return list
    }

    /// Runs the gemv for rows row0..<row1 under each path.
    static func eachPath(_ w: [UInt8], n: Int, rows: Int, row0: Int, row1: Int, _ y: [ck_block_q8_K]) -> [[Float]] {
        defer { ck_set_thread_path(0) }
        return paths.map { p in
            ck_set_thread_path(p)
            var out = [Float](repeating: .nan, count: rows)
            ck_iq2_s_q8_K_gemv(w, n, row0, row1, y, &out)
            return out
        }
    }

    static func activations(_ n: Int, _ g: inout Rng) -> [ck_block_q8_K] {
        let x = (0..<n).map { _ in g.unit() * 4 - 2 }
        var y = [ck_block_q8_K](repeating: ck_block_q8_K(), count: n / 256)
        ck_quantize_q8_K(x, &y, n)
        return y
    }

    @Test(arguments: [256, 768, 2560, 6912])
    func everyPathEqualsLlamaCppX86(n: Int) throws {
        var g = Rng(state: UInt64(n))
        let rows = 5
        var w: [UInt8] = []
        for _ in 0..<(rows * n / 256) { w += Self.half(0.0005 + 0.002 * g.unit()) + (0..<80).map { _ in UInt8(truncatingIfNeeded: g.next()) } }
        let y = Self.activations(n, &g)
        let ref = (0..<rows).map { r in Self.reference(w[(r * n / 256 * 82)..<((r + 1) * n / 256 * 82)], y) }
        #expect(ref.allSatisfy { $0.isFinite && $0 != 0 })
        for (p, out) in zip(Self.paths, Self.eachPath(w, n: n, rows: rows, row0: 0, row1: rows, y)) {
            #expect(out.map(\.bitPattern) == ref.map(\.bitPattern), "path mask \(p), n \(n)")
        }
    }

    /// The largest lanes: every scale nibble 15, every group the grid entry of eight 43s, q = ±127 (maddubs pairs
    /// 2·43·127, lanes 8·31·4·43·127 < 2^24), signs all set in one block and clear in the next.
    @Test func extremeBlocksNeitherSaturateNorRound() throws {
        let all43 = try #require(IQ2SGrid.table.firstIndex(of: 0x2b2b_2b2b_2b2b_2b2b))
        var block: [UInt8] = Self.half(0.01) + [UInt8](repeating: UInt8(all43 & 0xff), count: 32)
        block += [UInt8](repeating: 0xff, count: 32)
        let hi = UInt8(all43 >> 8)
        block += [UInt8](repeating: hi | hi << 2 | hi << 4 | hi << 6, count: 8) + [UInt8](repeating: 0xff, count: 8)
        var second = block
        for i in 34..<66 { second[i] = 0 }
        let n = 512
        let w = block + second
        var y = [ck_block_q8_K](repeating: ck_block_q8_K(), count: 2)
        ck_quantize_q8_K((0..<n).map { i in i % 3 == 0 ? -1 : 1 }, &y, n)
        let ref = Self.reference(w[...], y)
        for out in Self.eachPath(w, n: n, rows: 1, row0: 0, row1: 1, y) {
            #expect(out[0].bitPattern == ref.bitPattern, "\(out[0]) vs \(ref)")
        }
    }

    @Test func rowRangeWritesOnlyItsRows() {
        var g = Rng(state: 3)
        let rows = 6, n = 512
        var w: [UInt8] = []
        for _ in 0..<(rows * n / 256) { w += Self.half(0.001) + (0..<80).map { _ in UInt8(truncatingIfNeeded: g.next()) } }
        let y = Self.activations(n, &g)
        for out in Self.eachPath(w, n: n, rows: rows, row0: 2, row1: 5, y) {
            #expect(out[0].isNaN && out[1].isNaN && out[5].isNaN && !out[2].isNaN && !out[3].isNaN && !out[4].isNaN)
        }
    }

    @Test func kernelIdsNameEachPath() {
        for name in ["iq2_s_q8_K_gemv.scalar", "iq2_s_q8_K_gemv.avx2", "iq2_s_q8_K_gemv.avx512vnni"] {
            #expect(ck_kernel_index(name) >= 0, "\(name)")
        }
    }
}

extension SplitMix64 {
    /// A float in [0, 1) from the top 24 bits.
    mutating func unit() -> Float { Float(next() >> 40) / Float(1 << 24) }
}
