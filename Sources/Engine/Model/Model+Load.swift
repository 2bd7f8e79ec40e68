import CKernels
import Foundation
import ModelInspector

extension Model {
    /// Loads a GGUF model by memory map. Every check runs before anything is computed; a problem throws an
    /// `EngineError` with one clear line.
    public static func load(url: URL, options: ModelOptions = ModelOptions()) throws -> Model {
        let start = DispatchTime.now()
        let source = try GGUFModelSource(path: url.path)
        return try load(source: source, options: options, start: start)
    }

    /// Loads from any `ModelSource` (tests may pass their own).
    public static func load(source: ModelSource, options requested: ModelOptions, start: DispatchTime = .now()) throws -> Model {
        var options = requested
        let interleave = requested.i2sInterleave ?? source.metadata.int(ModelInspector.i2sInterleaveKey).map(Int.init) ?? 128
        guard interleave == 128 || interleave == 64 else {
            throw EngineError(.badInput, "I2_S interleave must be 128 or 64, not \(interleave)")
        }
        options.i2sInterleave = interleave
        let tq1Declined = requested.repackI2SToTQ1 ? Self.declineTQ1Repack(options) : nil
        if tq1Declined != nil { options.repackI2SToTQ1 = false }
        let tokens = source.stringArray("tokenizer.ggml.tokens")
        let config = try ModelConfig(metadata: source.metadata, vocabFallback: tokens?.count)
        let e = config.embeddingLength, f = config.feedForwardLength, kv = config.kvDim
        let ctx = min(options.contextSize ?? min(config.contextLength, 4096), config.contextLength)
        guard ctx > 0 else { throw EngineError(.badInput, "context size must be positive") }
        let kvBytes = KVCache.bytes(layers: config.blockCount, capacity: ctx, dim: kv)
        if options.checkMemory, let avail = MemoryInfo.availableBytes() {
            let need = source.fileSize + kvBytes
            if need > avail {
                throw EngineError(.insufficientMemory, "the model needs \(need / 1_048_576) MiB (weights \(source.fileSize / 1_048_576) MiB + KV cache \(kvBytes / 1_048_576) MiB) but only \(avail / 1_048_576) MiB are available")
            }
        }
        let thp = HugePages.thpMode()
        let hugeFile = options.hugePages ? (source as? GGUFModelSource).flatMap { HugePages.mapFile($0.file.storage, thpMode: thp) } : nil
        let huge = hugeFile != nil ? .notRequested
            : HugePages.decide(requested: options.hugePages, fileBacked: source is GGUFModelSource, fileBytes: source.fileSize,
                               kvBytes: kvBytes, thpMode: thp, availableBytes: MemoryInfo.availableBytes())
        var b = WeightBinder(source: source, options: options, hugePages: huge)
        let specs = matrixSpecs(config, source: source)
        b.prepare(specs)
        // every matrix by name, with the shape `matrixSpecs` gives it (one list of shapes for prepare and binding)
        let shapes = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })
        func matrix(_ name: String) throws -> MatVec {
            let s = shapes[name]!
            return try b.matrix(name, cols: s.cols, rows: s.rows)
        }
        let embd = try matrix("token_embd.weight")
        var layers: [LayerWeights] = []
        for i in 0..<config.blockCount {
            let p = "blk.\(i)."
            let sub = config.architecture.hasSubNorms
            layers.append(LayerWeights(
                attnNorm: try b.vector(p + "attn_norm.weight", count: e)!,
                q: try matrix(p + "attn_q.weight"),
                k: try matrix(p + "attn_k.weight"),
                v: try matrix(p + "attn_v.weight"),
                o: try matrix(p + "attn_output.weight"),
                qScale: try b.scale(p + "attn_q.scale"), kScale: try b.scale(p + "attn_k.scale"),
                vScale: try b.scale(p + "attn_v.scale"), oScale: try b.scale(p + "attn_output.scale"),
                attnSubNorm: sub ? try b.vector(p + "attn_sub_norm.weight", count: e) : nil,
                ffnNorm: try b.vector(p + "ffn_norm.weight", count: e)!,
                gate: try matrix(p + "ffn_gate.weight"),
                up: try matrix(p + "ffn_up.weight"),
                down: try matrix(p + "ffn_down.weight"),
                gateScale: try b.scale(p + "ffn_gate.scale"), upScale: try b.scale(p + "ffn_up.scale"),
                downScale: try b.scale(p + "ffn_down.scale"),
                ffnSubNorm: sub ? try b.vector(p + "ffn_sub_norm.weight", count: f) : nil))
        }
        let outNorm = try b.vector("output_norm.weight", count: e)!
        // mainline `bitnet` always multiplies by the token embedding; the others use output.weight when present.
        let hasOutput = hasOutputMatrix(config, source: source)
        let output = hasOutput ? try matrix("output.weight") : embd
        var weights = ModelWeights(tokenEmbedding: embd, layers: layers, outputNorm: outNorm, output: output, tiedOutput: !hasOutput)
        let blockMats = layers.flatMap(\.matrices)
        let blockBytes = blockMats.reduce(0) { $0 + $1.format.tensorBytes(rowLength: $1.cols, rows: $1.rows) } + embd.format.rowBytes(e)
        var headChoice: String? = nil
        if options.head == .auto {
            (options.head, headChoice) = autoHead(output, otherBytes: blockBytes)
        }
        let releaseHead = source is GGUFModelSource && output.owner == nil
        let int8Head = options.head == .int8
            ? try Int8Head(from: output, parity: options.parity, releasingFilePages: releaseHead)
            : nil
        if let int8Head { weights.output = int8Head.matrix }
        // --head screened: weights.output stays the exact head; greedy decoding screens with the int8 copy
        let screened = options.head == .screened
            ? try ScreenedHead(exact: output, parity: options.parity, releasingFilePages: releaseHead)
            : nil
        let streamedHead = screened?.int8.matrix ?? weights.output

        let tokenizer = try TokenizerGlue.make(source)
        var counts: [String: Int] = [:]
        for m in blockMats { counts[m.sourceFormat.name, default: 0] += m.rows * m.cols }
        let blockFormat = counts.max { $0.value < $1.value }?.key ?? "unknown"
        let bytesPerToken = blockBytes + streamedHead.format.tensorBytes(rowLength: e, rows: output.rows)
        let formats = Set(b.used.map { WeightFormat(rawValue: $0.typeID)?.name ?? "type\($0.typeID)" })
        let params = source.tensorNames.compactMap { source.tensor($0)?.dims.reduce(1, *) }.reduce(0, +)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        return Model(config: config, options: options, source: source, tokenizer: tokenizer, weights: weights,
                     loadMilliseconds: ms, formats: formats.sorted(), blockFormat: blockFormat, parameters: params,
                     bytesPerToken: bytesPerToken, contextSize: ctx, exactOutput: int8Head == nil ? nil : output,
                     int8Head: int8Head, screenedHead: screened, headChoice: headChoice, weightLayouts: b.repacks.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value) tensors" }
                        + (hugeFile.map { [$0] } ?? (options.hugePages && !huge.copy ? ["file mapping, 4 KiB pages (\(huge.reason))"] : []))
                        + (tq1Declined.map { [$0] } ?? []))
    }

    /// Why `--repack tq1_0` cannot pay here, or nil: TQ1_0's byte-carry kernel needs AVX-512 VNNI (elsewhere TQ1_0 runs
    /// at 0.8× I2_S or less), and llama.cpp numerics multiply TQ1_0 with Q8_K.
    static func declineTQ1Repack(_ o: ModelOptions) -> String? {
        if o.parity != .bitnet { return "--repack tq1_0 declined: llama.cpp numerics (TQ1_0 × Q8_K); I2_S runs as stored" }
        if ck_path() & UInt32(CK_PATH_AVX512VNNI) == 0 {
            return "--repack tq1_0 declined: TQ1_0's fast kernel needs AVX-512 VNNI (this CPU's path: \(String(cString: ck_path_name()))); I2_S runs as stored"
        }
        return nil
    }

    /// `--head auto`: screened when the output matrix is a float matrix the int8 head takes and at least
    /// `HeadPrecision.autoMinimumShare` of the bytes per token (`otherBytes`: everything else streamed), else exact;
    /// with the reason, for the receipt.
    static func autoHead(_ output: MatVec, otherBytes: Int) -> (HeadPrecision, String) {
        let headBytes = output.format.tensorBytes(rowLength: output.cols, rows: output.rows)
        let share = Double(headBytes) / Double(max(1, headBytes + otherBytes))
        let percent = "\(Int((share * 100).rounded()))%"
        guard [.f16, .bf16, .f32].contains(output.format) else {
            return (.exact, "auto: exact (the \(output.format.name) head has no int8 screen; only float heads do)")
        }
        guard ck_q8_head_fits(output.cols) != 0 else {
            return (.exact, "auto: exact (rows of \(output.cols) do not fit the int8 head)")
        }
        guard share >= HeadPrecision.autoMinimumShare else {
            return (.exact, "auto: exact (the \(output.format.name) head is \(percent) of the bytes per token)")
        }
        return (.screened, "auto: screened (the \(output.format.name) head is \(percent) of the bytes per token)")
    }

    /// Whether the head is `output.weight` (mainline `bitnet` always multiplies by the token embedding).
    static func hasOutputMatrix(_ c: ModelConfig, source: ModelSource) -> Bool {
        source.tensor("output.weight") != nil && c.architecture != .bitnet
    }

    /// Every matrix `load` binds, in order (for `WeightBinder.prepare`).
    static func matrixSpecs(_ c: ModelConfig, source: ModelSource) -> [WeightBinder.MatrixSpec] {
        let e = c.embeddingLength, f = c.feedForwardLength, kv = c.kvDim
        var specs = [WeightBinder.MatrixSpec(name: "token_embd.weight", cols: e, rows: c.vocabSize)]
        for i in 0..<c.blockCount {
            let p = "blk.\(i)."
            specs += [("attn_q", e, e), ("attn_k", e, kv), ("attn_v", e, kv), ("attn_output", e, e),
                      ("ffn_gate", e, f), ("ffn_up", e, f), ("ffn_down", f, e)]
                .map { WeightBinder.MatrixSpec(name: p + $0.0 + ".weight", cols: $0.1, rows: $0.2) }
        }
        if hasOutputMatrix(c, source: source) {
            specs.append(WeightBinder.MatrixSpec(name: "output.weight", cols: e, rows: c.vocabSize))
        }
        return specs
    }
}
