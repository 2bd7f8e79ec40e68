/// IQ2_S from ternary weights (`synth --format iq2_s`). IQ2_S stores every weight as d·(0.5 + s)·0.25·g·(±1) with g in
/// {8, 25, 43} (eight at a time from ggml's 1024-entry grid): it has no zero, so ternary values can only be
/// approximated. This encoder is deterministic and simple, not ggml's importance-weighted search:
/// - every 4-bit scale is 15 and d = f16(β / (25·3.875)), so grid value 25 stands for β;
/// - each 8-weight group takes the grid entry nearest (squared error, lowest index on ties) to 25 where the weight is
///   ±1 and 0 where it is 0; non-zero weights keep their sign, zero weights alternate +, − by position so their
///   8/25·β residue does not bias a row.
extension TensorCodec {
    /// The grid index chosen for each 8-bit pattern of non-zero positions (bit j: weight j is ±1).
    static let iq2sPatternIndex: [UInt16] = (0 ..< 256).map { pattern in
        var best = 0, bestCost = Int.max
        for (index, entry) in IQ2SGrid.table.enumerated() {
            var cost = 0
            for j in 0 ..< 8 {
                let g = Int((entry >> (8 * UInt64(j))) & 0xFF), target = pattern & (1 << j) != 0 ? 25 : 0
                cost += (g - target) * (g - target)
            }
            if cost < bestCost { best = index; bestCost = cost }
        }
        return UInt16(best)
    }

    /// Ternary `values` (count % 256 == 0) with scale β as IQ2_S blocks (82 bytes per 256 weights).
    public static func encodeIQ2S(values: [Int8], scale: Float) -> [UInt8] {
        precondition(values.count % 256 == 0, "IQ2_S needs whole 256-weight blocks")
        let d = HalfFloat.fromFloat(scale / (25 * 3.875))
        var out = [UInt8](repeating: 0, count: values.count / 256 * iq2sBlockBytes)
        for b in 0 ..< values.count / 256 {
            let o = b * iq2sBlockBytes
            out[o] = UInt8(d & 0xFF)
            out[o + 1] = UInt8(d >> 8)
            for ib32 in 0 ..< 8 {
                var high: UInt8 = 0
                for l in 0 ..< 4 {
                    let g = ib32 * 4 + l, base = b * 256 + g * 8
                    var pattern = 0, sign: UInt8 = 0
                    for j in 0 ..< 8 {
                        let v = values[base + j]
                        if v != 0 { pattern |= 1 << j }
                        if v < 0 || (v == 0 && j & 1 == 1) { sign |= 1 << UInt8(j) }
                    }
                    let index = iq2sPatternIndex[pattern]
                    out[o + 2 + g] = UInt8(index & 0xFF)
                    out[o + 2 + 32 + g] = sign
                    high |= UInt8(index >> 8) << UInt8(2 * l)
                }
                out[o + 2 + 64 + ib32] = high
                out[o + 2 + 72 + ib32] = 0xFF
            }
        }
        return out
    }
}
