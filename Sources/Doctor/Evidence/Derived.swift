import Foundation

/// Values computed from the evidence for rules to compare against (`derived.*`, docs/rules.md).
public enum Derived {
    public static func compute(_ e: Evidence, speeds: ReferenceSpeeds) -> JSONValue {
        var d: [String: JSONValue] = [:]
        let bandwidth = e.resolve("run.bandwidth_gbps")?.doubleValue
        let bpt = e.resolve("model.bytes_per_token")?.doubleValue
        let tps = e.resolve("receipt.tokens_per_second")?.doubleValue
        let engine = e.resolve("receipt.engine")?.stringValue
        let backend = e.resolve("receipt.backend")?.stringValue
        let format = (e.resolve("receipt.model.format") ?? e.resolve("model.ternary_format"))?.stringValue
        if let bandwidth, bandwidth > 0 { d["bandwidth_gbps"] = .number(bandwidth) }
        if let bpt, bpt > 0 { d["bytes_per_token"] = .number(bpt) }
        var roofline: Double?
        if let bandwidth, let bpt, bandwidth > 0, bpt > 0 {
            roofline = bandwidth * 1e9 / bpt
            d["roofline_tokens_per_second"] = .number(roofline!)
        }
        if let engine, let format { d["engine_format"] = .string("\(engine)/\(format)") }
        let cpuBackend = backend.map { $0.lowercased() == "cpu" } ?? true
        if engine != nil, let entry = speeds.entry(engine: engine, format: format, backend: backend) {
            d["format_fast_path"] = .bool(entry.fastPath)
            d["expected_efficiency"] = .number(entry.efficiency)
            if let roofline, cpuBackend { d["expected_tokens_per_second"] = .number(roofline * entry.efficiency) }
        }
        if let roofline, let tps, cpuBackend { d["efficiency"] = .number(tps / roofline) }
        if let bpt, bpt > 0 { d["bytes_per_token_mb"] = .number((bpt / 1e6 * 10).rounded() / 10) }
        if let a = e.resolve("facts.memory.available_bytes")?.doubleValue { d["memory_available_gib"] = .number(gib(a)) }
        if let t = e.resolve("facts.memory.total_bytes")?.doubleValue { d["memory_total_gib"] = .number(gib(t)) }
        let threads = e.resolve("receipt.threads")?.doubleValue.map { Int($0) }
        if let p = speeds.point(engine: engine, format: format, threads: threads) {
            d["reference_tokens_per_second"] = .number(p.tokensPerSecond)
            d["reference_hardware"] = .string(p.hardware)
        }
        if let spread = relativeSpread(e) { d["relative_spread"] = .number(spread) }
        let scalar = scalarKernels(e)
        if !scalar.isEmpty { d["scalar_kernels"] = .array(scalar.map { .string($0) }) }
        let n = (e.resolve("receipt.tokens_requested") ?? e.resolve("receipt.tokens_generated"))?.doubleValue
        if let n, let tps, tps > 0 { d["generation_seconds"] = .number(n / tps) }
        if e.resolve("receipt.engine") != nil {
            d["receipt_issues"] = JSONValue(receiptIssues(e, roofline: cpuBackend ? roofline : nil))
        }
        return .object(d)
    }

    static func gib(_ b: Double) -> Double { (b / 1073741824 * 10).rounded() / 10 }

    /// The receipt's kernels that name a scalar or generic fallback path (`i2s_i8_gemv.scalar`, `*_ref`, `*_swift`,
    /// "generic", "fallback"); an op with one C implementation (`graph_rmsnorm.c`) is not a fallback.
    static func scalarKernels(_ e: Evidence) -> [String] {
        let kernels = e.resolve("receipt.kernels")?.arrayValue?.compactMap(\.stringValue) ?? []
        return kernels.filter { $0.range(of: "(?i)(scalar|generic|fallback|_ref$|_swift$)", options: .regularExpression) != nil }
    }

    /// Standard deviation over mean of the decode speed, from the receipt's stddev or its samples.
    static func relativeSpread(_ e: Evidence) -> Double? {
        let samples = e.resolve("receipt.samples_tokens_per_second")?.arrayValue?.compactMap(\.doubleValue) ?? []
        if samples.count >= 2 {
            let mean = samples.reduce(0, +) / Double(samples.count)
            guard mean > 0 else { return nil }
            let v = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count - 1)
            return v.squareRoot() / mean
        }
        if let sd = e.resolve("receipt.tokens_per_second_stddev")?.doubleValue,
           let m = e.resolve("receipt.tokens_per_second")?.doubleValue, m > 0 {
            return sd / m
        }
        return nil
    }

    /// Receipt fields that contradict each other or the machine.
    static func receiptIssues(_ e: Evidence, roofline: Double?) -> [String] {
        var out: [String] = []
        let tps = e.resolve("receipt.tokens_per_second")?.doubleValue
        let gen = e.resolve("receipt.tokens_generated")?.doubleValue
        if let cp = e.resolve("receipt.compute_path")?.stringValue, cp.lowercased() != "real" {
            out.append("compute_path is '\(cp)', not 'real'")
        }
        if let tps, let gen {
            if gen > 0, tps <= 0 { out.append("\(JSONValue.format(gen)) tokens generated but tokens_per_second is \(JSONValue.format(tps))") }
            if gen <= 0, tps > 0 { out.append("no tokens generated but tokens_per_second is \(JSONValue.format(tps))") }
        }
        if let tps, tps < 0 || !tps.isFinite { out.append("negative tokens_per_second") }
        if let k = e.resolve("receipt.kernels")?.arrayValue, k.isEmpty { out.append("the kernel list is empty") }
        if let roofline, let tps, tps > roofline * 1.5 {
            out.append("\(JSONValue.format(tps, maxFraction: 1)) tok/s is above the memory-bandwidth limit of this machine (\(JSONValue.format(roofline, maxFraction: 1)) tok/s)")
        }
        if let th = e.resolve("receipt.threads")?.doubleValue, let cpus = e.resolve("facts.cpu.logical_cpus")?.doubleValue,
           th > cpus * 4 {
            out.append("\(JSONValue.format(th)) threads on a machine with \(JSONValue.format(cpus)) CPUs")
        }
        if let b = e.resolve("receipt.backend")?.stringValue, ["cuda", "gpu"].contains(b.lowercased()),
           let k = e.resolve("receipt.kernels")?.arrayValue?.compactMap(\.stringValue), !k.isEmpty,
           !k.contains(where: { $0.range(of: "cuda|gpu|cublas", options: [.regularExpression, .caseInsensitive]) != nil }) {
            out.append("backend is '\(b)' but no GPU kernel was recorded")
        }
        if let req = e.resolve("receipt.tokens_requested")?.doubleValue, let gen, gen > req, req > 0 {
            out.append("more tokens generated (\(JSONValue.format(gen))) than requested (\(JSONValue.format(req)))")
        }
        return out
    }
}
