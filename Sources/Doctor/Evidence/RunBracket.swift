import Foundation
import SystemFacts

/// Brackets a run with the machine counters the rules read under `run.*`: thermal throttle events during the run
/// (`throttle_delta`), the CPU share other processes used meanwhile (`busy_fraction_other`), and wall time.
/// A RunProvider wraps its generation in `measure`.
public enum RunBracket {
    struct CPUTimes: Equatable {
        var busy: Double   // all CPUs, clock ticks
        var total: Double
    }

    /// Aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal …
    static func cpuTimes(_ root: URL) -> CPUTimes? {
        guard let text = try? String(contentsOf: root.appendingPathComponent("proc/stat"), encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard v.count >= 4 else { return nil }
        let fields = Array(v.prefix(8))  // guest time is already inside user
        let idle = fields[3] + (fields.count > 4 ? fields[4] : 0)
        let total = fields.reduce(0, +)
        return CPUTimes(busy: total - idle, total: total)
    }

    /// utime + stime of this process (fields 14 and 15 of /proc/self/stat), clock ticks.
    static func ownTicks(_ root: URL) -> Double? {
        guard let text = try? String(contentsOf: root.appendingPathComponent("proc/self/stat"), encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let rest = text[text.index(after: close)...].split(separator: " ")
        // rest[0] is field 3 (state); utime is field 14 → rest[11], stime field 15 → rest[12].
        guard rest.count > 12, let u = Double(rest[11]), let s = Double(rest[12]) else { return nil }
        return u + s
    }

    public static func measure<T>(root: URL = URL(fileURLWithPath: "/"),
                                  _ body: () async throws -> T) async rethrows -> (result: T, run: JSONValue) {
        let sysRoot = SystemRoot(root.standardizedFileURL.path)
        let t0 = SystemFacts.throttleCounts(root: sysRoot)
        let c0 = cpuTimes(root), o0 = ownTicks(root)
        let start = Date()
        let result = try await body()
        let seconds = Date().timeIntervalSince(start)
        let t1 = SystemFacts.throttleCounts(root: sysRoot)
        let c1 = cpuTimes(root), o1 = ownTicks(root)
        var run: JSONValue = ["seconds": .number(seconds)]
        let d = t1.delta(since: t0)
        if d.core != nil || d.package != nil { run["throttle_delta"] = .number(Double((d.core ?? 0) + (d.package ?? 0))) }
        if let c0, let c1, let o0, let o1, c1.total > c0.total {
            let other = max(0, (c1.busy - c0.busy) - (o1 - o0))
            run["busy_fraction_other"] = .number(min(1, other / (c1.total - c0.total)))
        }
        return (result, run)
    }
}
