import Foundation

/// The type a known evidence path holds, for validating rules.
public enum FactType: Sendable, Equatable {
    case number, string, bool, array, object, any
    var name: String {
        switch self {
        case .number: "number"; case .string: "string"; case .bool: "boolean"
        case .array: "array"; case .object: "object"; case .any: "any"
        }
    }
    static func of(_ v: JSONValue) -> FactType {
        switch v {
        case .number: .number; case .string: .string; case .bool: .bool
        case .array: .array; case .object: .object; case .null: .any
        }
    }
}

/// Every evidence path rules may use: the architecture document's fact table, plus the `model.*`,
/// `receipt.*`, `run.*` and `derived.*` names defined in docs/rules.md. A key ending in `.*` admits any
/// member below it; `path[].field` describes the elements of an array (used as `@.field` inside `some`).
public struct FactRegistry: Sendable {
    public private(set) var types: [String: FactType]

    public static let standard = FactRegistry(types: FactRegistry.table)

    public func type(of path: String) -> FactType? {
        if let t = types[path] { return t }
        var p = path
        while let cut = p.lastIndex(of: ".") {
            p = String(p[..<cut])
            if let t = types[p + ".*"] { return t }
        }
        return nil
    }

    /// Type of `@.field` when iterating the array at `arrayPath`; nil when the element has no such field.
    public func elementType(array arrayPath: String, field: String) -> FactType? {
        if field.isEmpty { return types[arrayPath + "[]"] ?? .any }
        if let t = types[arrayPath + "[]." + field] { return t }
        // Unknown element shapes accept anything; known shapes reject typos.
        let prefix = arrayPath + "[]."
        return types.keys.contains(where: { $0.hasPrefix(prefix) }) ? nil : .any
    }

    public var allPaths: [String] { types.keys.sorted() }

