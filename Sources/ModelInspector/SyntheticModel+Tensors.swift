import GGUF

extension SyntheticModel {
    static func addTensors(_ w: inout GGUFWriter, _ d: Dimensions, _ o: Options, _ tl: [Conversion.TLShape: TLConfig]) throws {
        let seed = o.seed
        let embedFormat = o.embeddingFormat
        try w.addTensor("token_embd.weight", dims: [d.hidden, d.vocab], type: embedFormat.tensorFormat, .stream { out in
            var rng = SynthRandom(seed: seed, name: "token_embd.weight")
            var row = [Float](repeating: 0, count: d.hidden)
            for _ in 0 ..< d.vocab {
                for i in 0 ..< d.hidden { row[i] = Float(0.05 * rng.normal()) }
                switch embedFormat {
                case .f32: try out.write(TensorCodec.encodeF32(row))
                case .f16: try out.write(TensorCodec.encodeF16(row))
                case .q8_0: try out.write(TensorCodec.quantizeQ8_0(row))
                case .q6_k: try out.write(TensorCodec.quantizeQ6_K(row))
                }
            }
        })
        let kvDim = d.kvHeads * d.headDim
        for l in 0 ..< d.layers {
            let p = "blk.\(l)."
            try norm(&w, p + "attn_norm.weight", d.hidden, seed)
            try ternary(&w, tl, p + "attn_q.weight", [d.hidden, d.hidden], o)
            try ternary(&w, tl, p + "attn_k.weight", [d.hidden, kvDim], o)
            try ternary(&w, tl, p + "attn_v.weight", [d.hidden, kvDim], o)
            try ternary(&w, tl, p + "attn_output.weight", [d.hidden, d.hidden], o)
            try norm(&w, p + "attn_sub_norm.weight", d.hidden, seed)
            try norm(&w, p + "ffn_norm.weight", d.hidden, seed)
            try ternary(&w, tl, p + "ffn_gate.weight", [d.hidden, d.ffn], o)
            try ternary(&w, tl, p + "ffn_up.weight", [d.hidden, d.ffn], o)
            try ternary(&w, tl, p + "ffn_down.weight", [d.ffn, d.hidden], o)
            try norm(&w, p + "ffn_sub_norm.weight", d.ffn, seed)
        }
        try norm(&w, "output_norm.weight", d.hidden, seed)
    }

    private static func norm(_ w: inout GGUFWriter, _ name: String, _ n: Int, _ seed: UInt64) throws {
        try w.addTensor(name, dims: [n], type: .f32, .stream { out in
            try out.write(TensorCodec.encodeF32(normWeights(name: name, count: n, seed: seed)))
        })
    }

    private static func ternary(_ w: inout GGUFWriter, _ tl: [Conversion.TLShape: TLConfig], _ name: String, _ dims: [Int],
                                _ o: Options) throws {
        let format = o.format, seed = o.seed, interleave = o.i2sInterleave
        let config = tl[Conversion.TLShape(rows: dims[1], cols: dims[0])]
        try w.addTensor(name, dims: dims, type: format.tensorFormat, .stream { out in
            let (values, scale) = ternaryWeights(name: name, count: dims[0] * dims[1], fanIn: dims[0], seed: seed)
            switch format {
            case .i2_s: try out.write(try TensorCodec.encodeI2S(values: values, scale: scale, interleave: interleave))
            case .tq2_0: try out.write(TensorCodec.encodeTQ2_0(values: values, scale: scale))
            case .tq1_0: try out.write(TensorCodec.encodeTQ1_0(values: values, scale: scale))
            case .tl1: try out.write(TensorCodec.encodeTL1(values: values, rows: dims[1], cols: dims[0], scale: scale, config: config!))
            case .tl2: try out.write(TensorCodec.encodeTL2(values: values, rows: dims[1], cols: dims[0], scale: scale, config: config!))
            case .bitnet32_f16: try out.write(TensorCodec.encodeBitNet32F16(values: values, scale: scale))
            case .iq2_s: try out.write(TensorCodec.encodeIQ2S(values: values, scale: scale))
            case .f16: try out.write(TensorCodec.encodeF16(values.map { Float($0) * scale }))
            case .f32: try out.write(TensorCodec.encodeF32(values.map { Float($0) * scale }))
            }
        })
    }
}
