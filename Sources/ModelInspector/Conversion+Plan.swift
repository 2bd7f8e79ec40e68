import GGUF

extension Conversion {
    enum Action { case copy, ternary, embedding(TensorFormat), drop }

    /// Every decision for one conversion, made (and every refusal raised) before anything is written.
    struct Plan {
        let file: GGUFFile
        let options: Options
        let inputInterleave: Int
        /// TL configuration per shape recorded in the input (our keys).
        let inputTL: [TLShape: TLConfig]
        var outputTL: [TLShape: TLConfig] = [:]
        var actions: [String: Action] = [:]
        /// The one scale of each ternary tensor, for one-scale targets (I2_S, TL1, TL2).
        var scales: [String: Float] = [:]

        static let decodable: Set<TensorFormat> = [.i2_s, .tq1_0, .tq2_0, .bitnet32_f16, .tl1, .tl2]

        init(file: GGUFFile, options: Options) throws {
            self.file = file
            self.options = options
            inputInterleave = options.inputI2SInterleave ?? ModelInspector.i2sInterleave(file) ?? 128
            inputTL = Self.recordedTL(file)
            for v in [options.i2sInterleave, inputInterleave] where v != 128 && v != 64 {
                throw Failure("I2_S interleave must be 128 or 64, not \(v)")
            }
            let target = options.target.format
            let separateScales = Set(file.tensors.compactMap(\.scaleTensor))
            for t in file.tensors {
                if separateScales.contains(t.name) {
                    actions[t.name] = .drop          // folded into the converted tensor (tail or a new `_scale`)
                } else if t.type.isTernary {
                    guard Self.decodable.contains(t.type.format) else {
                        throw Failure("tensor '\(t.name)' is \(t.type.name), which convert cannot decode")
                    }
                    if target == .tl1 || target == .tl2 {
                        let shape = try Self.matrix(t)
                        outputTL[shape] = try config(for: target, shape, tensor: t.name, recorded: false)
                    }
                    // Decoding and encoding check every exactness rule; the bytes are produced again when written.
                    let w = try decode(t)
                    if [.i2_s, .tl1, .tl2].contains(target) {
                        scales[t.name] = try Conversion.singleScale(w, tensor: t.name, target: target)
                    }
                    _ = try encodeTernary(t, decoded: w)
                    actions[t.name] = .ternary
                } else if t.name == "token_embd.weight", let format = options.embedding.format {
                    guard TensorCodec.dequantizable.contains(t.type.format) else {
                        throw Failure("cannot re-encode token_embd.weight: no decoder for \(t.type.name)")
                    }
                    guard t.dims[0] % format.traits.blockSize == 0 else {
                        throw Failure("token_embd.weight rows of \(t.dims[0]) are not a multiple of \(format.traits.name)'s block")
                    }
                    actions[t.name] = t.type.format == format ? .copy : .embedding(format)
                } else {
                    actions[t.name] = .copy
                }
            }
        }

        static func matrix(_ t: GGUFTensorInfo) throws -> TLShape {
            guard t.dims.count == 2 || (t.dims.count > 2 && t.dims[2...].allSatisfy { $0 == 1 }) else {
                throw Failure("tensor '\(t.name)' is not a matrix; TL layouts tile 2-D weights")
            }
            return TLShape(rows: t.dims[1], cols: t.dims[0])
        }

        static func recordedTL(_ f: GGUFFile) -> [TLShape: TLConfig] {
            func ints(_ k: String) -> [Int]? { f.array(k)?.integers()?.map { Int($0) } }
            guard let r = ints(tlKeys.rows), let c = ints(tlKeys.cols), let a = ints(tlKeys.bm), let b = ints(tlKeys.bk),
                  let m = ints(tlKeys.bmm), [c.count, a.count, b.count, m.count].allSatisfy({ $0 == r.count }) else { return [:] }
            var out = [TLShape: TLConfig]()
            for i in r.indices { out[TLShape(rows: r[i], cols: c[i])] = TLConfig(bigM: a[i], bigK: b[i], smallM: m[i]) }
            return out
        }

