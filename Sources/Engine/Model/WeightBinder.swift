/// Finds, checks and wraps the tensors of a model: presence, type, shape against the metadata, and size in the file.
struct WeightBinder {
    let source: ModelSource
    let options: ModelOptions
    private(set) var used: [TensorEntry] = []

    /// The I2_S interleave in force (resolved by `Model.load`).
    var interleave: Int { options.i2sInterleave ?? 128 }

    /// Whether matrices are copied into huge pages, and why (`HugePages.decide`, resolved by `Model.load`).
    let hugePages: HugePages.Decision

    init(source: ModelSource, options: ModelOptions, hugePages: HugePages.Decision = .notRequested) {
        self.source = source; self.options = options; self.hugePages = hugePages
    }

    /// What load-time repacks happened: description → tensor count (e.g. "TL2→I2_S (load-time repack)": 210).
    var repacks: [String: Int] = [:]
    /// Repacks made ahead on all cores by `prepare`, taken by `matrix`.
    var prepared: [String: Result<Repacked?, Error>] = [:]

    /// A weight matrix `name` with `cols` inputs and `rows` outputs. TL1/TL2 and uniform-scale BitNet32-F16 come
    /// back repacked to I2_S (`sourceFormat` keeps the file's format).
    mutating func matrix(_ name: String, cols: Int, rows: Int) throws -> MatVec {
        let (f, t, need) = try validated(name, cols: cols, rows: rows)
        used.append(t)
        if let m = try repackedMatrix(f, t, name: name, rows: rows, cols: cols, bytes: need) { return m }
        return MatVec(name: name, format: f, rows: rows, cols: cols, data: t.data, interleave: interleave,
                      parity: options.parity)
    }

    /// The checks every matrix passes before its bytes are touched: presence, type, shape against the metadata,
    /// block multiples, and size in the file. Returns the format, the entry and the tensor's byte count.
    func validated(_ name: String, cols: Int, rows: Int) throws -> (WeightFormat, TensorEntry, Int) {
        guard let t = source.tensor(name) else { throw EngineError(.missingTensor, "required tensor '\(name)' is missing") }
        guard let f = WeightFormat(rawValue: t.typeID) else {
            throw EngineError(.wrongType, "tensor '\(name)' has type id \(t.typeID), which the engine cannot multiply "
                              + "(supported: \(WeightFormat.allCases.map(\.name).joined(separator: ", ")))")
        }
        guard t.dims == [cols, rows] || (t.dims.count > 2 && t.dims.prefix(2).elementsEqual([cols, rows]) && t.dims.dropFirst(2).allSatisfy { $0 == 1 }) else {
            throw EngineError(.wrongShape, "tensor '\(name)' has shape \(t.dims) but the metadata implies [\(cols), \(rows)]")
        }
        let block = f == .i2_s ? interleave : f.blockSize
        guard cols % block == 0 else {
            throw EngineError(.wrongShape, "tensor '\(name)' rows of \(cols) are not a multiple of the \(f.name) block (\(block))")
        }
        if f == .i2_s && (rows * cols) % interleave != 0 {
            throw EngineError(.wrongShape, "tensor '\(name)' size is not a multiple of the I2_S block")
        }
        if f == .tl2 && cols < 256 {
            throw EngineError(.wrongShape, "tensor '\(name)' rows of \(cols) are shorter than TL2's minimum of 256 weights")
        }
        let need = f.tensorBytes(rowLength: cols, rows: rows)
        guard need <= t.available else {
            throw EngineError(.truncated, "tensor '\(name)' needs \(need) bytes but the file has only \(t.available) left (truncated?)")
        }
        return (f, t, need)
    }

    /// A required (or optional) f32 vector of `count` values.
    mutating func vector(_ name: String, count: Int, required: Bool = true) throws -> [Float]? {
        guard let t = source.tensor(name) else {
            if required { throw EngineError(.missingTensor, "required tensor '\(name)' is missing") }
            return nil
        }
        guard t.dims.reduce(1, *) == count, t.dims.first == count else {
            throw EngineError(.wrongShape, "tensor '\(name)' has shape \(t.dims) but the metadata implies [\(count)]")
        }
        guard t.typeID == WeightFormat.f32.rawValue || t.typeID == WeightFormat.f16.rawValue else {
            throw EngineError(.wrongType, "tensor '\(name)' must be F32 or F16 (type id \(t.typeID))")
        }
        let f = WeightFormat(rawValue: t.typeID)!
        guard f.rowBytes(count) <= t.available else {
            throw EngineError(.truncated, "tensor '\(name)' needs \(f.rowBytes(count)) bytes but the file has only \(t.available) left")
        }
        used.append(t)
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer {
            RowDequantizer.row(f, t.data, count: count, interleave: 128, tensorScale: 1, into: $0.baseAddress!)
        }
        return out
    }

    /// An optional one-value `<name>.scale` tensor.
    mutating func scale(_ name: String) throws -> Float? {
        guard source.tensor(name) != nil else { return nil }
        return try vector(name, count: 1)?[0]
    }
}
