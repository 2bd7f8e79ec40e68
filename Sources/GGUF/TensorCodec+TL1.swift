/// bitnet.cpp TL1 (fork type 38), as utils/convert-hf-to-gguf-bitnet.py (preprocess_weights_tl1, process_tl1)
/// lays it out.
///
/// Weights are taken in pairs along a row: index = 3·w0 + w1 + 4 (0…8). Byte = index(pair p) << 4 |
/// index(pair p + 1). Bytes are emitted tile by tile: for each row tile of BM rows, each column tile of BK
/// columns, each BM/bm inner row tile, each by-column group (by = 256/bm), each 16-row strip, each pair of
/// pairs, the 16 rows of the strip. The layout is M·K/4 bytes, followed in the file by a 32-byte tail whose
/// first 4 bytes are the f32 scale: what bitnet.cpp's converter writes (its bundled gguf-py folds the
/// `<name>_scale` tensor it is given into that tail) and what its TL1 kernels read (at byte M·K/4).
extension TensorCodec {
    static func tl1Check(rows: Int, cols: Int, config c: TLConfig) throws {
        let bm = c.smallM
        guard bm == 32 || bm == 64 else { throw tlError("TL1 needs bm 32 or 64 (codegen_tl1.py), not \(bm)") }
        let by = 256 / bm
        guard rows > 0, cols > 0, rows % c.bigM == 0, cols % c.bigK == 0, c.bigM % bm == 0, c.bigK % by == 0 else {
            throw tlError("TL1 config \(c) does not tile a \(rows)×\(cols) weight (rows % BM, cols % BK, BM % bm, BK % \(by) must be 0)")
        }
    }

    /// Visits the layout: `body(byte, row, pair)` for every output byte; the byte packs pairs `pair`
    /// (high nibble) and `pair + 1` (low nibble) of row `row`.
    static func tl1Walk(rows: Int, cols: Int, config c: TLConfig, _ body: (Int, Int, Int) throws -> Void) rethrows {
        let bm = c.smallM, by = 256 / bm
        var byte = 0
        for mb in 0 ..< rows / c.bigM { for kb in 0 ..< cols / c.bigK { for mbb in 0 ..< c.bigM / bm {
            for kyb in 0 ..< c.bigK / by { for m16 in 0 ..< bm / 16 { for k4 in 0 ..< by / 4 { for r in 0 ..< 16 {
                let row = mb * c.bigM + mbb * bm + m16 * 16 + r
                let pair = kb * (c.bigK / 2) + kyb * (by / 2) + k4 * 2
                try body(byte, row, pair)
                byte += 1
            } } } }
        } } }
    }

    /// The converter's TL1 bytes (M·K/4, no scale) for `values` (row-major, `cols` per row).
    public static func tl1Layout(values: [Int8], rows: Int, cols: Int, config: TLConfig) throws -> [UInt8] {
        try tl1Check(rows: rows, cols: cols, config: config)
        guard values.count == rows * cols else { throw tlError("TL1: \(values.count) values for a \(rows)×\(cols) weight") }
        var out = [UInt8](repeating: 0, count: rows * cols / 4)
        tl1Walk(rows: rows, cols: cols, config: config) { byte, row, pair in
            let o = row * cols + 2 * pair
            out[byte] = tlPairIndex(values[o], values[o + 1]) << 4 | tlPairIndex(values[o + 2], values[o + 3])
        }
        return out
    }

    /// TL1 tensor bytes as our files hold them: the layout, then a 32-byte tail whose first 4 bytes are the f32 scale.
    public static func encodeTL1(values: [Int8], rows: Int, cols: Int, scale: Float, config: TLConfig) throws -> [UInt8] {
        var out = try tl1Layout(values: values, rows: rows, cols: cols, config: config)
        out += tlScaleTail(scale)
        return out
    }

    /// Decodes TL1 bytes (layout + 32-byte tail with the f32 scale) back to ternary values and the scale.
    /// `scale`: bitnet.cpp's form, the scale from the separate `<name>_scale` tensor and no tail in `bytes`.
    public static func decodeTL1(_ bytes: UnsafeRawBufferPointer, rows: Int, cols: Int, config: TLConfig,
                                 scale separate: Float? = nil) throws -> TernaryWeights {
        try tl1Check(rows: rows, cols: cols, config: config)
        let n = rows * cols
        guard bytes.count >= n / 4 + (separate == nil ? 4 : 0) else { throw tlError("TL1: \(bytes.count) bytes cannot hold a \(rows)×\(cols) weight") }
        var v = [Int8](repeating: 0, count: n)
        try tl1Walk(rows: rows, cols: cols, config: config) { byte, row, pair in
            let b = bytes[byte], o = row * cols + 2 * pair
            (v[o], v[o + 1]) = try tlPairValues(b >> 4)
            (v[o + 2], v[o + 3]) = try tlPairValues(b & 0xF)
        }
        let scale = separate ?? Float(bitPattern: bytes.loadUnaligned(fromByteOffset: n / 4, as: UInt32.self).littleEndian)
        return TernaryWeights(values: v, scales: [scale], scaleBlock: max(n, 1))
    }

    // MARK: shared by TL1 and TL2

    static func tlError(_ message: String) -> GGUFError { GGUFError(.invalidArgument, at: nil, message) }

    /// 3·w0 + w1 + 4.
    @inline(__always) static func tlPairIndex(_ w0: Int8, _ w1: Int8) -> UInt8 { UInt8(3 * Int(w0) + Int(w1) + 4) }

    static func tlPairValues(_ index: UInt8) throws -> (Int8, Int8) {
        guard index <= 8 else { throw tlError("TL pair index \(index) is not in 0…8: not a TL-encoded tensor or wrong config") }
        let v = Int(index) - 4                       // 3·w0 + w1
        let w1 = ((v % 3) + 4) % 3 - 1               // balanced remainder
        return (Int8((v - w1) / 3), Int8(w1))
    }

    static func tlScaleTail(_ scale: Float) -> [UInt8] {
        var tail = [UInt8](repeating: 0, count: 32)
        withUnsafeBytes(of: scale.bitPattern.littleEndian) { for i in 0 ..< 4 { tail[i] = $0[i] } }
        return tail
    }
}
