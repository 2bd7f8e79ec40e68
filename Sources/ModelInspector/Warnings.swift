import GGUF

/// Things a user needs to know about a model file, each with a stable id rules can match.
enum Warnings {
    static func of(_ f: GGUFFile, _ i: ModelInspection) -> [ModelInspection.Warning] {
        var w = [ModelInspection.Warning]()
        func add(_ id: String, _ message: String) { w.append(.init(id: id, message: message)) }
        let formats = Set(f.tensors.map(\.type.format))
        let arch = i.architecture

        if arch == nil {
            add("missing_architecture", "general.architecture is missing: no engine knows how to run this file")
        } else if let a = arch, !Compatibility.ourArchitectures.contains(a) {
            add("unknown_architecture", "architecture '\(a)' is not a BitNet or llama architecture this tool knows; shapes may be incomplete")
        }
        if i.tokenizer.model == "gpt2" && !i.tokenizer.hasPre {
            add("missing_pre_tokenizer", "tokenizer.ggml.pre is missing: llama.cpp and bitnet.cpp fall back to the default pre-tokenizer, which splits text differently from the model's own (llama-bpe for the Llama-3 vocabulary)")
        }
        if i.tokenizer.model == nil {
            add("missing_tokenizer", "no tokenizer.ggml.model: the file has no tokenizer; engines need a separate one")
        }
        if let head = i.headType, head == "f16" || head == "f32" || head == "bf16", i.bytesPerToken > 0 {
            let share = Double(i.bytesPerTokenBreakdown.head) / Double(i.bytesPerToken)
            if share >= 0.3 {
                add("embedding_dominates_bytes_per_token", "the output head (\(i.tiedEmbeddings ? "tied embedding" : "output.weight")) is stored in \(head.uppercased()) and is \(Int((share * 100).rounded()))% of the bytes read per token; a Q6_K or Q8_0 head would cut decode time")
            }
        }
        if let tl = i.tlConfigs, tl.contains(where: { $0.source != "recorded" }) {
            let assumed = tl.contains { $0.source == "none" } ? "some shapes have no published preset, see tl configs"
                : "assumed: the published preset for each shape, see tl configs"
            add("tl_kernel_config_unknown", "TL1/TL2 weights are tiled by the kernel configuration used at conversion, which the file does not record (\(assumed)); only a bitnet.cpp build generated with the same configuration decodes them correctly")
        }
        if formats.contains(.i2_s) && i.i2sInterleave == "unknown" {
            add("i2s_interleave_unknown", "I2_S block interleave cannot be told from the bytes: 128 (x86 converters, the official files) is assumed; files converted on ARM use 64 (`inspect --probe-interleave` tells by running the model; `run --i2s-interleave auto` uses it)")
        }
        let ambiguous = f.tensors.filter { TensorTypeTraits.collidingIDs.contains($0.typeID) }
        if !ambiguous.isEmpty && TypeDialect.hint(architecture: arch, fileType: i.fileType) == nil {
            add("type_id_resolved_by_size", "type ids \(Set(ambiguous.map(\.typeID)).sorted().map(String.init).joined(separator: ", ")) mean different things in mainline ggml and bitnet.cpp; resolved from tensor sizes as \(Set(ambiguous.map(\.type.name)).sorted().joined(separator: ", "))")
        }
        // 'bitnet' (SiLU) is right for 1bitLLM's bitnet_b1_58 models (multi-head attention); grouped-query attention or
        // the 2B-4T dimensions mean Microsoft's 2B-4T design, trained with ReLU²
        let sh = i.shape
        let gqa = sh.heads.map { h in sh.kvHeads.map { $0 < h } ?? false } ?? false
        if arch == "bitnet" && i.ternaryFormat != nil && (gqa || (sh.hidden == 2560 && sh.ffn == 6912)) {
            add("bitnet_arch_silu", "architecture 'bitnet' runs a SiLU FFN in llama.cpp (right for 1bitLLM's bitnet_b1_58 models), but this file has the shape of Microsoft's 2B-4T (\(gqa ? "grouped-query attention" : "hidden 2560, FFN 6912")), whose weights need ReLU² ('bitnet-b1.58')")
        }
        if formats.contains(.bitnet32_f16) {
            add("bitnet32_f16_layout", "tensors use BitNet.rs's BitNet32-F16 layout under type id 36, recognised by size; bitnet.cpp and llama.cpp read id 36 as something else")
        }
        return w
    }
}
