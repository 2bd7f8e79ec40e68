import GGUF

/// Per-engine verdicts: can this engine load and run this file correctly, and why (not).
enum Compatibility {
    /// Weight types the bundled engine runs (issue 4; TL1/TL2/IQ2_S/BitNet32-F16 since issue 7: TL1, TL2 and
    /// single-scale BitNet32-F16 are repacked to I2_S at load, the rest have their own kernels).
    static let ourFormats: Set<TensorFormat> = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q6_k, .tq1_0, .tq2_0, .i2_s,
                                                .tl1, .tl2, .bitnet32_f16, .iq2_s]
    static let ourArchitectures: Set<String> = ["bitnet-b1.58", "bitnet-25", "bitnet", "llama"]
    /// Types mainline llama.cpp cannot load (the fork's ids, or BitNet.rs's layout).
    static let forkOnly: Set<TensorFormat> = [.i2_s, .i8_s, .tl1, .tl2, .bitnet32_f16]
    static let bitnetCppMissing: Set<TensorFormat> = [.mxfp4, .nvfp4, .q1_0, .bitnet32_f16, .iq4_nl_4_4, .iq4_nl_4_8, .iq4_nl_8_8]

    /// The first TL1/TL2 tensor whose tile configuration is neither recorded in the file nor a published preset.
    static func untiledTL(_ f: GGUFFile) -> GGUFTensorInfo? {
        let recorded = Conversion.Plan.recordedTL(f)
        return f.tensors.first { t in
            guard t.type.format == .tl1 || t.type.format == .tl2, t.dims.count >= 2 else { return false }
            let shape = Conversion.TLShape(rows: t.dims[1], cols: t.dims[0])
            return recorded[shape] == nil && TLConfig.preset(t.type.format, rows: shape.rows, cols: shape.cols) == nil
        }
    }

    static func names(_ s: Set<TensorFormat>) -> String { s.map(\.traits.name).sorted().joined(separator: ", ") }

    static func verdicts(_ f: GGUFFile, _ i: ModelInspection) -> [String: ModelInspection.Verdict] {
        let formats = Set(f.tensors.map(\.type.format))
        let arch = i.architecture ?? "(none)"
        var v = [String: ModelInspection.Verdict]()

        // bitnet-doctor's own engine
        if !ourArchitectures.contains(arch) {
            v["bitnet_doctor"] = .init(ok: false, reason: "architecture '\(arch)' is not supported (bitnet-b1.58, bitnet-25, bitnet, llama are)")
        } else if !formats.subtracting(ourFormats).isEmpty {
            v["bitnet_doctor"] = .init(ok: false, reason: "tensor types \(names(formats.subtracting(ourFormats))) are not decoded by this build's engine")
        } else if let t = untiledTL(f) {
            v["bitnet_doctor"] = .init(ok: false, reason: "\(t.type.name) tensor '\(t.name)' (\(t.dims.dropFirst().first ?? 0)×\(t.dims.first ?? 0)) has no tile configuration recorded in the file and no published preset; the engine cannot decode it (convert it with --tl-config, or to i2_s)")
        } else if formats.contains(.tl1) || formats.contains(.tl2) {
            v["bitnet_doctor"] = .init(ok: true, reason: "TL1/TL2 weights are repacked to I2_S at load (exact) and run on the I2_S kernels")
        } else {
            v["bitnet_doctor"] = .init(ok: true, reason: "architecture \(arch) and every tensor type are supported")
        }

        // bitnet.cpp (Microsoft fork)
        let bitnetCppArchs: Set<String> = ["bitnet-b1.58", "bitnet-25", "bitnet", "llama"]
        if !bitnetCppArchs.contains(arch) {
            v["bitnet_cpp"] = .init(ok: false, reason: "architecture '\(arch)' is outside what bitnet.cpp is built for")
        } else if !formats.intersection(bitnetCppMissing).isEmpty {
            v["bitnet_cpp"] = .init(ok: false, reason: "bitnet.cpp's ggml predates or lacks \(names(formats.intersection(bitnetCppMissing)))")
        } else if i.tlScale == "tensor" {
            v["bitnet_cpp"] = .init(ok: false, reason: "TL1/TL2 scales are separate <name>_scale tensors: bitnet.cpp's loader refuses them ('wrong number of tensors'); its own files keep the scale in each tensor's tail (convert --tl-scale tail)")
        } else if formats.contains(.tl1) || formats.contains(.tl2) {
            v["bitnet_cpp"] = .init(ok: true, reason: "TL1/TL2 run only in a bitnet.cpp build generated with the same kernel config the file was converted with (TL1: ARM, TL2: x86)")
        } else if formats.contains(.i2_s) {
            v["bitnet_cpp"] = .init(ok: true, reason: "I2_S is bitnet.cpp's own format (x86 build expects the 128-weight interleave, ARM builds 64)")
        } else {
            v["bitnet_cpp"] = .init(ok: true, reason: "architecture and tensor types are supported")
        }

        // mainline llama.cpp
        if !formats.intersection(forkOnly).isEmpty {
            let ids = Set(f.tensors.filter { forkOnly.contains($0.type.format) }.map(\.typeID)).sorted()
            v["llama_cpp"] = .init(ok: false, reason: "mainline llama.cpp cannot load \(names(formats.intersection(forkOnly))) (type id \(ids.map(String.init).joined(separator: ", ")): removed or MXFP4 there)")
        } else if TypeDialect.forkArchitectures.contains(arch) {
            v["llama_cpp"] = .init(ok: false, reason: "mainline llama.cpp has no '\(arch)' architecture (its BitNet architecture is 'bitnet')")
        } else if arch == "bitnet" {
            v["llama_cpp"] = .init(ok: true, reason: "loads as 'bitnet', which uses a SiLU FFN (BitNet b1.58 2B-4T was trained with ReLU²) and per-256-block int8 activations")
        } else {
            v["llama_cpp"] = .init(ok: true, reason: "mainline types and architecture")
        }

        // BitNet.rs
        if formats.contains(.i2_s) {
            v["bitnet_rs"] = .init(ok: false, reason: "BitNet.rs reads bitnet.cpp's I2_S as its 'QK256' layout (256-weight LSB-first blocks, table {-2,-1,+1,+2}, no scale): wrong output, about 0.1 tok/s")
        } else if formats.contains(.bitnet32_f16) {
            v["bitnet_rs"] = .init(ok: true, reason: "BitNet32-F16 is BitNet.rs's own I2_S layout")
        } else if i.ternaryFormat == nil {
            v["bitnet_rs"] = .init(ok: false, reason: "BitNet.rs runs BitNet models in its I2_S layouts only; this file has no ternary weights")
        } else {
            let ternary = formats.filter { $0.traits.isTernary }
            v["bitnet_rs"] = .init(ok: false, reason: "BitNet.rs loads only its I2_S layouts (BitNet32-F16, QK256); this file's ternary weights are \(names(ternary))")
        }
        return v
    }
}
