/// IQ2_S (mainline ggml type 22): 256-weight blocks of 82 bytes.
///
/// Block: f16 `d`; `qs[64]` (bytes 0–31: low 8 bits of the grid index of each 8-weight group, bytes 32–63:
/// one sign byte per group, bit j negates weight j); `qh[8]` (per 32 weights, bits 2l+1:2l are bits 9:8 of
/// group l's grid index); `scales[8]` (per 32 weights, low nibble for groups 0–1, high nibble for 2–3).
/// Weight = d · (0.5 + s) · 0.25 · grid byte · sign, computed in that order as ggml's dequantize_row_iq2_s.
extension TensorCodec {
    static let iq2sBlockBytes = 82

    static func dequantizeIQ2S(_ bytes: UnsafeRawBufferPointer, _ count: Int, _ out: inout [Float]) {
        for b in 0 ..< count / 256 {
            let o = b * iq2sBlockBytes
            let d = HalfFloat.toFloat(bytes.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian)
            let qs = o + 2, signs = o + 2 + 32, qh = o + 2 + 64, scales = o + 2 + 72
            for ib32 in 0 ..< 8 {
                let sc = bytes[scales + ib32]
                let db0 = d * (0.5 + Float(sc & 0xF)) * 0.25
                let db1 = d * (0.5 + Float(sc >> 4)) * 0.25
                let high = Int(bytes[qh + ib32])
                for l in 0 ..< 4 {
                    let dl = l < 2 ? db0 : db1
                    let index = Int(bytes[qs + 4 * ib32 + l]) | ((high << (8 - 2 * l)) & 0x300)
                    let grid = IQ2SGrid.table[index]
                    let sign = bytes[signs + 4 * ib32 + l]
                    for j in 0 ..< 8 {
                        let g = Float((grid >> (8 * UInt64(j))) & 0xFF)
                        let v = dl * g
                        out[b * 256 + ib32 * 32 + l * 8 + j] = sign & (1 << UInt8(j)) != 0 ? -v : v
                    }
                }
            }
        }
    }
}
