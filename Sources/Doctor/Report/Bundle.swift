import Crypto
import Foundation
import ZIPFoundation

/// The bug-report bundle: the report, raw snapshots of the machine files the facts came from, the receipts,
/// a redaction manifest (what was removed and why, never the values) and a MANIFEST of sha256 sums.
public enum BugBundle {
    /// Machine files copied into `snapshots/` (relative to the root; `*` matches one path component).
    public static let snapshotPatterns = [
        "proc/cpuinfo", "proc/meminfo", "proc/loadavg", "proc/version", "proc/pressure/cpu", "proc/pressure/memory",
        "proc/driver/nvidia/version", "etc/os-release",
        "sys/devices/system/cpu/online", "sys/devices/system/cpu/cpufreq/boost",
        "sys/devices/system/cpu/intel_pstate/no_turbo", "sys/devices/system/cpu/intel_pstate/status",
        "sys/devices/system/cpu/cpu*/cpufreq/scaling_governor", "sys/devices/system/cpu/cpu*/cpufreq/scaling_driver",
        "sys/devices/system/cpu/cpu*/cpufreq/scaling_cur_freq", "sys/devices/system/cpu/cpu*/cpufreq/scaling_max_freq",
        "sys/devices/system/cpu/cpu*/cpufreq/scaling_min_freq", "sys/devices/system/cpu/cpu*/cpufreq/cpuinfo_max_freq",
        "sys/devices/system/cpu/cpu*/cpufreq/energy_performance_preference",
        "sys/devices/system/cpu/cpu*/thermal_throttle/core_throttle_count",
        "sys/devices/system/cpu/cpu*/thermal_throttle/package_throttle_count",
        "sys/class/hwmon/hwmon*/name", "sys/class/hwmon/hwmon*/temp*_input", "sys/class/hwmon/hwmon*/temp*_label",
        "sys/class/hwmon/hwmon*/temp*_max", "sys/class/hwmon/hwmon*/temp*_crit", "sys/class/hwmon/hwmon*/temp*_alarm",
        "sys/class/thermal/thermal_zone*/type", "sys/class/thermal/thermal_zone*/temp",
        "sys/fs/cgroup/cpu.max", "sys/fs/cgroup/memory.max", "sys/kernel/mm/transparent_hugepage/enabled",
        "nvidia-smi.txt", "nvidia-smi.csv",
    ]
    static let maxFileBytes = 1 << 20
    static let maxFiles = 4096

    /// Files under `root` matching the snapshot patterns, as relative paths.
    public static func snapshotFiles(root: URL) -> [String] {
        var out: [String] = []
        for p in snapshotPatterns { out += expand(root: root, components: p.split(separator: "/").map(String.init), prefix: "") }
        return Array(Set(out)).sorted().prefix(maxFiles).map { $0 }
    }

    static func expand(root: URL, components: [String], prefix: String) -> [String] {
        guard let first = components.first else { return [prefix] }
        let rest = Array(components.dropFirst())
        let dir = root.appendingPathComponent(prefix)
        let join = { (n: String) in prefix.isEmpty ? n : prefix + "/" + n }
        if !first.contains("*") {
            let path = join(first)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDir) else { return [] }
            if rest.isEmpty && isDir.boolValue { return [] }
            return expand(root: root, components: rest, prefix: path)
        }
        let regex = "^" + NSRegularExpression.escapedPattern(for: first).replacingOccurrences(of: "\\*", with: "[^/]*") + "$"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
        return names.filter { $0.range(of: regex, options: .regularExpression) != nil }.prefix(1024)
            .flatMap { expand(root: root, components: rest, prefix: join($0)) }
    }

    /// Reads at most `maxFileBytes` of a file (procfs files report size 0, so read rather than stat).
    static func readLimited(_ url: URL) -> Data? {
        guard let h = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? h.close() }
        return try? h.read(upToCount: maxFileBytes)
    }

    /// The entries of the bundle (path → bytes), before zipping; exposed for tests.
    public static func entries(inputs: CheckInputs, report: Report) -> [(String, Data)] {
        let redactor = Report.redactor(for: inputs)
        var log = report.redactions
        var files: [(String, Data)] = [
            ("perf_debug.md", Data(report.markdown.utf8)),
            ("perf_debug.json", Data((report.json.serialized() + "\n").utf8)),
        ]
        if let root = inputs.root {
            for rel in snapshotFiles(root: root) {
                guard let data = readLimited(root.appendingPathComponent(rel)) else { continue }
                let text = redactor.redact(String(decoding: data, as: UTF8.self), location: "snapshots/\(rel)", log: &log)
                files.append(("snapshots/" + rel, Data(text.utf8)))
            }
        }
        if let smi = inputs.facts.at("nvidia.smi.value") {
            let red = redactor.redact(smi, location: "snapshots/nvidia-smi.json", log: &log)
            files.append(("snapshots/nvidia-smi.json", Data((red.serialized() + "\n").utf8)))
        }
        for (name, data) in inputs.rawReceipts {
            let safe = name.replacingOccurrences(of: "/", with: "_")
            let text = redactor.redact(String(decoding: data, as: UTF8.self), location: "receipts/\(safe)", log: &log)
            files.append(("receipts/" + safe, Data(text.utf8)))
        }
        let manifest: JSONValue = [
            "schema": "bitnet-doctor.redactions/1",
            "note": "What was removed from this bundle and why. The removed values are not recorded anywhere.",
            "redactions": .array(log.map { ["location": .string($0.location), "kind": .string($0.kind),
                                            "reason": .string($0.reason), "count": .number(Double($0.count))] }),
        ]
        files.append(("redactions.json", Data((manifest.serialized() + "\n").utf8)))
        let sums = files.map { (path, data) in SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() + "  " + path }
        files.append(("MANIFEST", Data((sums.joined(separator: "\n") + "\n").utf8)))
        return files
    }

    /// Writes the zip.
    public static func write(inputs: CheckInputs, report: Report, to url: URL) throws {
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in entries(inputs: inputs, report: report) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, size in
                data.subdata(in: Int(pos)..<Int(pos) + size)
            }
        }
    }
}
