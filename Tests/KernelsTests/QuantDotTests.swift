import Foundation
import Testing
import CKernels
import TestSupport

/// Q8_0 / Q4_0 / Q4_1 / Q6_K weight rows × quantized activations: every path gives the same bits, and the
/// result matches the dot of the values the PyPI gguf package dequantizes (within float tolerance).
@Suite struct QuantDotTests {
    let n = 256 * 3, rows = 5

    func activations(_ seed: UInt64) -> [Float] { var r = Rng(seed); return r.floats(n, -3, 3) }

    func check(weights deq: [Float], act: [Float], results: [[Float]]) {
        for r in results.dropFirst() { #expect(r.map(\.bitPattern) == results[0].map(\.bitPattern)) }
        for r in 0..<rows {
            let row = deq[(r * n)..<(r * n + n)]
            let ref = zip(row, act).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let mag = zip(row, act).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
            #expect(close(results[0][r], Float(ref), tol: 2e-6, scale: mag), "row \(r)")
        }
    }

    func q8_0Values(_ y: [ck_block_q8_0]) -> [Float] {
        y.flatMap { b in withUnsafeBytes(of: b.qs) { $0.bindMemory(to: Int8.self).map { Float($0) * ck_f16_to_f32(b.d) } } }
    }

    @Test func q8_0TimesQ8_0() throws {
        guard TestEnvironment.shouldRun(needs: GGUFReference.available) else { return }
        var rng = Rng(1)
        let blocks = try GGUFReference.quantize("Q8_0", rng.floats(n * rows, -1, 1))
        let deq = try GGUFReference.dequantize("Q8_0", blocks)
        var y = [ck_block_q8_0](repeating: ck_block_q8_0(), count: n / 32)
        ck_quantize_q8_0(activations(2), &y, n, Int32(CK_Q8_X86))
        let results = Paths.each { () -> [Float] in
            var out = [Float](repeating: 0, count: rows)
            withBlocks(blocks, as: ck_block_q8_0.self) { ck_q8_0_q8_0_gemv($0, n, 0, rows, y, &out) }
            return out
        }
        check(weights: deq, act: q8_0Values(y), results: results)
    }

    @Test func q4_0TimesQ8_0() throws {
        guard TestEnvironment.shouldRun(needs: GGUFReference.available) else { return }
        var rng = Rng(3)
        let blocks = try GGUFReference.quantize("Q4_0", rng.floats(n * rows, -1, 1))
        let deq = try GGUFReference.dequantize("Q4_0", blocks)
        var y = [ck_block_q8_0](repeating: ck_block_q8_0(), count: n / 32)
        ck_quantize_q8_0(activations(4), &y, n, Int32(CK_Q8_REF))
        let results = Paths.each { () -> [Float] in
            var out = [Float](repeating: 0, count: rows)
            withBlocks(blocks, as: ck_block_q4_0.self) { ck_q4_0_q8_0_gemv($0, n, 0, rows, y, &out) }
            return out
        }
        check(weights: deq, act: q8_0Values(y), results: results)
    }

    @Test func q4_1TimesQ8_1() throws {
        guard TestEnvironment.shouldRun(needs: GGUFReference.available) else { return }
        var rng = Rng(5)
        let blocks = try GGUFReference.quantize("Q4_1", rng.floats(n * rows, -0.5, 1.5))
        let deq = try GGUFReference.dequantize("Q4_1", blocks)
        var y = [ck_block_q8_1](repeating: ck_block_q8_1(), count: n / 32)
        ck_quantize_q8_1(activations(6), &y, n, Int32(CK_Q8_REF))
        let yv = y.flatMap { b in withUnsafeBytes(of: b.qs) { $0.bindMemory(to: Int8.self).map { Float($0) * ck_f16_to_f32(b.d) } } }
        let results = Paths.each { () -> [Float] in
            var out = [Float](repeating: 0, count: rows)
            withBlocks(blocks, as: ck_block_q4_1.self) { ck_q4_1_q8_1_gemv($0, n, 0, rows, y, &out) }
            return out
        }
        // Q4_1 uses the f16-rounded s = d·Σq for the offset term, so allow for that rounding (2^-11 relative)
        for r in results.dropFirst() { #expect(r.map(\.bitPattern) == results[0].map(\.bitPattern)) }
        for r in 0..<rows {
            let row = deq[(r * n)..<(r * n + n)]
            let ref = zip(row, yv).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let mag = zip(row, yv).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
            #expect(close(results[0][r], Float(ref), tol: 1e-3, scale: mag), "row \(r)")
        }
    }

    @Test func q6KTimesQ8K() throws {
        guard TestEnvironment.shouldRun(needs: GGUFReference.available) else { return }
        // random Q6_K blocks (every bit pattern is valid) with a sane f16 scale
        var rng = Rng(7)
        var blocks = rng.bytes(n * rows / 256 * 210)
        for b in 0..<(n * rows / 256) {
            let d = ck_f32_to_f16(rng.float(0.001, 0.01))
            blocks[b * 210 + 208] = UInt8(d & 0xff); blocks[b * 210 + 209] = UInt8(d >> 8)
        }
        let deq = try GGUFReference.dequantize("Q6_K", blocks)
        var y = [ck_block_q8_K](repeating: ck_block_q8_K(), count: n / 256)
        ck_quantize_q8_K(activations(8), &y, n)
        let yv = y.flatMap { b in withUnsafeBytes(of: b.qs) { $0.bindMemory(to: Int8.self).map { Float($0) * b.d } } }
        let results = Paths.each { () -> [Float] in
            var out = [Float](repeating: 0, count: rows)
            withBlocks(blocks, as: ck_block_q6_K.self) { ck_q6_K_q8_K_gemv($0, n, 0, rows, y, &out) }
            return out
        }
        check(weights: deq, act: yv, results: results)
    }

    @Test func blockSizesMatchGGML() {
        #expect(MemoryLayout<ck_block_q8_K>.size == 292)
        #expect(MemoryLayout<ck_block_q8_0>.size == 34)
        #expect(MemoryLayout<ck_block_q8_1>.size == 36)
        #expect(MemoryLayout<ck_block_q4_0>.size == 18)
        #expect(MemoryLayout<ck_block_q4_1>.size == 20)
        #expect(MemoryLayout<ck_block_q6_K>.size == 210)
        #expect(MemoryLayout<ck_block_tq2_0>.size == 66)
        #expect(MemoryLayout<ck_block_tq1_0>.size == 54)
    }
}
