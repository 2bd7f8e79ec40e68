import Foundation
import Testing
import CKernels
import TestSupport

@Suite struct ActivationQuantTests {
    // ---- per-token int8 (bitnet.cpp quantize_row_i8_s)

    @Test func i8sHandComputedTiesRoundToEven() {
        // max|x| = 127 -> s = 1 exactly, so q = round-half-even(x)
        let x: [Float] = [127, 2.5, -3.5, 0.5, -0.5, 1.5, -127, 3.49]
        var q = [Int8](repeating: 0, count: x.count)
        var s: Float = 0
        let sum = Paths.with(Paths.scalar) { ck_quantize_i8_s(x, &q, x.count, &s) }
        #expect(s == 1)
        #expect(q == [127, 2, -4, 0, 0, 2, -127, 3])
        #expect(sum == 127 + 2 - 4 + 2 - 127 + 3)
    }

    @Test func i8sFloorsTheMaximumAt1eMinus5() {
        let x = [Float](repeating: 0, count: 5) + [1e-7]
        var q = [Int8](repeating: 9, count: x.count)
        var s: Float = 0
        let sum = ck_quantize_i8_s(x, &q, x.count, &s)
        #expect(s == Float(127.0 / 0.00001))
        #expect(q == [0, 0, 0, 0, 0, 1]) // 1e-7 · 1.27e7 = 1.27
        #expect(sum == 1)
    }

    @Test func i8sScaleIsComputedInDoubleThenStoredAsFloat() {
        var rng = Rng(5)
        let x = rng.floats(300, -3, 3)
        var q = [Int8](repeating: 0, count: x.count)
        var s: Float = 0
        _ = ck_quantize_i8_s(x, &q, x.count, &s)
        let maxAbs = x.map { Double(abs($0)) }.max()!
        #expect(s == Float(127.0 / maxAbs))
        for (xi, qi) in zip(x, q) {
            let expected = max(-128, min(127, Int((xi * s).rounded(.toNearestOrEven))))
            #expect(Int(qi) == expected)
        }
    }

    @Test(arguments: [1, 7, 31, 128, 2560, 6913])
    func i8sSIMDEqualsScalar(n: Int) {
        var rng = Rng(UInt64(n))
        let x = rng.floats(n, -5, 5)
        let results = Paths.each { () -> ([Int8], Int32, Float) in
            var q = [Int8](repeating: 0, count: n)
            var s: Float = 0
            let sum = ck_quantize_i8_s(x, &q, n, &s)
            return (q, sum, s)
        }
        for r in results.dropFirst() {
            #expect(r.0 == results[0].0 && r.1 == results[0].1 && r.2 == results[0].2)
        }
        #expect(results[0].1 == results[0].0.reduce(Int32(0)) { $0 + Int32($1) })
    }

    // ---- Q8_K (llama.cpp quantize_row_q8_K_ref)

    @Test func q8KHandComputedBlock() {
        // x_j = j − 100: the largest |x| is x_255 = 155 (positive), so iscale = −127/155 and q_255 = −127
        let x = (0..<256).map { Float($0 - 100) }
        var y = [ck_block_q8_K](repeating: ck_block_q8_K(), count: 1)
        ck_quantize_q8_K(x, &y, 256)
        let iscale = Float(-127) / Float(155)
        let q = withUnsafeBytes(of: y[0].qs) { Array($0.bindMemory(to: Int8.self)) }
        #expect(y[0].d == 1 / iscale)
        #expect(q[255] == -127 && q[100] == 0)
        for j in 0..<256 {
            let expected = min(127, Int((iscale * x[j]).rounded(.toNearestOrEven)))
            #expect(Int(q[j]) == expected, "\(j)")
        }
        let bsums = withUnsafeBytes(of: y[0].bsums) { Array($0.bindMemory(to: Int16.self)) }
        for g in 0..<16 { #expect(Int(bsums[g]) == q[(g * 16)..<(g * 16 + 16)].reduce(0) { $0 + Int($1) }) }
    }

    @Test func q8KAllZeroBlockIsZero() {
        var y = [ck_block_q8_K](repeating: ck_block_q8_K(), count: 2)
        let x = [Float](repeating: 0, count: 256) + (0..<256).map { Float($0) }
        ck_quantize_q8_K(x, &y, 512)
        #expect(y[0].d == 0)
        #expect(withUnsafeBytes(of: y[0].qs) { $0.allSatisfy { $0 == 0 } })
        #expect(y[1].d != 0)
    }

    // ---- Q8_0 / Q8_1

    @Test func q8_0ReferenceVariantEqualsGGUFPackageBytes() throws {
        guard TestEnvironment.shouldRun(needs: GGUFReference.available) else { return }
        var rng = Rng(21)
        var x = rng.floats(32 * 40, -4, 4)
        for i in 0..<32 { x[32 * 3 + i] = 0 }            // an all-zero block
        for i in 0..<32 { x[32 * 5 + i] = Float(i) - 15.5 } // exact .5 products
        let expected = try GGUFReference.quantize("Q8_0", x)
        var y = [ck_block_q8_0](repeating: ck_block_q8_0(), count: 40)
        ck_quantize_q8_0(x, &y, x.count, Int32(CK_Q8_REF))
        let ours = y.withUnsafeBytes { Array($0) }
        #expect(ours == expected)
    }

    @Test func q8_0X86VariantRoundsTiesToEven() {
        // amax = 127 -> d = 1 for both variants; 2.5 -> 3 (ref, roundf) and 2 (x86, round half even)
        var x = [Float](repeating: 0, count: 32)
        x[0] = 127; x[1] = 2.5; x[2] = -2.5; x[3] = 0.5
        var ref = [ck_block_q8_0](repeating: ck_block_q8_0(), count: 1), x86 = ref
        ck_quantize_q8_0(x, &ref, 32, Int32(CK_Q8_REF))
        ck_quantize_q8_0(x, &x86, 32, Int32(CK_Q8_X86))
        let r = withUnsafeBytes(of: ref[0].qs) { Array($0.bindMemory(to: Int8.self)) }
        let v = withUnsafeBytes(of: x86[0].qs) { Array($0.bindMemory(to: Int8.self)) }
        #expect(Array(r[0..<4]) == [127, 3, -3, 1])
        #expect(Array(v[0..<4]) == [127, 2, -2, 0])
        #expect(ck_f16_to_f32(ref[0].d) == 1 && ck_f16_to_f32(x86[0].d) == 1)
    }

    @Test func q8_1CarriesTheScaledSum() {
        var rng = Rng(8)
        let x = rng.floats(64, -2, 2)
        var y = [ck_block_q8_1](repeating: ck_block_q8_1(), count: 2)
        ck_quantize_q8_1(x, &y, 64, Int32(CK_Q8_REF))
        var y0 = [ck_block_q8_0](repeating: ck_block_q8_0(), count: 2)
        ck_quantize_q8_0(x, &y0, 64, Int32(CK_Q8_REF))
        for b in 0..<2 {
            let q = withUnsafeBytes(of: y[b].qs) { Array($0.bindMemory(to: Int8.self)) }
            let q0 = withUnsafeBytes(of: y0[b].qs) { Array($0.bindMemory(to: Int8.self)) }
            #expect(q == q0 && y[b].d == y0[b].d)
            let amax = x[(b * 32)..<(b * 32 + 32)].map { abs($0) }.max()!
            let d = amax / 127
            let sum = q.reduce(0) { $0 + Int($1) }
            #expect(y[b].s == Float16(Float(sum) * d).bitPattern)
        }
    }
}
