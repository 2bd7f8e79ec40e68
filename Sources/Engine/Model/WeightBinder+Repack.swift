import Foundation

extension WeightBinder {
    /// A matrix made at load, and how (the receipt's `weight_layouts` entry it counts under).
    struct Repacked {
        var matrix: MatVec
        var layout: String
    }

    /// The matrix for `name`: prepared ahead by `prepare` when it was, else repacked now; nil when it runs as stored.
    /// Counts the layout for the receipt.
    mutating func repackedMatrix(_ f: WeightFormat, _ t: TensorEntry, name: String, rows: Int, cols: Int,
                                 bytes need: Int) throws -> MatVec? {
        let made = try prepared.removeValue(forKey: name)?.get() ?? repack(f, t, name: name, rows: rows, cols: cols, bytes: need)
        guard let made else { return nil }
        repacks[made.layout, default: 0] += 1
        return made.matrix
    }

    /// With huge pages (`hugePages.copy`) every matrix ends up in huge-page-backed memory (copied as is when not repacked).
    /// TL1/TL2, BitNet32-F16 and ARM-interleave (64) I2_S re-encoded at load (see `WeightRepack`), TQ1_0/TQ2_0 too with
    /// `ModelOptions.repackTernary`/`repackTQ2`, or nil when the tensor runs as stored.
    /// The file pages of a repacked tensor are released afterwards (file-backed sources only: for memory a test
    /// passes in, MADV_DONTNEED would zero it). Touches nothing but its own buffers: `prepare` runs it on many threads.
    func repack(_ f: WeightFormat, _ t: TensorEntry, name: String, rows: Int, cols: Int, bytes need: Int) throws -> Repacked? {
        var m: MatVec
        let layout: String
        let fileBacked = source is GGUFModelSource
        switch f {
        case .tl1, .tl2:
            guard let c = WeightRepack.tlConfig(f, rows: rows, cols: cols, source: source, fallback: options.tlConfig) else {
                throw EngineError(.badInput, "tensor '\(name)' (\(rows)×\(cols)) is \(f.name) but its tile configuration is not "
                                  + "recorded in the file and no published preset has this shape; pass a TL configuration (BM,BK,bm)")
            }
            let buffer = try WeightRepack.tl(f, name: name, data: t.data, rows: rows, cols: cols, config: c)
            (m, layout) = i2s(name, buffer, rows: rows, cols: cols, from: f)
        case .bitnet32_f16:
            if let buffer = WeightRepack.bitnet32(data: t.data, rows: rows, cols: cols) {
                (m, layout) = i2s(name, buffer, rows: rows, cols: cols, from: f)
            } else if let (codes, scales) = WeightRepack.bitnet32Blocks(data: t.data, rows: rows, cols: cols) {
                m = MatVec(name: name, format: .bitnet32_f16, rows: rows, cols: cols, data: UnsafeRawPointer(codes.bytes),
                           interleave: 128, parity: options.parity)
                m.blockScales = UnsafePointer(scales.bytes.assumingMemoryBound(to: UInt16.self))
                m.owner = [codes, scales] as NSArray
                layout = WeightRepack.bitnet32BlocksDescription
            } else {
                return nil
            }
        case .i2_s where interleave == 64:
            guard let buffer = WeightRepack.i2s64(data: t.data, rows: rows, cols: cols) else { return nil }
            (m, _) = i2s(name, buffer, rows: rows, cols: cols, from: f)
            layout = WeightRepack.i2s64Description
        case .i2_s where options.repackI2SToTQ1 && options.parity == .bitnet:
            guard let (buffer, beta) = WeightRepack.i2sToTQ1(data: t.data, rows: rows, cols: cols) else { return nil }
            m = MatVec(name: name, format: .tq1_0, rows: rows, cols: cols, data: UnsafeRawPointer(buffer.bytes),
                       interleave: 128, parity: options.parity, uniformScale: beta)
            m.sourceFormat = .i2_s
            m.owner = buffer
            // batched prefill keeps reading the file's I2_S through its GEMM (TQ1_0's is about 0.75× as fast)
            m.prefillTwin = PrefillTwin(MatVec(name: name, format: .i2_s, rows: rows, cols: cols, data: t.data,
                                               interleave: 128, parity: options.parity))
            layout = WeightRepack.i2sToTQ1Description
        case .tq1_0 where options.repackTernary && options.parity == .bitnet,
             .tq2_0 where (options.repackTernary || options.repackTQ2) && options.parity == .bitnet:
            guard let buffer = WeightRepack.tq(f, data: t.data, rows: rows, cols: cols) else { return nil }
            (m, layout) = i2s(name, buffer, rows: rows, cols: cols, from: f)
        default:
            guard hugePages.copy, fileBacked else { return nil }
            // the tensor's bytes copied as they are into 2 MiB transparent huge pages
            let buffer = WeightRepack.copy(t.data, count: need, releasingFilePages: true)
            m = MatVec(name: name, format: f, rows: rows, cols: cols, data: UnsafeRawPointer(buffer.bytes),
                       interleave: interleave, parity: options.parity)
            m.owner = buffer
            layout = WeightRepack.hugePagesDescription(hugePages.reason)
        }
        if fileBacked { WeightRepack.releaseFilePages(t.data, count: need) }
        return Repacked(matrix: m, layout: layout)
    }

    /// An I2_S (128) matrix over a repacked buffer, remembering the file's format.
    private func i2s(_ name: String, _ buffer: RepackedBuffer, rows: Int, cols: Int, from f: WeightFormat) -> (MatVec, String) {
        var m = MatVec(name: name, format: .i2_s, rows: rows, cols: cols, data: UnsafeRawPointer(buffer.bytes),
                       interleave: 128, parity: options.parity)
        m.sourceFormat = f
        m.owner = buffer
        return (m, WeightRepack.describe(f))
    }

    /// One matrix the model will ask `matrix` for.
    struct MatrixSpec {
        let name: String
        let cols: Int
        let rows: Int
    }

    /// Runs the load-time work of `specs` (repacks, huge-page copies) on all cores ahead of the sequential binding:
    /// `matrix` then takes the prepared result, or the error, in order. Specs that fail `validated` are skipped
    /// (`matrix` reports them) and so are tensors that run as stored.
    mutating func prepare(_ specs: [MatrixSpec]) {
        let repackable: Set<WeightFormat> = [.tl1, .tl2, .bitnet32_f16, .tq1_0, .tq2_0]
        let jobs = specs.compactMap { s -> (MatrixSpec, WeightFormat, TensorEntry, Int)? in
            guard let (f, t, need) = try? validated(s.name, cols: s.cols, rows: s.rows),
                  hugePages.copy || repackable.contains(f) || (f == .i2_s && (interleave == 64 || options.repackI2SToTQ1))
            else { return nil }
            return (s, f, t, need)
        }
        guard jobs.count > 1 else { return }
        let results = UnsafeMutableBufferPointer<Result<Repacked?, Error>>.allocate(capacity: jobs.count)
        defer { results.deallocate() }
        nonisolated(unsafe) let me = self, out = results, work = jobs
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let (s, f, t, need) = work[i]
            (out.baseAddress! + i).initialize(to: Result { try me.repack(f, t, name: s.name, rows: s.rows, cols: s.cols, bytes: need) })
        }
        for (i, j) in jobs.enumerated() { prepared[j.0.name] = (results.baseAddress! + i).move() }
    }
}
