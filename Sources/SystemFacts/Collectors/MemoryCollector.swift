/// memory: totals, swap in use, transparent huge pages, and the cgroup memory limit.
enum MemoryCollector {
    static let collector = Collector(family: "memory", factNames: [
        "total_bytes", "available_bytes", "swap_total_bytes", "swap_used_bytes", "thp", "hugepages_total", "cgroup_max_bytes",
    ], collect: collect)

    static func collect(_ ctx: CollectContext) -> FactFamily {
        var f = FactFamily("memory")
        let src = "/proc/meminfo"
        switch ctx.root.readFile(src, maxBytes: 256 * 1024) {
        case .success(let text):
            let m = Parsing.meminfo(text)
            func put(_ fact: String, _ v: Int?, _ key: String) {
                f[fact] = v.map { .ok(.int($0), "\(src) \(key)") } ?? .error("no \(key) in \(src)", src)
            }
            put("total_bytes", m["MemTotal"], "MemTotal")
            put("available_bytes", m["MemAvailable"], "MemAvailable")
            put("swap_total_bytes", m["SwapTotal"], "SwapTotal")
            put("swap_used_bytes", m["SwapTotal"].flatMap { t in m["SwapFree"].map { t - $0 } }, "SwapTotal-SwapFree")
            put("hugepages_total", m["HugePages_Total"], "HugePages_Total")
        case .failure(let e):
            for n in ["total_bytes", "available_bytes", "swap_total_bytes", "swap_used_bytes", "hugepages_total"] {
                f[n] = ctx.failure(e, src)
            }
        }
        let thp = "/sys/kernel/mm/transparent_hugepage/enabled"
        switch ctx.root.readAttribute(thp) {
        case .success(let s):
            f["thp"] = Parsing.bracketed(s).map { .ok(.string($0), thp) } ?? .error("unparseable \(thp)", thp)
        case .failure(let e): f["thp"] = ctx.failure(e, thp)
        }
        let cg = CgroupReader(ctx.root)
        switch cg.memoryMax() {
        case .success(let v?): f["cgroup_max_bytes"] = .ok(.int(v.0), v.1)
        case .success(nil): f["cgroup_max_bytes"] = .notAvailable("no cgroup memory limit", "/sys/fs/cgroup")
        case .failure(let e): f["cgroup_max_bytes"] = .error(e.message, e.path)
        }
        return f
    }
}