    static let table: [String: FactType] = {
        var t: [String: FactType] = [:]
        func add(_ prefix: String, _ entries: [(String, FactType)]) {
            for (k, v) in entries { t[prefix + k] = v }
        }
        add("facts.cpu.", [("vendor", .string), ("model_name", .string), ("architecture", .string),
            ("flags", .array), ("cpuid_flags", .array), ("hidden_flags", .array), ("sockets", .number),
            ("physical_cores", .number), ("logical_cpus", .number), ("online_cpus", .number),
            ("hypervisor", .string), ("container", .string), ("microarchitecture", .string), ("simd", .any),
            ("offline_cpus", .any)])
        add("facts.cores.", [("online", .number), ("affinity", .number), ("cgroup_quota_cpus", .number),
            ("usable", .number), ("thread_env", .object), ("thread_env.*", .any), ("cgroup_cpuset", .any)])
        add("facts.frequency.", [("driver", .string), ("governor", .string), ("governors", .object),
            ("governors.*", .string), ("available_governors", .array), ("min_khz", .number),
            ("max_khz", .number), ("hw_max_khz", .number), ("cur_khz", .number), ("boost", .bool), ("epp", .string)])
        add("facts.thermal.", [("core_throttle_count", .number), ("package_throttle_count", .number),
            ("zones", .array), ("sensors", .array), ("sensors[].chip", .string), ("sensors[].label", .string),
            ("sensors[].temp_c", .number), ("sensors[].max_c", .number), ("sensors[].crit_c", .number),
            ("sensors[].alarm", .bool), ("max_temp_c", .number), ("hot", .bool)])
        add("facts.pci.", [("devices", .array), ("gpus", .array), ("gpus[].slot", .string),
            ("gpus[].vendor_id", .any), ("gpus[].device_id", .any), ("gpus[].vendor", .string),
            ("gpus[].device", .string), ("gpus[].driver", .string)])
        add("facts.nvidia.", [("driver_version", .string), ("device_nodes", .array), ("pci_gpus", .array), ("ladder", .array), ("ladder[].step", .string),
            ("ladder[].status", .string), ("ladder[].detail", .string), ("wsl", .any),
            ("libcuda", .object), ("libcuda.driver_version", .any), ("libcuda.devices", .array),
            ("libcuda.devices[].name", .string), ("libcuda.devices[].memory_bytes", .number),
            ("libcuda.devices[].compute_capability", .any), ("smi", .object), ("smi.gpus", .array),
            ("smi.gpus[].name", .string), ("smi.gpus[].memory_used_mib", .number),
            ("smi.gpus[].memory_total_mib", .number), ("smi.gpus[].utilization_pct", .number),
            ("nvcc_version", .string), ("failed_step", .string), ("cuda_env", .object), ("cuda_env.*", .any)])
        add("facts.memory.", [("total_bytes", .number), ("available_bytes", .number),
            ("swap_used_bytes", .number), ("swap_total_bytes", .number), ("thp", .string),
            ("hugepages_total", .number), ("cgroup_max_bytes", .number)])
        add("facts.load.", [("loadavg1", .number), ("loadavg5", .number), ("loadavg15", .number), ("busy_fraction", .number), ("top_processes", .array),
            ("top_processes[].name", .string), ("top_processes[].pid", .number),
            ("top_processes[].cpu_fraction", .number)])
        add("facts.software.", [("os", .string), ("kernel", .string), ("libc", .string), ("rustc", .string),
            ("cargo", .string), ("rustflags", .string), ("clang", .string), ("cmake", .string),
            ("nvcc", .string), ("doctor_build", .string), ("doctor_simd", .string)])
        add("facts.environment.", [("variables", .object), ("variables.*", .string), ("redacted", .array)])
        // The `inspect --format json` document (ModelInspection, docs/inspect-schema.md).
        add("model.", [("schema_version", .number), ("architecture", .string), ("name", .string),
            ("shape", .object), ("shape.layers", .number), ("shape.hidden", .number), ("shape.ffn", .number),
            ("shape.heads", .number), ("shape.kv_heads", .number), ("shape.head_dim", .number), ("shape.vocab", .number),
            ("shape.context", .number), ("shape.rope_base", .number), ("shape.rope_dims", .number), ("shape.eps", .number),
            ("parameters", .number), ("formats", .array), ("formats[].type", .string), ("formats[].name", .string),
            ("formats[].description", .string), ("formats[].tensors", .number), ("formats[].bytes", .number),
            ("formats[].parameters", .number), ("ternary_format", .string), ("ternary_description", .string),
            ("i2s_interleave", .string), ("embedding_type", .string), ("head_type", .string), ("tied_embeddings", .bool),
            ("bytes_per_token", .number), ("bytes_per_token_breakdown", .object),
            ("bytes_per_token_breakdown.ternary", .number), ("bytes_per_token_breakdown.head", .number),
            ("bytes_per_token_breakdown.embedding_row", .number), ("bytes_per_token_breakdown.other", .number),
            ("tokenizer", .object), ("tokenizer.model", .string), ("tokenizer.pre", .string), ("tokenizer.has_pre", .bool),
            ("tokenizer.vocab_size", .number), ("tokenizer.merges", .number), ("tokenizer.bos", .number),
            ("tokenizer.eos", .number), ("tokenizer.add_bos", .bool), ("tokenizer.add_eos", .bool),
            ("chat_template", .bool), ("file_type", .number), ("file", .object), ("file.path", .string),
            ("file.size_bytes", .number), ("file.identity", .string), ("file.gguf_version", .number),
            ("file.alignment", .number), ("file.tensor_count", .number), ("file.metadata_count", .number),
            ("file.dialect", .string), ("file.dialect_reason", .string), ("compatibility", .object),
            ("compatibility.*", .any), ("warnings", .array), ("warnings[].id", .string), ("warnings[].message", .string)])
        add("receipt.", [("engine", .string), ("engine_version", .string), ("backend", .string),
            ("compute_path", .string), ("kernels", .array), ("threads", .number), ("deterministic", .bool),
            ("tokens_requested", .number), ("tokens_generated", .number), ("tokens_per_second", .number),
            ("tokens_per_second_stddev", .number), ("samples_tokens_per_second", .array),
            ("prefill_tokens_per_second", .number), ("model", .object), ("model.path", .string),
            ("model.format", .string), ("build", .string), ("native_cpu", .bool), ("simd", .string),
            ("use_mmap", .bool), ("gpu_layers", .number), ("cpu_info", .string), ("gpu_info", .string),
            ("error", .string), ("source_format", .string), ("weight_layouts", .array), ("weight_pages", .object),
            ("weight_pages.resident_bytes", .number), ("weight_pages.huge_bytes", .number), ("weight_pages.huge_share", .number),
            ("weight_pages.source", .string), ("environment", .object),
            ("environment.*", .string)])
        add("run.", [("throttle_delta", .number), ("busy_fraction_other", .number), ("bandwidth_gbps", .number),
            ("tokens", .number), ("seconds", .number)])
        add("derived.", [("bandwidth_gbps", .number), ("bytes_per_token", .number),
            ("roofline_tokens_per_second", .number), ("expected_efficiency", .number),
            ("expected_tokens_per_second", .number), ("efficiency", .number), ("format_fast_path", .bool),
            ("reference_tokens_per_second", .number), ("reference_hardware", .string),
            ("relative_spread", .number), ("scalar_kernels", .array), ("generation_seconds", .number), ("receipt_issues", .array),
            ("engine_format", .string), ("bytes_per_token_mb", .number),
            ("memory_available_gib", .number), ("memory_total_gib", .number)])
        return t
    }()
}
