/// bitnet.cpp TL2 (fork type 39), as utils/convert-hf-to-gguf-bitnet.py (preprocess_weights_tl2,
/// preprocess_three_weights_tl2, preprocess_two_weights_tl2) lays it out.
///
/// The first K3 = K − K mod BK columns are taken in triples t = 9·w0 + 3·w1 + w2 (−13…13), stored as a 4-bit
/// magnitude |t| and a sign bit (t < 0); the last K mod BK columns in TL1-style pairs (3·w0 + w1 + 4), tiled
/// with BK = 32, bm = 32. Sections, in order:
/// 1. magnitudes: per (row tile BM, column tile BK, inner row tile bm, 6-column group) one 32-byte row, byte r =
///    |t(triple 0)| << 4 | |t(triple 1)| of inner row r, the row's four 8-byte groups stored in order 0, 2, 1, 3;
/// 2. signs: per (row tile, column tile, inner row tile, 24-column group) 16 little-endian u16 words; the 8 × 32
///    signs (triple-major, then row) read as 16 × 16, word j bit 15 − i is sign [i][j];
/// 3. the remainder pairs, per (row tile, 32-column tile, inner row tile, 4-column group) one 32-byte row with
///    the same group order.
/// Zero padding follows up to the fork's size, (K − 256)·M/3·5/8 + 256·M/2·4/8, then zeros up to a multiple of
/// 32 and a 32-byte tail whose first 4 bytes are the f32 scale: what bitnet.cpp's converter writes (its bundled
/// gguf-py folds the `<name>_scale` tensor into that tail) and where its TL2 kernels (codegen_tl2.py) read it.
extension TensorCodec {
    static func tl2Check(rows: Int, cols: Int, config c: TLConfig) throws {
        guard c.smallM == 32 else { throw tlError("TL2 needs bm 32 (the converter's TL2 path works only with 32), not \(c.smallM)") }
        guard rows > 0, cols >= 256, rows % c.bigM == 0, c.bigM % 32 == 0, c.bigK % 24 == 0, cols >= c.bigK,
              (cols % c.bigK) % 32 == 0 else {
            throw tlError("TL2 config \(c) does not tile a \(rows)×\(cols) weight (rows % BM, BM % 32, BK % 24, (cols % BK) % 32 must be 0, cols ≥ 256)")
        }
        guard tl2LayoutSize(rows: rows, cols: cols, config: c) <= tl2PaddedSize(rows: rows, cols: cols) else {
            throw tlError("TL2 config \(c): the \(cols % c.bigK) remainder columns do not fit the fork's tensor size")
        }
    }

    static func tl2LayoutSize(rows: Int, cols: Int, config c: TLConfig) -> Int {
        let k3 = cols - cols % c.bigK
        return rows * k3 / 6 + rows * k3 / 24 + rows * (cols - k3) / 4
    }

    /// The converter's padded size (np.pad target), before our 32-byte rounding and tail.
    static func tl2PaddedSize(rows: Int, cols: Int) -> Int { (cols - 256) * rows / 3 * 5 / 8 + 256 * rows / 2 * 4 / 8 }

    /// Position of byte `r` of a 32-byte row after the converter's group reorder (groups 1 and 2 swapped).
    @inline(__always) static func tl2Swap(_ r: Int) -> Int {
        let g = r / 8
        return (g == 1 ? 2 : g == 2 ? 1 : g) * 8 + r % 8
    }

    /// Visits sections 1 and 3: `body(byte, row, firstColumn, isTriple)`; the byte packs the group at
    /// `firstColumn` (high nibble) and the next group (low nibble), triples or pairs.
    static func tl2WalkNibbles(rows: Int, cols: Int, config c: TLConfig, _ body: (Int, Int, Int, Bool) throws -> Void) rethrows {
        let k3 = cols - cols % c.bigK
        var base = 0
        for mb in 0 ..< rows / c.bigM { for kb in 0 ..< k3 / c.bigK { for mbb in 0 ..< c.bigM / 32 { for kyb in 0 ..< c.bigK / 6 {
            for r in 0 ..< 32 { try body(base + tl2Swap(r), mb * c.bigM + mbb * 32 + r, kb * c.bigK + kyb * 6, true) }
            base += 32
        } } } }
        base += rows * k3 / 24                                   // the sign section sits in between
        let k2 = cols - k3
        for mb in 0 ..< rows / c.bigM { for kb in 0 ..< k2 / 32 { for mbb in 0 ..< c.bigM / 32 { for kyb in 0 ..< 8 {
            for r in 0 ..< 32 { try body(base + tl2Swap(r), mb * c.bigM + mbb * 32 + r, k3 + kb * 32 + kyb * 4, false) }
            base += 32
        } } } }
    }

