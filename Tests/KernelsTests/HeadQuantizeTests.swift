import CKernels
import Foundation
import Testing

/// The load-time preparation of `--head int8|screened`: `ck_q8_head_quantize_row` must write exactly the codes and
/// scales of the reference Q8_0 quantizer (`ck_quantize_q8_0` with CK_Q8_REF, itself checked against the PyPI gguf
/// package's bytes in ActivationQuantTests) on every path, ties and zero blocks included; `ck_head_screen_row_bounds`
/// must give on every path upper bounds of the quantities it names, computed here in Double from the codes.
@Suite struct HeadQuantizeTests {
    /// Rows mixing random blocks of very different magnitudes, exact ties (amax 127 gives d = 1, so x = k + 0.5 is a
    /// tie of roundf), values just below a half, an all-zero block and a block of signed zeros.
    static func rows(_ nb: Int, seed: UInt64) -> [Float] {
        var rng = Rng(seed)
        var x: [Float] = []
        for b in 0..<nb {
            switch b % 6 {
            case 0: x += rng.floats(32, -0.05, 0.05)
            case 1:
                x.append(127)
                for i in 1..<32 {
                    let k = Float(Int(rng.next() % 253) - 126)
                    x.append(k + (i % 2 == 0 ? 0.5 : -0.5))
                }
            case 2:
                x.append(-127)
                for _ in 1..<32 { x.append(Float(Int(rng.next() % 200) - 100) + 0.49999997) }
            case 3: x += rng.floats(32, -3e30, 3e30)
            case 4: for _ in 0..<32 { x.append(rng.float(-1, 1) * 1e-36) }
            default: x += b % 12 == 5 ? [Float](repeating: 0, count: 32) : [Float](repeating: -0.0, count: 32)
            }
        }
        return x
    }

    @Test(arguments: [1, 5, 6, 7, 13, 80])
    func quantizeRowEqualsTheReferenceQuantizerOnEveryPath(blocks nb: Int) {
        let x = Self.rows(nb, seed: UInt64(300 + nb)), n = nb * 32
        var blocks = [ck_block_q8_0](repeating: ck_block_q8_0(), count: nb)
        var refCodes = [Int8](repeating: 0, count: n), refScales = [UInt16](repeating: 0, count: nb)
        ck_quantize_q8_0(x, &blocks, n, Int32(CK_Q8_REF))
        ck_q8_head_split(blocks, nb, &refCodes, &refScales)
        if nb >= 6 { #expect(refCodes.contains(127) && refCodes.contains(-127) && refScales.contains(0)) }
        let results = Paths.each { () -> ([Int8], [UInt16]) in
            var c = [Int8](repeating: 99, count: n), s = [UInt16](repeating: 0xffff, count: nb)
            ck_q8_head_quantize_row(x, n, &c, &s)
            return (c, s)
        }
        for (path, r) in zip(Paths.available, results) {
            #expect(r.0 == refCodes, "codes, path \(path)")
            #expect(r.1 == refScales, "scales, path \(path)")
        }
    }

    @Test(arguments: [1, 6, 13, 80])
    func rowBoundsAreUpperBoundsOfTheNamedQuantitiesOnEveryPath(blocks nb: Int) {
        let n = nb * 32
        var x = Self.rows(nb, seed: UInt64(700 + nb))
        for i in x.indices where abs(x[i]) > 1e6 { x[i] *= 1e-32 }   // keep the sums of squares finite
        var codes = [Int8](repeating: 0, count: n), scales = [UInt16](repeating: 0, count: nb)
        ck_q8_head_quantize_row(x, n, &codes, &scales)
        // kappa, zeta, ‖w − dq‖₂, ‖dq‖₂ in Double (each d·q exact in Double; the sums' error is far below the slack)
        var kappa = 0.0, zeta = 0.0, ew = 0.0, nq = 0.0
        for b in 0..<nb {
            let d = Double(ck_f16_to_f32(scales[b]))
            var e = 0.0
            for i in (b * 32)..<(b * 32 + 32) {
                let dq = d * Double(codes[i]), err = abs(Double(x[i]) - dq)
                e = max(e, err); ew += err * err; nq += dq * dq
            }
            if d > 0 { kappa = max(kappa, e / d) } else { zeta = max(zeta, e) }
        }
        let truth = [kappa, zeta, ew.squareRoot(), nq.squareRoot()]
        #expect(truth[0] > 0 && truth[2] > 0 && truth[3] > 0)
        let results = Paths.each { () -> [Float] in
            var row = ck_head_screen_row()
            ck_head_screen_row_bounds(x, codes, scales, n, &row)
            return [row.kappa, row.zeta, row.ew, row.nq]
        }
        for (path, got) in zip(Paths.available, results) {
            for k in 0..<4 {
                #expect(Double(got[k]) >= truth[k], "path \(path) quantity \(k)")
                #expect(Double(got[k]) <= truth[k] * (1 + 0x1p-20) + 1e-44, "path \(path) quantity \(k)")
            }
        }
        // a non-finite weight makes every quantity infinite on every path (the row then always falls back)
        for bad in [Float.nan, .infinity, -.infinity] {
            var y = x
            y[n - 3] = bad
            let r = Paths.each { () -> [Float] in
                var row = ck_head_screen_row()
                ck_head_screen_row_bounds(y, codes, scales, n, &row)
                return [row.kappa, row.zeta, row.ew, row.nq]
            }
            #expect(r.allSatisfy { $0.allSatisfy { $0 == .infinity } }, "\(bad)")
        }
    }
}
