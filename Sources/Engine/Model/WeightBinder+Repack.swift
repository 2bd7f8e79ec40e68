import Foundation

extension WeightBinder {
    /// With huge pages (`hugePages.copy`) every matrix ends up in huge-page-backed memory (copied as is when not repacked).
    /// TL1/TL2 and BitNet32-F16 re-encoded at load (see `WeightRepack`), TQ1_0/TQ2_0 too with
    /// `ModelOptions.repackTernary`, or nil when the tensor runs as stored.
    /// The file pages of a repacked tensor are released afterwards (file-backed sources only: for memory a test
    /// passes in, MADV_DONTNEED would zero it).
    mutating func repackedMatrix(_ f: WeightFormat, _ t: TensorEntry, name: String, rows: Int, cols: Int,
                                 bytes need: Int) throws -> MatVec? {
        var m: MatVec
        let huge = hugePages.copy
        let fileBacked = source is GGUFModelSource
        switch f {
        case .tl1, .tl2:
            guard let c = WeightRepack.tlConfig(f, rows: rows, cols: cols, source: source, fallback: options.tlConfig) else {
                throw EngineError(.badInput, "tensor '\(name)' (\(rows)×\(cols)) is \(f.name) but its tile configuration is not "
                                  + "recorded in the file and no published preset has this shape; pass a TL configuration (BM,BK,bm)")
            }
            let buffer = try WeightRepack.tl(f, name: name, data: t.data, rows: rows, cols: cols, config: c)
            m = i2s(name, buffer, rows: rows, cols: cols, from: f)
        case .bitnet32_f16:
            if let buffer = WeightRepack.bitnet32(data: t.data, rows: rows, cols: cols) {
                m = i2s(name, buffer, rows: rows, cols: cols, from: f)
            } else if let (codes, scales) = WeightRepack.bitnet32Blocks(data: t.data, rows: rows, cols: cols) {
                m = MatVec(name: name, format: .bitnet32_f16, rows: rows, cols: cols, data: UnsafeRawPointer(codes.bytes),
                           interleave: 128, parity: options.parity)
                m.blockScales = UnsafePointer(scales.bytes.assumingMemoryBound(to: UInt16.self))
                m.owner = [codes, scales] as NSArray
                repacks[WeightRepack.bitnet32BlocksDescription, default: 0] += 1
            } else {
                return nil
            }
        case .tq1_0 where options.repackTernary && options.parity == .bitnet,
             .tq2_0 where (options.repackTernary || options.repackTQ2) && options.parity == .bitnet:
            guard let buffer = WeightRepack.tq(f, data: t.data, rows: rows, cols: cols) else { return nil }
            m = i2s(name, buffer, rows: rows, cols: cols, from: f)
        default:
            guard huge, fileBacked else { return nil }
            // the tensor's bytes copied as they are into 2 MiB transparent huge pages
            let buffer = WeightRepack.copy(t.data, count: need, releasingFilePages: true)
            m = MatVec(name: name, format: f, rows: rows, cols: cols, data: UnsafeRawPointer(buffer.bytes),
                       interleave: interleave, parity: options.parity)
            m.owner = buffer
            repacks[WeightRepack.hugePagesDescription(hugePages.reason), default: 0] += 1
        }
        if fileBacked { WeightRepack.releaseFilePages(t.data, count: need) }
        return m
    }

    /// An I2_S (128) matrix over a repacked buffer, remembering the file's format.
    private mutating func i2s(_ name: String, _ buffer: RepackedBuffer, rows: Int, cols: Int, from f: WeightFormat) -> MatVec {
        repacks[WeightRepack.describe(f), default: 0] += 1
        var m = MatVec(name: name, format: .i2_s, rows: rows, cols: cols, data: UnsafeRawPointer(buffer.bytes),
                       interleave: 128, parity: options.parity)
        m.sourceFormat = f
        m.owner = buffer
        return m
    }
}