    /// Visits section 2: `body(word offset, bit, row, firstColumnOfTriple)`.
    static func tl2WalkSigns(rows: Int, cols: Int, config c: TLConfig, _ body: (Int, Int, Int, Int) throws -> Void) rethrows {
        let k3 = cols - cols % c.bigK
        var base = rows * k3 / 6
        for mb in 0 ..< rows / c.bigM { for kb in 0 ..< k3 / c.bigK { for mbb in 0 ..< c.bigM / 32 { for ks in 0 ..< c.bigK / 24 {
            for f in 0 ..< 256 {
                let ksi = f / 32, r = f % 32, i = f / 16, j = f % 16
                try body(base + 2 * j, 15 - i, mb * c.bigM + mbb * 32 + r, kb * c.bigK + ks * 24 + ksi * 3)
            }
            base += 32
        } } } }
    }

    @inline(__always) static func tl2Triple(_ v: [Int8], _ o: Int) -> Int { 9 * Int(v[o]) + 3 * Int(v[o + 1]) + Int(v[o + 2]) }

    /// The converter's TL2 bytes (before padding, no scale) for `values` (row-major, `cols` per row).
    public static func tl2Layout(values: [Int8], rows: Int, cols: Int, config: TLConfig) throws -> [UInt8] {
        try tl2Check(rows: rows, cols: cols, config: config)
        guard values.count == rows * cols else { throw tlError("TL2: \(values.count) values for a \(rows)×\(cols) weight") }
        var out = [UInt8](repeating: 0, count: tl2LayoutSize(rows: rows, cols: cols, config: config))
        tl2WalkNibbles(rows: rows, cols: cols, config: config) { byte, row, col, triple in
            let o = row * cols + col
            if triple {
                out[byte] = UInt8(abs(tl2Triple(values, o))) << 4 | UInt8(abs(tl2Triple(values, o + 3)))
            } else {
                out[byte] = tlPairIndex(values[o], values[o + 1]) << 4 | tlPairIndex(values[o + 2], values[o + 3])
            }
        }
        tl2WalkSigns(rows: rows, cols: cols, config: config) { word, bit, row, col in
            if tl2Triple(values, row * cols + col) < 0 { out[word + bit / 8] |= 1 << UInt8(bit % 8) }
        }
        return out
    }

    /// TL2 tensor bytes as our files hold them: layout, zeros up to the traits size − 32, 32-byte scale tail.
    public static func encodeTL2(values: [Int8], rows: Int, cols: Int, scale: Float, config: TLConfig) throws -> [UInt8] {
        var out = try tl2Layout(values: values, rows: rows, cols: cols, config: config)
        let total = TensorFormat.tl2.traits.byteSize(elements: rows * cols, rowLength: cols)!
        out += [UInt8](repeating: 0, count: total - 32 - out.count)
        out += tlScaleTail(scale)
        return out
    }

    /// Decodes TL2 bytes (as `encodeTL2` writes them) to ternary values and the scale.
    /// `scale`: bitnet.cpp's form, the scale from the separate `<name>_scale` tensor and no tail in `bytes`.
    public static func decodeTL2(_ bytes: UnsafeRawBufferPointer, rows: Int, cols: Int, config: TLConfig,
                                 scale separate: Float? = nil) throws -> TernaryWeights {
        try tl2Check(rows: rows, cols: cols, config: config)
        let traits = TensorFormat.tl2.traits
        guard let total = separate == nil ? traits.byteSize(elements: rows * cols, rowLength: cols)
                                          : traits.tlDataSize(elements: rows * cols, rowLength: cols), bytes.count >= total else {
            throw tlError("TL2: \(bytes.count) bytes cannot hold a \(rows)×\(cols) weight")
        }
        var v = [Int8](repeating: 0, count: rows * cols)
        var negative = [Bool](repeating: false, count: rows * cols / 3 + 1)   // per triple start / 3 in K3 columns
        let k3 = cols - cols % config.bigK
        tl2WalkSigns(rows: rows, cols: cols, config: config) { word, bit, row, col in
            negative[(row * k3 + col) / 3] = bytes[word + bit / 8] & (1 << UInt8(bit % 8)) != 0
        }
        try tl2WalkNibbles(rows: rows, cols: cols, config: config) { byte, row, col, triple in
            let b = bytes[byte], o = row * cols + col
            if triple {
                for (n, mag) in [(0, b >> 4), (3, b & 0xF)] {
                    guard mag <= 13 else { throw tlError("TL2 magnitude \(mag) is not in 0…13: not a TL2-encoded tensor or wrong config") }
                    var t = Int(mag) * (negative[(row * k3 + col + n) / 3] ? -1 : 1)
                    for d in 0 ..< 3 {                       // balanced base 3, least significant digit last
                        let w = ((t % 3) + 4) % 3 - 1
                        v[o + n + 2 - d] = Int8(w)
                        t = (t - w) / 3
                    }
                }
            } else {
                (v[o], v[o + 1]) = try tlPairValues(b >> 4)
                (v[o + 2], v[o + 3]) = try tlPairValues(b & 0xF)
            }
        }
        let scale = separate ?? Float(bitPattern: bytes.loadUnaligned(fromByteOffset: total - 32, as: UInt32.self).littleEndian)
        return TernaryWeights(values: v, scales: [scale], scaleBlock: max(rows * cols, 1))
    }
}
