import CSystem
import Foundation

/// thermal: throttle counters, thermal zones, and temperatures (libsensors live; hwmon in sysfs for fixture roots).
enum ThermalCollector {
    static let collector = Collector(family: "thermal", factNames: [
        "core_throttle_count", "package_throttle_count", "zones", "sensors", "max_temp_c", "hot",
    ], collect: collect)

    static let cpuBase = "/sys/devices/system/cpu"

    static func throttleCounts(_ r: SystemRoot) -> ThrottleCounts {
        var cores: [[Int]: Int] = [:], pkgs: [Int: Int] = [:]
        let cpus = (r.list(cpuBase) ?? []).compactMap { n -> Int? in n.hasPrefix("cpu") ? Int(n.dropFirst(3)) : nil }
        for c in cpus {
            let dir = "\(cpuBase)/cpu\(c)/thermal_throttle"
            // SMT siblings share their core's counter and every CPU of a package shows the package's:
            // count each physical core and each package once.
            let pkg = r.attribute("\(cpuBase)/cpu\(c)/topology/physical_package_id").flatMap { Int($0) } ?? 0
            let coreID = r.attribute("\(cpuBase)/cpu\(c)/topology/core_id").flatMap { Int($0) } ?? c
            if let v = r.attribute(dir + "/core_throttle_count").flatMap({ Int($0) }) { cores[[pkg, coreID]] = max(cores[[pkg, coreID]] ?? 0, v) }
            if let v = r.attribute(dir + "/package_throttle_count").flatMap({ Int($0) }) { pkgs[pkg] = max(pkgs[pkg] ?? 0, v) }
        }
        return ThrottleCounts(core: cores.isEmpty ? nil : cores.values.reduce(0, +),
                              package: pkgs.isEmpty ? nil : pkgs.values.reduce(0, +))
    }

    static func collect(_ ctx: CollectContext) -> FactFamily {
        var f = FactFamily("thermal")
        let t = throttleCounts(ctx.root)
        let tsrc = "\(cpuBase)/cpu*/thermal_throttle"
        let why = "no thermal_throttle counters (non-Intel CPU, VM or driver not loaded)"
        f["core_throttle_count"] = t.core.map { .ok(.int($0), tsrc + "/core_throttle_count") } ?? .notAvailable(why, tsrc)
        f["package_throttle_count"] = t.package.map { .ok(.int($0), tsrc + "/package_throttle_count") } ?? .notAvailable(why, tsrc)
        let zones = self.zones(ctx.root)
        f["zones"] = zones
        let sensors = ctx.live ? libsensors() : hwmon(ctx.root)
        f["sensors"] = sensors
        var temps: [Double] = []
        var hot = false
        var maxSource = sensors.source
        if let arr = sensors.okValue?.arrayValue {
            for s in arr {
                guard let t = s["temp_c"]?.doubleValue else { continue }
                temps.append(t)
                if let m = s["max_c"]?.doubleValue, t >= m { hot = true }
                if let c = s["crit_c"]?.doubleValue, t >= c { hot = true }
                if s["alarm"]?.boolValue == true { hot = true }
            }
        }
        if temps.isEmpty, let zarr = zones.okValue?.arrayValue {
            temps = zarr.compactMap { $0["temp_c"]?.doubleValue }
            maxSource = zones.source
        }
        f["max_temp_c"] = temps.max().map { .ok(.double($0), maxSource) }
            ?? .notAvailable("no readable temperature sensor or thermal zone", "\(sensors.source), \(zones.source)")
        if sensors.isOK, !(sensors.value.arrayValue ?? []).isEmpty {
            f["hot"] = .ok(.bool(hot), sensors.source)
        } else {
            f["hot"] = .notAvailable("no temperature sensors with limits", sensors.source)
        }
        return f
    }

    static func zones(_ r: SystemRoot) -> Fact {
        let base = "/sys/class/thermal"
        guard let names = r.list(base) else { return .notAvailable("\(base) missing", base) }
        var out: [FactValue] = []
        for z in names where z.hasPrefix("thermal_zone") {
            var o: [String: FactValue] = ["zone": .string(z), "type": .string(r.attribute("\(base)/\(z)/type") ?? "")]
            switch r.readAttribute("\(base)/\(z)/temp") {
            case .success(let s):
                if let t = Parsing.milliCelsius(s) { o["temp_c"] = .double(t) } else { o["error"] = .string("unparseable temp") }
            case .failure(let e): o["error"] = .string(e.description)
            }
            out.append(.object(o))
        }
        if out.isEmpty { return .notAvailable("no thermal zones", base) }
        return .ok(.array(out), "\(base)/thermal_zone*")
    }

