import Foundation
import Testing
import CKernels

@Suite struct Float16Tests {
    #if arch(x86_64) || arch(arm64)
    @Test func everyHalfWidensLikeSwiftFloat16() {
        for bits in 0...0xffff {
            let h = UInt16(bits)
            let ours = ck_f16_to_f32(h), swift = Float(Float16(bitPattern: h))
            if swift.isNaN { #expect(ours.isNaN) } else { #expect(ours.bitPattern == swift.bitPattern, "\(bits)") }
        }
    }

    @Test func narrowingRoundsToNearestEvenLikeSwiftFloat16() {
        var rng = Rng(11)
        var inputs: [Float] = [0, -0.0, 1, 65504, 65520, 65519.99, 1e-8, 5.96e-8, 2.98e-8, 2.99e-8, -3e-5, .infinity, 1e10]
        // exact ties between two halves (the 11th bit is 1, the rest 0)
        inputs += [1.0 + 1.0 / 2048, 1.0 + 3.0 / 2048, 2048 + 1, 2048 + 3]
        for _ in 0..<100_000 {
            let e = Float(Int(rng.next() % 40) - 28)
            inputs.append(rng.float(-1, 1) * Float(pow(2.0, Double(e))))
        }
        for x in inputs {
            #expect(ck_f32_to_f16(x) == Float16(x).bitPattern, "\(x)")
        }
    }
    #endif

    @Test func rowConversionsEqualScalarOnEveryPath() {
        var rng = Rng(3)
        for n in [0, 1, 7, 8, 9, 33, 1001] {
            let halves = (0..<n).map { _ in UInt16(truncatingIfNeeded: rng.next()) & 0x7bff | 0x0400 } // finite
            let floats = rng.floats(n, -70000, 70000)
            let results = Paths.each { () -> ([Float], [UInt16]) in
                var f = [Float](repeating: 0, count: n), h = [UInt16](repeating: 0, count: n)
                ck_f16_to_f32_row(halves, &f, n)
                ck_f32_to_f16_row(floats, &h, n)
                return (f, h)
            }
            for r in results {
                #expect(r.0.map(\.bitPattern) == halves.map { ck_f16_to_f32($0).bitPattern })
                #expect(r.1 == floats.map { ck_f32_to_f16($0) })
            }
        }
    }

    @Test func bf16IsTheHighHalfOfAFloat() {
        #expect(ck_bf16_to_f32(0x3f80) == 1.0)
        #expect(ck_bf16_to_f32(0xc040) == -3.0)
    }
}
