import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Facts about this process and machine for receipts, read at the time of the call.
enum ProcessStats {
    /// Peak resident set size (getrusage ru_maxrss, KiB on Linux).
    static func peakRSSBytes() -> Int? {
        var u = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &u) == 0 else { return nil }
        return Int(u.ru_maxrss) * 1024
    }

    static func cpu() -> Receipt.CPU {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        var name: String?
        var flags: Set<String> = []
        for line in info.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if name == nil && parts[0] == "model name" { name = parts[1] }
            if flags.isEmpty && (parts[0] == "flags" || parts[0] == "Features") { flags = Set(parts[1].split(separator: " ").map(String.init)) }
        }
        let simd = ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "asimd", "asimddp", "sve"]
            .filter(flags.contains)
        return Receipt.CPU(model_name: name, logical_cpus: ProcessInfo.processInfo.activeProcessorCount, simd: simd)
    }

    /// Environment variables that change how inference engines behave (the allow-list; nothing else is recorded).
    static let environmentPrefixes = ["RAYON_", "BITNET_", "OMP_", "GGML_", "CUDA_", "RUST"]

    static func environment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        env.filter { k, _ in environmentPrefixes.contains { k.hasPrefix($0) } }
    }

    static var build: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }
}
