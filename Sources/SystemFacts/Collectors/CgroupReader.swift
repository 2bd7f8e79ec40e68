/// Finds this process's cgroup limits (v2 unified, or v1 per-controller hierarchies) under the root.
struct CgroupReader {
    let root: SystemRoot
    let v2: Bool
    /// controller ("" for v2) → path inside the hierarchy
    var paths: [String: String] = [:]

    init(_ root: SystemRoot) {
        self.root = root
        v2 = root.exists("/sys/fs/cgroup/cgroup.controllers")
        if case .success(let text) = root.readFile("/proc/self/cgroup", maxBytes: 64 * 1024) {
            for line in text.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                guard parts.count == 3 else { continue }
                if parts[1].isEmpty { paths[""] = String(parts[2]) }
                for c in parts[1].split(separator: ",") { paths[String(c)] = String(parts[2]) }
            }
        }
    }

    /// Directories from the process's own cgroup up to the hierarchy root, for a v2 file or a v1 controller.
    func directories(v1Controller: String) -> [String] {
        var bases: [String]
        let path: String
        if v2 {
            bases = ["/sys/fs/cgroup"]
            path = paths[""] ?? "/"
        } else {
            bases = ["/sys/fs/cgroup/\(v1Controller)", "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpuacct,cpu"]
            bases = bases.filter { root.isDirectory($0) }
            path = paths[v1Controller] ?? "/"
        }
        var out: [String] = []
        for base in bases {
            var comps = path.split(separator: "/").map(String.init)
            while true {
                let dir = base + (comps.isEmpty ? "" : "/" + comps.joined(separator: "/"))
                if root.isDirectory(dir) { out.append(dir) }
                if comps.isEmpty { break }
                comps.removeLast()
            }
            if !out.isEmpty { break }
        }
        return out
    }

    /// The tightest CPU quota along the hierarchy: (cpus, source), nil when unlimited; throws on garbage.
    func cpuQuota() -> Result<(Double, String)?, CgroupError> {
        if v2 {
            var best: (Double, String)?
            for dir in directories(v1Controller: "cpu") {
                let file = dir + "/cpu.max"
                guard let s = root.attribute(file) else { continue }
                let w = Parsing.words(s)
                if w.first == "max" { continue }
                guard w.count >= 1, let q = Double(w[0]), q > 0 else { return .failure(.garbage(file, s)) }
                let period = w.count > 1 ? Double(w[1]) ?? 100_000 : 100_000
                guard period > 0 else { return .failure(.garbage(file, s)) }
                let cpus = q / period
                if best == nil || cpus < best!.0 { best = (cpus, file) }
            }
            return .success(best)
        }
        for dir in directories(v1Controller: "cpu") {
            let qf = dir + "/cpu.cfs_quota_us", pf = dir + "/cpu.cfs_period_us"
            guard let qs = root.attribute(qf) else { continue }
            guard let q = Int(qs) else { return .failure(.garbage(qf, qs)) }
            if q <= 0 { continue }
            guard let p = root.attribute(pf).flatMap({ Int($0) }), p > 0 else { return .failure(.garbage(pf, "")) }
            return .success((Double(q) / Double(p), qf))
        }
        return .success(nil)
    }

    /// CPUs in the effective cpuset, when the hierarchy has one.
    func cpuset() -> (Int, String)? {
        let file = v2 ? "cpuset.cpus.effective" : "cpuset.effective_cpus"
        for dir in directories(v1Controller: "cpuset") {
            if let s = root.attribute(dir + "/" + file), !s.isEmpty, let l = Parsing.cpuList(s) { return (l.count, dir + "/" + file) }
        }
        return nil
    }

    /// The tightest memory limit in bytes along the hierarchy, nil when unlimited.
    func memoryMax() -> Result<(Int, String)?, CgroupError> {
        let file = v2 ? "memory.max" : "memory.limit_in_bytes"
        var best: (Int, String)?
        for dir in directories(v1Controller: "memory") {
            let path = dir + "/" + file
            guard let s = root.attribute(path) else { continue }
            if s == "max" { continue }
            guard let v = Int(s) else { return .failure(.garbage(path, s)) }
            if !v2 && v >= Int(Int64.max / 2) { continue } // v1 "unlimited" is a page-rounded LONG_MAX
            if best == nil || v < best!.0 { best = (v, path) }
        }
        return .success(best)
    }

    enum CgroupError: Error {
        case garbage(String, String)
        var path: String { if case .garbage(let p, _) = self { return p }; return "" }
        var message: String {
            if case .garbage(let p, let s) = self { return "unparseable \(p): \"\(s.prefix(40))\"" }
            return ""
        }
    }
}
