/// frequency: cpufreq driver, governors, limits, boost and energy/performance preference.
enum FrequencyCollector {
    static let collector = Collector(family: "frequency", factNames: [
        "driver", "governor", "governors", "available_governors", "min_khz", "max_khz", "hw_max_khz", "cur_khz",
        "boost", "epp",
    ], collect: collect)

    static let base = "/sys/devices/system/cpu"

    static func collect(_ ctx: CollectContext) -> FactFamily {
        var f = FactFamily("frequency")
        let r = ctx.root
        let cpus = (r.list(base) ?? []).compactMap { n -> Int? in n.hasPrefix("cpu") ? Int(n.dropFirst(3)) : nil }.sorted()
        let withFreq = cpus.filter { r.isDirectory("\(base)/cpu\($0)/cpufreq") }
        guard !withFreq.isEmpty else {
            let why = r.isDirectory(base) ? "no cpufreq in sysfs (VM, container or cpufreq disabled)" : "\(base) missing"
            for n in collector.factNames { f[n] = .notAvailable(why, "\(base)/cpu*/cpufreq") }
            return f
        }
        func attr(_ cpu: Int, _ name: String) -> String? { r.attribute("\(base)/cpu\(cpu)/cpufreq/\(name)") }
        let first = withFreq[0]
        let p0 = "\(base)/cpu\(first)/cpufreq"
        f["driver"] = attr(first, "scaling_driver").map { .ok(.string($0), "\(p0)/scaling_driver") }
            ?? .notAvailable("scaling_driver unreadable", "\(p0)/scaling_driver")

        var govs: [String: FactValue] = [:]
        var distinct = Set<String>()
        for c in withFreq {
            if let g = attr(c, "scaling_governor") { govs["cpu\(c)"] = .string(g); distinct.insert(g) }
        }
        let gsrc = "\(base)/cpu*/cpufreq/scaling_governor"
        if distinct.isEmpty {
            f["governor"] = .notAvailable("scaling_governor unreadable", gsrc)
            f["governors"] = .notAvailable("scaling_governor unreadable", gsrc)
        } else {
            f["governor"] = .ok(.string(distinct.count == 1 ? distinct.first! : "mixed"), gsrc)
            f["governors"] = .ok(.object(govs), gsrc)
        }
        f["available_governors"] = attr(first, "scaling_available_governors").map {
            .ok(.strings(Parsing.words($0)), "\(p0)/scaling_available_governors")
        } ?? .notAvailable("scaling_available_governors unreadable", "\(p0)/scaling_available_governors")

        func ints(_ name: String) -> [Int] { withFreq.compactMap { attr($0, name).flatMap { Int($0) } } }
        let mins = ints("scaling_min_freq"), maxs = ints("scaling_max_freq"), hw = ints("cpuinfo_max_freq"), cur = ints("scaling_cur_freq")
        func put(_ fact: String, _ vals: [Int], _ file: String, _ pick: ([Int]) -> Int) {
            let src = "\(base)/cpu*/cpufreq/\(file)"
            f[fact] = vals.isEmpty ? .notAvailable("\(file) unreadable", src) : .ok(.int(pick(vals)), src)
        }
        put("min_khz", mins, "scaling_min_freq") { $0.min()! }
        put("max_khz", maxs, "scaling_max_freq") { $0.max()! }
        put("hw_max_khz", hw, "cpuinfo_max_freq") { $0.max()! }
        put("cur_khz", cur, "scaling_cur_freq") { $0.reduce(0, +) / $0.count }
        f["boost"] = boost(r)
        let epps = Set(withFreq.compactMap { attr($0, "energy_performance_preference") })
        let esrc = "\(base)/cpu*/cpufreq/energy_performance_preference"
        f["epp"] = epps.isEmpty ? .notAvailable("no energy_performance_preference (driver without EPP)", esrc)
            : .ok(.string(epps.count == 1 ? epps.first! : "mixed"), esrc)
        return f
    }

    static func boost(_ r: SystemRoot) -> Fact {
        let noTurbo = "\(base)/intel_pstate/no_turbo"
        if let s = r.attribute(noTurbo) {
            guard let v = Int(s) else { return .error("unparseable no_turbo \"\(s.prefix(20))\"", noTurbo) }
            return .ok(.bool(v == 0), noTurbo)
        }
        let b = "\(base)/cpufreq/boost"
        if let s = r.attribute(b) {
            guard let v = Int(s) else { return .error("unparseable boost \"\(s.prefix(20))\"", b) }
            return .ok(.bool(v != 0), b)
        }
        let amd = "\(base)/amd_pstate/cpb_boost"
        if let s = r.attribute(amd), let v = Int(s) { return .ok(.bool(v != 0), amd) }
        return .notAvailable("no intel_pstate/no_turbo or cpufreq/boost", "\(noTurbo), \(b)")
    }
}
