import CSystem
import Foundation

/// cores: how many CPUs this process can really use, and the variables that steer thread counts.
enum CoresCollector {
    static let collector = Collector(family: "cores", factNames: [
        "online", "affinity", "cgroup_quota_cpus", "cgroup_cpuset", "usable", "thread_env",
    ], collect: collect)

    static let threadPrefixes = ["BITNET_", "GGML_", "MKL_", "OMP_", "RAYON_", "LLAMA_"]
    static let threadNames: Set<String> = ["RAYON_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                           "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "GOMAXPROCS"]

    static func collect(_ ctx: CollectContext) -> FactFamily {
        var f = FactFamily("cores")
        var limits: [Double] = []
        let onlinePath = "/sys/devices/system/cpu/online"
        switch ctx.root.readAttribute(onlinePath) {
        case .success(let s):
            if let l = Parsing.cpuList(s), !l.isEmpty { f["online"] = .ok(.int(l.count), onlinePath); limits.append(Double(l.count)) }
            else { f["online"] = .error("unparseable CPU list", onlinePath) }
        case .failure(let e): f["online"] = ctx.failure(e, onlinePath)
        }
        f["affinity"] = affinity(ctx)
        if let a = f["affinity"]?.okValue?.intValue { limits.append(Double(a)) }
        let cg = CgroupReader(ctx.root)
        switch cg.cpuQuota() {
        case .success(let q?): f["cgroup_quota_cpus"] = .ok(.double(q.0), q.1); limits.append(max(1, q.0.rounded(.down)))
        case .success(nil):
            f["cgroup_quota_cpus"] = .notAvailable("no cgroup CPU quota (\(cg.v2 ? "cpu.max: max" : "cfs_quota_us: -1") or no cgroup)",
                                                   cg.v2 ? "/sys/fs/cgroup/**/cpu.max" : "/sys/fs/cgroup/cpu/**/cpu.cfs_quota_us")
        case .failure(let e): f["cgroup_quota_cpus"] = .error(e.message, e.path)
        }
        if let (n, src) = cg.cpuset() {
            f["cgroup_cpuset"] = .ok(.int(n), src); limits.append(Double(n))
        } else {
            f["cgroup_cpuset"] = .notAvailable("no effective cpuset file", "/sys/fs/cgroup")
        }
        if let u = limits.min() {
            f["usable"] = .ok(.int(Int(u)), "min(online, affinity, floor(cgroup quota), cpuset)")
        } else {
            f["usable"] = .notAvailable("no CPU count could be read", "cores")
        }
        f["thread_env"] = threadEnv(ctx)
        return f
    }

    static func affinity(_ ctx: CollectContext) -> Fact {
        if ctx.live {
            let n = csys_affinity_count()
            return n > 0 ? .ok(.int(Int(n)), "sched_getaffinity") : .error("sched_getaffinity: \(String(cString: strerror(-n)))", "sched_getaffinity")
        }
        let src = "/proc/self/status"
        switch ctx.root.readFile(src, maxBytes: 64 * 1024) {
        case .success(let text):
            guard let line = Parsing.keyValues(Substring(text)).first(where: { $0.0 == "Cpus_allowed_list" }) else {
                return .notAvailable("no Cpus_allowed_list line", src)
            }
            guard let l = Parsing.cpuList(line.1), !l.isEmpty else { return .error("unparseable Cpus_allowed_list", src) }
            return .ok(.int(l.count), "\(src) Cpus_allowed_list")
        case .failure(let e): return ctx.failure(e, src)
        }
    }

    static func threadEnv(_ ctx: CollectContext) -> Fact {
        var o: [String: FactValue] = [:]
        for (k, v) in ctx.env.variables where threadNames.contains(k) || threadPrefixes.contains(where: { k.hasPrefix($0) }) {
            o[k] = .string(Redactor.redact(name: k, value: v) ?? v)
        }
        return .ok(.object(o), ctx.env.origin)
    }
}
