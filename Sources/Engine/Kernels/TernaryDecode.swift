/// Decoders from the ternary layouts to weights in {-1, 0, +1} (in element order).
enum TernaryDecode {
    /// I2_S, `n` weights of one row; blocks of `interleave` weights in interleave/4 bytes, byte j holding
    /// weights j, j+K/4, j+2K/4, j+3K/4 in bits 7:6, 5:4, 3:2, 1:0.
    static func i2s(_ p: UnsafeRawPointer, _ n: Int, interleave k: Int, into w: UnsafeMutablePointer<Int8>) {
        let q = k / 4
        let bytes = p.assumingMemoryBound(to: UInt8.self)
        for b in 0..<(n / k) {
            for j in 0..<q {
                let v = bytes[b * q + j]
                let o = b * k + j
                w[o] = Int8((v >> 6) & 3) - 1
                w[o + q] = Int8((v >> 4) & 3) - 1
                w[o + 2 * q] = Int8((v >> 2) & 3) - 1
                w[o + 3 * q] = Int8(v & 3) - 1
            }
        }
    }

    /// One TQ2_0 block (66 bytes) → 256 weights.
    static func tq2(_ p: UnsafeRawPointer, into w: UnsafeMutablePointer<Int8>) {
        let qs = p.assumingMemoryBound(to: UInt8.self)
        for half in 0..<2 {
            for m in 0..<32 {
                let v = qs[half * 32 + m]
                for l in 0..<4 { w[half * 128 + l * 32 + m] = Int8((v >> (2 * UInt8(l))) & 3) - 1 }
            }
        }
    }

    private static let pow3: [UInt8] = [1, 3, 9, 27, 81, 243]

    /// One TQ1_0 block (54 bytes: qs[48], qh[4], d) → 256 weights.
    static func tq1(_ p: UnsafeRawPointer, into w: UnsafeMutablePointer<Int8>) {
        let qs = p.assumingMemoryBound(to: UInt8.self)
        var o = 0
        @inline(__always) func trit(_ q: UInt8, _ n: Int) -> Int8 {
            let v = q &* pow3[n]
            return Int8((UInt16(v) * 3) >> 8) - 1
        }
        for n in 0..<5 { for m in 0..<32 { w[o] = trit(qs[m], n); o += 1 } }
        for n in 0..<5 { for m in 0..<16 { w[o] = trit(qs[32 + m], n); o += 1 } }
        for n in 0..<4 { for j in 0..<4 { w[o] = trit(qs[48 + j], n); o += 1 } }
    }
}