    /// Temperatures from /sys/class/hwmon (the reader used for fixture roots; libsensors cannot be re-rooted).
    static func hwmon(_ r: SystemRoot) -> Fact {
        let base = "/sys/class/hwmon"
        guard let names = r.list(base) else { return .notAvailable("no hwmon devices (\(base) missing)", base) }
        var out: [FactValue] = []
        for h in names where h.hasPrefix("hwmon") {
            var dir = "\(base)/\(h)"
            var files = r.list(dir) ?? []
            if !files.contains(where: { $0.hasPrefix("temp") }), let dev = r.list(dir + "/device"),
               dev.contains(where: { $0.hasPrefix("temp") }) {
                dir += "/device"; files = dev
            }
            let chip = r.attribute("\(base)/\(h)/name") ?? h
            let inputs = files.filter { $0.hasPrefix("temp") && $0.hasSuffix("_input") }
                .sorted { (Int($0.dropFirst(4).prefix { $0.isNumber }) ?? 0) < (Int($1.dropFirst(4).prefix { $0.isNumber }) ?? 0) }
            for input in inputs {
                let stem = String(input.dropLast("_input".count))
                var o: [String: FactValue] = ["chip": .string(chip), "label": .string(r.attribute("\(dir)/\(stem)_label") ?? stem)]
                switch r.readAttribute("\(dir)/\(input)") {
                case .success(let s):
                    if let t = Parsing.milliCelsius(s) { o["temp_c"] = .double(t) } else { o["error"] = .string("unparseable \(input)") }
                case .failure(let e): o["error"] = .string(e.description)
                }
                o["max_c"] = Parsing.milliCelsius(r.attribute("\(dir)/\(stem)_max")).map { .double($0) } ?? .null
                o["crit_c"] = Parsing.milliCelsius(r.attribute("\(dir)/\(stem)_crit")).map { .double($0) } ?? .null
                let alarms = ["_alarm", "_max_alarm", "_crit_alarm"].compactMap { r.attribute("\(dir)/\(stem)\($0)").flatMap { Int($0) } }
                o["alarm"] = alarms.isEmpty ? .null : .bool(alarms.contains { $0 != 0 })
                out.append(.object(o))
            }
        }
        if out.isEmpty { return .notAvailable("no hwmon temperature sensors", base) }
        return .ok(.array(out), "\(base)/hwmon*/temp*")
    }

    static func libsensors() -> Fact {
        let src = "libsensors"
        var buf = [csys_sensor_temp](repeating: csys_sensor_temp(), count: 256)
        var chips: Int32 = 0
        var err = [CChar](repeating: 0, count: 256)
        let n = csys_sensors_temps(&buf, Int32(buf.count), &chips, &err, err.count)
        if n < 0 { return .error(cString(err), src) }
        if chips == 0 { return .notAvailable("libsensors found no chips", src) }
        if n == 0 { return .notAvailable("libsensors found \(chips) chip(s) without temperature sensors", src) }
        let out: [FactValue] = buf[0..<Int(n)].map { s in
            var t = s
            let chip = withUnsafePointer(to: &t.chip) { $0.withMemoryRebound(to: CChar.self, capacity: 64) { String(cString: $0) } }
            let label = withUnsafePointer(to: &t.label) { $0.withMemoryRebound(to: CChar.self, capacity: 64) { String(cString: $0) } }
            func d(_ v: Double) -> FactValue { v.isNaN ? .null : .double((v * 1000).rounded() / 1000) }
            return .object(["chip": .string(chip), "label": .string(label), "temp_c": d(s.temp_c), "max_c": d(s.max_c),
                            "crit_c": d(s.crit_c), "alarm": s.alarm < 0 ? .null : .bool(s.alarm != 0)])
        }
        return .ok(.array(out), src)
    }
}
