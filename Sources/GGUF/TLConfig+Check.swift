extension TLConfig {
    /// Throws (one line) unless this configuration tiles a `rows` × `cols` weight in `format` (.tl1 or .tl2).
    public func check(_ format: TensorFormat, rows: Int, cols: Int) throws {
        switch format {
        case .tl1: try TensorCodec.tl1Check(rows: rows, cols: cols, config: self)
        case .tl2: try TensorCodec.tl2Check(rows: rows, cols: cols, config: self)
        default: throw GGUFError(.invalidArgument, at: nil, "\(format.traits.name) has no tile configuration")
        }
    }

    /// The configuration for a shape: the published preset, else `fallback` when it tiles the shape, else the
    /// first of a few common configurations that does (BM 128/256/160/320, BK 64/128 for TL1 and 96/192 for TL2).
    public static func resolve(_ format: TensorFormat, rows: Int, cols: Int, fallback: TLConfig? = nil) -> TLConfig? {
        if let p = preset(format, rows: rows, cols: cols) { return p }
        if let f = fallback { return (try? f.check(format, rows: rows, cols: cols)) != nil ? f : nil }
        let bms = [128, 256, 160, 320, 64, 32]
        let bks = format == .tl1 ? [64, 128, 32] : [96, 192, 48, 24]
        let sms = format == .tl1 ? [32, 64] : [32]
        for a in bms { for b in bks { for c in sms {
            let cfg = TLConfig(bigM: a, bigK: b, smallM: c)
            if (try? cfg.check(format, rows: rows, cols: cols)) != nil { return cfg }
        } } }
        return nil
    }
}
