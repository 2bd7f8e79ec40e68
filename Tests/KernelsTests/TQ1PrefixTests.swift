import Testing
import CKernels

/// The TQ1_0 × int8 kernels (tq1.c) multiply without decoding trits (a telescoping sum over ⌊3^(k+1)·q/256⌋) and
/// prepare the activations in chunks of 32 blocks. Truth here is ggml's TQ1_0 dequantization written out in Swift:
/// trit k of byte q is ((q·3^k mod 256)·3) >> 8, weight = trit − 1, at the positions ggml's dequantize_row_tq1_0 uses.
@Suite struct TQ1PrefixTests {
    static func trit(_ q: UInt8, _ k: Int) -> Int {
        let pow3: [UInt8] = [1, 3, 9, 27, 81]
        return (Int(q &* pow3[k]) * 3) >> 8
    }

    /// The 256 weights of one 54-byte block, in ggml's order.
    static func weights(_ b: ArraySlice<UInt8>) -> [Int] {
        let qs = Array(b.prefix(48)), qh = Array(b.dropFirst(48).prefix(4))
        var w = [Int](repeating: 0, count: 256)
        for k in 0..<5 { for m in 0..<32 { w[k * 32 + m] = trit(qs[m], k) - 1 } }
        for k in 0..<5 { for m in 0..<16 { w[160 + k * 16 + m] = trit(qs[32 + m], k) - 1 } }
        for k in 0..<4 { for j in 0..<4 { w[240 + k * 4 + j] = trit(qh[j], k) - 1 } }
        return w
    }

    /// Every byte value (243..255 included: ggml never writes them, the kernels must still agree), rows that span one,
    /// two and three prep chunks, activations at the int8 extremes and random.
    @Test(arguments: [1, 32, 33, 65])
    func everyPathEqualsTheDequantizedDotForEveryByteValue(blocksPerRow: Int) {
        let rows = 5, n = blocksPerRow * 256
        var rng = Rng(UInt64(blocksPerRow))
        var blocks = [UInt8]()
        for i in 0..<(rows * blocksPerRow) {
            var b = (0..<52).map { UInt8(truncatingIfNeeded: i * 52 + $0 * 7) }   // cycles through all 256 values
            b.append(contentsOf: [0x00, 0x3c])                                   // d = 1.0 (unused by the int8 form)
            blocks.append(contentsOf: b)
        }
        let extremes: [Int8] = [127, -128, -127, 126]
        let q: [Int8] = (0..<n).map { i in i % 3 == 0 ? extremes[(i / 3) % 4] : Int8(truncatingIfNeeded: rng.next()) }
        var expected = [Int32](repeating: 0, count: rows)
        for r in 0..<rows {
            var s = 0
            for b in 0..<blocksPerRow {
                let start = (r * blocksPerRow + b) * 54
                let w = Self.weights(blocks[start..<(start + 54)])
                for i in 0..<256 { s += w[i] * Int(q[b * 256 + i]) }
            }
            expected[r] = Int32(s)
        }
        let results = Paths.each { () -> [Int32] in
            var out = [Int32](repeating: -1, count: rows)
            withBlocks(blocks, as: ck_block_tq1_0.self) { ck_tq1_0_i8_gemv($0, n, 1, rows, q, &out) }
            return Array(out[1...])
        }
        #expect(results.count >= 1)
        for r in results { #expect(r == Array(expected[1...])) }
    }

    /// `ck_tq1_0_uniform_scale` skips blocks whose weights are all 0 (their scale does not matter) by a byte table;
    /// a block that differs from all-zero in one trit only (the fifth trit of a qs byte, or a qh byte) counts.
    @Test func uniformScaleSkipsExactlyTheAllZeroBlocks() {
        let all5 = (0...255).filter { v in (0..<5).allSatisfy { Self.trit(UInt8(v), $0) == 1 } }.map(UInt8.init)
        let all4 = (0...255).filter { v in (0..<4).allSatisfy { Self.trit(UInt8(v), $0) == 1 } }.map(UInt8.init)
        let fifthOff = all4.filter { !all5.contains($0) }
        #expect(!all5.isEmpty && !fifthOff.isEmpty)
        func block(_ qs: [UInt8], _ qh: [UInt8], d: UInt16) -> [UInt8] { qs + qh + [UInt8(d & 0xff), UInt8(d >> 8)] }
        let zero = block(Array(repeating: all5[0], count: 48), Array(repeating: all4[0], count: 4), d: 0x3c00)
        var rng = Rng(9)
        let live = block(rng.bytes(48), rng.bytes(4), d: 0x3800)
        func uniform(_ blocks: [[UInt8]]) -> (Int32, Float) {
            var d: Float = -1
            let r = withBlocks(blocks.flatMap { $0 }, as: ck_block_tq1_0.self) { ck_tq1_0_uniform_scale($0, 256, blocks.count, &d) }
            return (r, d)
        }
        #expect(uniform([live, zero, live]) == (1, 0.5))
        #expect(uniform([zero, zero]) == (1, 0))
        var fifth = zero
        fifth[7] = fifthOff[0]                                                   // one qs byte: trit 4 is not 1
        #expect(uniform([live, fifth]).0 == 0)
        var qhOff = zero
        qhOff[49] = 0                                                            // a qh byte of trits 0: not all-ones
        #expect((0..<4).allSatisfy { Self.trit(qhOff[49], $0) == 1 } == false)
        #expect(uniform([live, qhOff]).0 == 0)
    }
}