        /// Recorded (input only), then published preset, then `--tl-config`.
        func config(for format: TensorFormat, _ s: TLShape, tensor: String, recorded: Bool) throws -> TLConfig {
            if recorded, let c = inputTL[s] { return c }
            if let c = TLConfig.preset(format, rows: s.rows, cols: s.cols) { return c }
            if let c = options.tlConfig { return c }
            throw Failure("tensor '\(tensor)' (\(s.rows)×\(s.cols)) has no published \(format.traits.name) tile configuration; pass --tl-config BM,BK,bm")
        }

        func decode(_ t: GGUFTensorInfo) throws -> TernaryWeights {
            let bytes = file.tensorBytes(t)
            switch t.type.format {
            case .tl1, .tl2:
                let s = try Self.matrix(t)
                let c = try config(for: t.type.format, s, tensor: t.name, recorded: true)
                let scale = try t.scaleTensor.map { try separateScale($0, of: t.name) }
                return t.type.format == .tl1 ? try TensorCodec.decodeTL1(bytes, rows: s.rows, cols: s.cols, config: c, scale: scale)
                                             : try TensorCodec.decodeTL2(bytes, rows: s.rows, cols: s.cols, config: c, scale: scale)
            default:
                return try TensorCodec.ternary(bytes, format: t.type.format, count: t.elementCount,
                                               options: .init(i2sInterleave: inputInterleave))
            }
        }

        /// bitnet.cpp's `<name>_scale` tensor: F32, its first value is the scale.
        func separateScale(_ name: String, of weight: String) throws -> Float {
            guard let s = file.tensor(named: name), s.type.format == .f32, s.byteCount >= 4 else {
                throw Failure("tensor '\(weight)': its scale tensor '\(name)' is not an F32 value")
            }
            return Float(bitPattern: file.tensorBytes(s).loadUnaligned(as: UInt32.self).littleEndian)
        }

        func encodeTernary(_ t: GGUFTensorInfo, decoded: TernaryWeights? = nil) throws -> [UInt8] {
            let w = try decoded ?? decode(t)
            let target = options.target
            switch target {
            case .i2_s, .tl1, .tl2:
                let scale = try Conversion.singleScale(w, tensor: t.name, target: target.format)
                if target == .i2_s {
                    guard t.elementCount % options.i2sInterleave == 0 else {
                        throw Failure("tensor '\(t.name)' (\(t.elementCount) weights) is not a multiple of the \(options.i2sInterleave)-weight I2_S block")
                    }
                    return try TensorCodec.encodeI2S(values: w.values, scale: scale, interleave: options.i2sInterleave)
                }
                let s = try Self.matrix(t)
                let c = try outputTL[s] ?? config(for: target.format, s, tensor: t.name, recorded: false)
                return target == .tl1 ? try TensorCodec.encodeTL1(values: w.values, rows: s.rows, cols: s.cols, scale: scale, config: c)
                                      : try TensorCodec.encodeTL2(values: w.values, rows: s.rows, cols: s.cols, scale: scale, config: c)
            case .tq1_0, .tq2_0, .bitnet32_f16:
                let block = target == .bitnet32_f16 ? 32 : 256
                guard t.dims[0] % block == 0 else {
                    throw Failure("tensor '\(t.name)' rows of \(t.dims[0]) are not a multiple of \(target.format.traits.name)'s \(block)-weight block")
                }
                return try Conversion.encodeBlocks(w, block: block, target: target.format, tensor: t.name)
            }
        }

        func encodeEmbedding(_ t: GGUFTensorInfo, as format: TensorFormat) throws -> [UInt8] {
            let x = try TensorCodec.dequantize(file.tensorBytes(t), format: t.type.format, count: t.elementCount)
            switch format {
            case .f16: return TensorCodec.encodeF16(x)
            case .q6_k: return TensorCodec.quantizeQ6_K(x)
            default: return TensorCodec.quantizeQ8_0(x)
            }
        }
    }
}
