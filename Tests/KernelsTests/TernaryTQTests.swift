import Foundation
import Testing
import CKernels
import TestSupport

@Suite struct TernaryTQTests {
    /// Ternary rows × β quantized by the PyPI gguf package (TQ1_0 / TQ2_0): every block's d is β.
    func quantized(_ type: String, _ t: [Int], beta: Float) throws -> [UInt8] {
        try GGUFReference.quantize(type, t.map { Float($0) * beta })
    }

    @Test(arguments: ["TQ2_0", "TQ1_0"])
    func perTokenIntegerDotsMatchTernaryValuesFromGGUFPackage(type: String) throws {
        guard TestEnvironment.shouldRun(needs: GGUFReference.available) else { return }
        let n = 256 * 3, rows = 5
        var rng = Rng(type == "TQ2_0" ? 1 : 2)
        let t = rng.ternary(n * rows)
        let blocks = try quantized(type, t, beta: 0.5)
        let bpb = type == "TQ2_0" ? 66 : 54
        #expect(blocks.count == n * rows / 256 * bpb)
        let q = rng.int8s(n)
        let expected = directDots(t, q, n: n, rows: rows, offset: 0)
        let results = Paths.each { () -> [Int32] in
            var out = [Int32](repeating: 0, count: rows)
            if type == "TQ2_0" {
                withBlocks(blocks, as: ck_block_tq2_0.self) { ck_tq2_0_i8_gemv($0, n, 0, rows, q, &out) }
            } else {
                withBlocks(blocks, as: ck_block_tq1_0.self) { ck_tq1_0_i8_gemv($0, n, 0, rows, q, &out) }
            }
            return out
        }
        for r in results { #expect(r == expected) }
        var d: Float = 0
        let uniform = type == "TQ2_0"
            ? withBlocks(blocks, as: ck_block_tq2_0.self) { ck_tq2_0_uniform_scale($0, n, rows, &d) }
            : withBlocks(blocks, as: ck_block_tq1_0.self) { ck_tq1_0_uniform_scale($0, n, rows, &d) }
        #expect(uniform == 1 && d == 0.5)
    }

    @Test func tq2AndI2SGiveTheSameBitsOnIdenticalWeights() throws {
        guard TestEnvironment.shouldRun(needs: GGUFReference.available) else { return }
        let n = 512, rows = 6
        var rng = Rng(17)
        let t = rng.ternary(n * rows)
        let tq = try quantized("TQ2_0", t, beta: 0.375)
        let i2s = packI2S(t, n: n)
        let x = rng.floats(n, -3, 3)
        var q = [Int8](repeating: 0, count: n)
        var s: Float = 0
        let qsum = ck_quantize_i8_s(x, &q, n, &s)
        var viaI2S = [Float](repeating: 0, count: rows), sums = [Int32](repeating: 0, count: rows)
        ck_i2s_gemv_f32(i2s, n, 0, rows, q, qsum, s, 0.375, &viaI2S)
        withBlocks(tq, as: ck_block_tq2_0.self) { ck_tq2_0_i8_gemv($0, n, 0, rows, q, &sums) }
        for r in 0..<rows { #expect(Float(sums[r]) / s * 0.375 == viaI2S[r]) }
    }

    @Test(arguments: ["TQ2_0", "TQ1_0"])
    func perBlockScalesAndQ8KAgreeAcrossPathsAndWithDequantizedValues(type: String) throws {
        guard TestEnvironment.shouldRun(needs: GGUFReference.available) else { return }
        let n = 256 * 5, rows = 7
        var rng = Rng(type == "TQ2_0" ? 41 : 42)
        // non-ternary weights: blocks get different scales
        let wf = rng.floats(n * rows, -2, 2)
        let blocks = try GGUFReference.quantize(type, wf)
        let deq = try GGUFReference.dequantize(type, blocks)
        let x = rng.floats(n, -4, 4)
        var q = [Int8](repeating: 0, count: n)
        var s: Float = 0
        _ = ck_quantize_i8_s(x, &q, n, &s)
        var y = [ck_block_q8_K](repeating: ck_block_q8_K(), count: n / 256)
        ck_quantize_q8_K(x, &y, n)
        let yq = y.flatMap { b in withUnsafeBytes(of: b.qs) { $0.bindMemory(to: Int8.self).map { Float($0) * b.d } } }
        let results = Paths.each { () -> ([Float], [Float]) in
            var a = [Float](repeating: 0, count: rows), b = a
            if type == "TQ2_0" {
                withBlocks(blocks, as: ck_block_tq2_0.self) {
                    ck_tq2_0_i8_gemv_f32($0, n, 0, rows, q, s, &a)
                    ck_tq2_0_q8K_gemv($0, n, 0, rows, y, &b)
                }
            } else {
                withBlocks(blocks, as: ck_block_tq1_0.self) {
                    ck_tq1_0_i8_gemv_f32($0, n, 0, rows, q, s, &a)
                    ck_tq1_0_q8K_gemv($0, n, 0, rows, y, &b)
                }
            }
            return (a, b)
        }
        for r in results.dropFirst() {
            #expect(r.0.map(\.bitPattern) == results[0].0.map(\.bitPattern))
            #expect(r.1.map(\.bitPattern) == results[0].1.map(\.bitPattern))
        }
        for r in 0..<rows {
            let row = deq[(r * n)..<(r * n + n)]
            let refI8 = zip(row, q).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / Double(s)
            let refQ8K = zip(row, yq).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let mag = zip(row, x).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
            #expect(close(results[0].0[r], Float(refI8), tol: 1e-5, scale: mag))
            #expect(close(results[0].1[r], Float(refQ8K), tol: 1e-5, scale: mag))
        }
        var d: Float = 0
        let uniform = type == "TQ2_0"
            ? withBlocks(blocks, as: ck_block_tq2_0.self) { ck_tq2_0_uniform_scale($0, n, rows, &d) }
            : withBlocks(blocks, as: ck_block_tq1_0.self) { ck_tq1_0_uniform_scale($0, n, rows, &d) }
        #expect(uniform == 0)
    }

    @Test func tq2DecodesLeastSignificantBitsFirst() {
        // hand-built block: byte m of the first 32-byte group holds weights m, m+32, m+64, m+96 in bits 1:0, 3:2, 5:4, 7:6
        var block = [UInt8](repeating: 0b01_01_01_01, count: 66)   // all codes 1 (weight 0)
        block[0] = 0b01_01_01_10                                    // weight 0 -> +1
        block[32 + 5] = 0b00_01_01_01                               // weight 128 + 96 + 5 = 229 -> −1
        let d = ck_f32_to_f16(1)
        block[64] = UInt8(d & 0xff); block[65] = UInt8(d >> 8)
        var q = [Int8](repeating: 0, count: 256)
        q[0] = 10; q[229] = 7; q[1] = 100
        var out: [Int32] = [0]
        for path in Paths.available {
            Paths.with(path) { withBlocks(block, as: ck_block_tq2_0.self) { ck_tq2_0_i8_gemv($0, 256, 0, 1, q, &out) } }
            #expect(out[0] == 10 - 7)
        }
    }
}
