import CKernels
import Foundation
import Testing

/// The AVX2 activation quantizers (`quantize_q8_K.avx2`, `quantize_q8_0.avx2`, `quantize_q8_1.avx2`: x86 variant)
/// write the scalar code's bytes on every path: random rows, exact halves (round half to even), blocks whose largest
/// magnitude occurs twice with opposite signs (the first sets Q8_K's sign), all-zero blocks and a block with a NaN.
@Suite struct ActivationQuantPathTests {
    static func row(_ n: Int, seed: UInt64) -> [Float] {
        var g = Rng(seed)
        var x = g.floats(n, -3, 3)
        for i in stride(from: 0, to: n, by: 7) { x[i] = Float(Int(g.next() % 41) - 20) / 8 }   // many exact halves
        x[40] = 2.5; x[41] = -2.5                                                            // a signed tie at the max
        for i in 64..<96 { x[i] = 0 }                                                        // a zero Q8_0 block
        if n >= 768 { for i in 512..<768 { x[i] = 0 } }                                      // a zero Q8_K block
        return x
    }

    static func bytes<T>(_ a: [T]) -> [UInt8] { a.withUnsafeBytes { Array($0) } }

    @Test(arguments: [256, 768, 2560])
    func everyPathWritesTheScalarBytes(n: Int) {
        for variant in [0, 1] {
            var x = Self.row(n, seed: UInt64(n + variant))
            if variant == 1 { x[100] = .nan }   // that block (and Q8_K's block 0) goes to the scalar code
            let results = Paths.each { () -> ([UInt8], [UInt8], [UInt8]) in
                var k = [ck_block_q8_K](repeating: ck_block_q8_K(), count: n / 256)
                var z = [ck_block_q8_0](repeating: ck_block_q8_0(), count: n / 32)
                var o = [ck_block_q8_1](repeating: ck_block_q8_1(), count: n / 32)
                ck_quantize_q8_K(x, &k, n)
                ck_quantize_q8_0(x, &z, n, Int32(CK_Q8_X86))
                ck_quantize_q8_1(x, &o, n, Int32(CK_Q8_X86))
                return (Self.bytes(k), Self.bytes(z), Self.bytes(o))
            }
            for (p, r) in zip(Paths.available, results) {
                #expect(r.0 == results[0].0, "q8_K path \(p) nan \(variant)")
                #expect(r.1 == results[0].1, "q8_0 path \(p) nan \(variant)")
                #expect(r.2 == results[0].2, "q8_1 path \(p) nan \(variant)")
            }
        }
        for id in ["quantize_q8_K.avx2", "quantize_q8_0.avx2", "quantize_q8_1.avx2"] { #expect(ck_kernel_index(id) >= 0) }
    }
}
