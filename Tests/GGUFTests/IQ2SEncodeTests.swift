import Testing
@testable import GGUF

/// `encodeIQ2S` (synth's IQ2_S): read back with the decoder that matches the PyPI gguf package bit for bit
/// (IQ2SCodecTests), each 8-weight group must be the grid entry nearest to 25·|t| (squared error over all 1024 entries,
/// searched here independently), with every non-zero weight's sign and zero weights alternating +, −.
@Suite struct IQ2SEncodeTests {
    @Test func groupsAreTheNearestGridEntriesWithTheRightSigns() throws {
        var state: UInt64 = 5
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        var values = (0 ..< 4 * 256).map { _ in Int8(Int(next() % 3) - 1) }
        for j in 0 ..< 8 { values[j] = 0; values[8 + j] = 1; values[16 + j] = -1 }   // all-zero, all +1, all −1 groups
        let beta: Float = 0.0625
        let bytes = TensorCodec.encodeIQ2S(values: values, scale: beta)
        #expect(bytes.count == 4 * 82)
        let out = try bytes.withUnsafeBytes { try TensorCodec.dequantize($0, format: .iq2_s, count: values.count) }
        let d = HalfFloat.toFloat(HalfFloat.fromFloat(beta / (25 * 3.875)))
        let dl = d * (0.5 + 15) * 0.25
        let grid = IQ2SGrid.table.map { e in (0 ..< 8).map { Int((e >> (8 * UInt64($0))) & 0xFF) } }
        for g in 0 ..< values.count / 8 {
            let t = Array(values[(g * 8) ..< (g * 8 + 8)])
            let cost = { (e: [Int]) in (0 ..< 8).reduce(0) { $0 + (e[$1] - (t[$1] != 0 ? 25 : 0)) * (e[$1] - (t[$1] != 0 ? 25 : 0)) } }
            let best = grid.min { cost($0) < cost($1) }!
            let bestCost = cost(best)
            let got = (0 ..< 8).map { Int((abs(out[g * 8 + $0]) / dl).rounded()) }
            #expect(grid.contains(got) && cost(got) == bestCost, "group \(g)")
            for j in 0 ..< 8 {
                #expect(abs(out[g * 8 + j]) == dl * Float(got[j]))
                let negative = t[j] < 0 || (t[j] == 0 && j % 2 == 1)
                #expect((out[g * 8 + j] < 0) == negative, "group \(g) weight \(j)")
            }
        }
        // hand-checked: an all-zero group is entry 0 (every byte 8, the only entry at the least cost 8·8²) with
        // alternating signs; the grid has no all-25 entry, so all-±1 groups keep their signs on another entry
        #expect(out[0 ..< 8] == [8, -8, 8, -8, 8, -8, 8, -8].map { Float($0) * dl }[...])
        #expect(!IQ2SGrid.table.contains(0x1919_1919_1919_1919))
        #expect(out[8 ..< 16].allSatisfy { $0 > 0 } && out[16 ..< 24].allSatisfy { $0 < 0 })
        #expect(abs(25 * dl - beta) <= beta * 1e-3)
    }
}
