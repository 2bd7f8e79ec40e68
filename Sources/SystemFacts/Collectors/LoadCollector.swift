import Foundation

/// load: load average, CPU busy share, and which processes use the CPU.
/// Live: sampled over `loadWindow`. Fixture roots: one snapshot, so shares are averages since boot
/// (busy) and since each process started (processes) — deterministic for goldens.
enum LoadCollector {
    static let collector = Collector(family: "load", factNames: [
        "loadavg1", "loadavg5", "loadavg15", "busy_fraction", "top_processes",
    ], collect: collect)

    struct CPUTimes { var busy: Int; var total: Int }
    struct Proc { var pid: Int; var name: String; var ticks: Int; var start: Int }

    static func collect(_ ctx: CollectContext) -> FactFamily {
        var f = FactFamily("load")
        let la = "/proc/loadavg"
        switch ctx.root.readFile(la, maxBytes: 4096) {
        case .success(let s):
            let w = Parsing.words(s)
            for (i, n) in ["loadavg1", "loadavg5", "loadavg15"].enumerated() {
                f[n] = (w.count > i ? Double(w[i]) : nil).map { .ok(.double($0), la) } ?? .error("unparseable \(la)", la)
            }
        case .failure(let e): for n in ["loadavg1", "loadavg5", "loadavg15"] { f[n] = ctx.failure(e, la) }
        }
        let hz = ctx.live ? max(1, sysconf(Int32(_SC_CLK_TCK))) : 100
        let st = "/proc/stat"
        let t0 = cpuTimes(ctx.root), p0 = processes(ctx.root)
        let selfPid = ctx.live ? Int(getpid()) : fixtureSelfPid(ctx.root)
        if ctx.live {
            Thread.sleep(forTimeInterval: ctx.options.loadWindow)
            let t1 = cpuTimes(ctx.root), p1 = processes(ctx.root)
            let src = "\(st) over \(Int(ctx.options.loadWindow * 1000)) ms"
            if let a = t0, let b = t1, b.total > a.total {
                f["busy_fraction"] = .ok(.double(round3(Double(b.busy - a.busy) / Double(b.total - a.total))), src)
            } else { f["busy_fraction"] = .error("unreadable or unchanged \(st)", st) }
            let before = Dictionary(p0.map { ($0.pid, $0) }, uniquingKeysWith: { a, _ in a })
            let window = ctx.options.loadWindow * Double(hz)
            let shares = p1.compactMap { p -> (Proc, Double)? in
                guard p.pid != selfPid, let b = before[p.pid], b.start == p.start else { return nil }
                return (p, Double(p.ticks - b.ticks) / window)
            }
            f["top_processes"] = top(shares, "/proc/[pid]/stat over \(Int(ctx.options.loadWindow * 1000)) ms")
        } else {
            if let a = t0, a.total > 0 {
                f["busy_fraction"] = .ok(.double(round3(Double(a.busy) / Double(a.total))), "\(st) since boot (one snapshot)")
            } else { f["busy_fraction"] = .error("unreadable or unparseable \(st)", st) }
            let up = ctx.root.attribute("/proc/uptime").flatMap { Parsing.words($0).first }.flatMap(Double.init)
            if let up {
                let shares = p0.compactMap { p -> (Proc, Double)? in
                    guard p.pid != selfPid else { return nil }
                    let alive = up - Double(p.start) / Double(hz)
                    return alive > 0 ? (p, Double(p.ticks) / Double(hz) / alive) : nil
                }
                f["top_processes"] = top(shares, "/proc/[pid]/stat since process start (one snapshot)")
            } else {
                f["top_processes"] = .notAvailable("no /proc/uptime to turn CPU time into a share", "/proc/uptime")
            }
        }
        return f
    }

    /// The doctor's own pid as recorded in a fixture's /proc/self/status (left out like the live process).
    static func fixtureSelfPid(_ r: SystemRoot) -> Int {
        guard case .success(let s) = r.readFile("/proc/self/status", maxBytes: 64 * 1024) else { return -1 }
        return Parsing.keyValues(Substring(s)).first { $0.0 == "Pid" }.flatMap { Int($0.1) } ?? -1
    }

    static func round3(_ v: Double) -> Double { (min(max(v, 0), 1e6) * 1000).rounded() / 1000 }

    static func top(_ shares: [(Proc, Double)], _ src: String) -> Fact {
        let list = shares.filter { $0.1 >= 0.005 }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.pid < $1.0.pid }.prefix(8)
        return .ok(.array(list.map { .object(["name": .string($0.0.name), "pid": .int($0.0.pid),
                                              "cpu_fraction": .double(round3($0.1))]) }), src)
    }

    static func cpuTimes(_ r: SystemRoot) -> CPUTimes? {
        guard case .success(let s) = r.readFile("/proc/stat", maxBytes: 1 << 20),
              let line = s.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let v = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard v.count >= 4 else { return nil }
        let counted = Array(v.prefix(8)) // user nice system idle iowait irq softirq steal (guest is inside user)
        let total = counted.reduce(0, +)
        let idle = counted[3] + (counted.count > 4 ? counted[4] : 0)
        return CPUTimes(busy: total - idle, total: total)
    }

    static func processes(_ r: SystemRoot) -> [Proc] {
        (r.list("/proc") ?? []).compactMap { name -> Proc? in
            guard let pid = Int(name), case .success(let s) = r.readAttribute("/proc/\(name)/stat", maxBytes: 4096) else { return nil }
            return parseStat(pid, s)
        }
    }

    /// Fields of /proc/[pid]/stat after the parenthesised comm (which may itself hold spaces and parentheses).
    static func parseStat(_ pid: Int, _ s: String) -> Proc? {
        guard let open = s.firstIndex(of: "("), let close = s.lastIndex(of: ")"), open < close else { return nil }
        let name = String(s[s.index(after: open)..<close])
        let rest = s[s.index(after: close)...].split(separator: " ")
        // rest[0] is state (field 3); utime is field 14, stime 15, starttime 22.
        guard rest.count >= 20, let ut = Int(rest[11]), let stime = Int(rest[12]), let start = Int(rest[19]) else { return nil }
        return Proc(pid: pid, name: name, ticks: ut + stime, start: start)
    }
}
