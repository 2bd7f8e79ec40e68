import CSystem
import Foundation

/// cpu: identity, flags (from /proc/cpuinfo and, live, from the CPU itself), topology, virtualisation.
enum CPUCollector {
    static let collector = Collector(family: "cpu", factNames: [
        "vendor", "model_name", "architecture", "microarchitecture", "flags", "simd", "cpuid_flags", "hidden_flags",
        "sockets", "physical_cores", "logical_cpus", "online_cpus", "offline_cpus", "hypervisor", "container",
    ], collect: collect)

    /// Flags that matter for inference kernels, in the order they are reported.
    static let inferenceFlags = ["avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni",
                                 "avx512_bf16", "avx_vnni", "amx_int8", "asimd", "asimddp", "asimdhp", "sve", "sve2",
                                 "i8mm", "bf16"]

    static func collect(_ ctx: CollectContext) -> FactFamily {
        var f = FactFamily("cpu")
        let src = "/proc/cpuinfo"
        var info: CPUInfo?
        switch ctx.root.readFile(src) {
        case .success(let text):
            let parsed = CPUInfo(text)
            if parsed.processors.isEmpty || (!parsed.isARM && !parsed.isX86 && parsed.flags.isEmpty) {
                for n in ["vendor", "model_name", "microarchitecture", "flags", "simd", "logical_cpus"] {
                    f[n] = .error("unrecognised /proc/cpuinfo contents", src)
                }
            } else { info = parsed }
        case .failure(let e):
            for n in ["vendor", "model_name", "microarchitecture", "flags", "simd", "logical_cpus"] { f[n] = ctx.failure(e, src) }
        }
        if let info { identity(info, &f) }
        f["architecture"] = architecture(ctx, info)
        liveFlags(ctx, info, &f)
        topology(ctx, info, &f)
        f["hypervisor"] = hypervisor(ctx, info)
        f["container"] = container(ctx)
        return f
    }

    static func identity(_ info: CPUInfo, _ f: inout FactFamily) {
        let src = "/proc/cpuinfo"
        let p = info.first
        if info.isARM {
            let impl = CPUInfo.hex(p["CPU implementer"]), part = CPUInfo.hex(p["CPU part"])
            let vendor = impl.flatMap { CPUInfo.armImplementers[$0] } ?? p["CPU implementer"] ?? "unknown"
            f["vendor"] = .ok(.string(vendor), src)
            let partName = impl.flatMap { i in part.flatMap { CPUInfo.armParts[i]?[$0] } }
            if let name = p["model name"] ?? partName.map({ "\(vendor) \($0)" }) {
                f["model_name"] = .ok(.string(name), src)
            } else { f["model_name"] = .notAvailable("no model name or known CPU part in /proc/cpuinfo", src) }
            var m: [String: FactValue] = ["implementer": .string(p["CPU implementer"] ?? ""),
                                          "part": .string(p["CPU part"] ?? ""),
                                          "variant": .string(p["CPU variant"] ?? ""),
                                          "revision": .string(p["CPU revision"] ?? "")]
            if let partName { m["name"] = .string(partName) }
            f["microarchitecture"] = .ok(.object(m), src)
        } else {
            if let v = p["vendor_id"] { f["vendor"] = .ok(.string(v), src) } else { f["vendor"] = .notAvailable("no vendor_id", src) }
            if let n = p["model name"] { f["model_name"] = .ok(.string(n), src) } else { f["model_name"] = .notAvailable("no model name", src) }
            if let fam = p["cpu family"].flatMap({ Int($0) }), let model = p["model"].flatMap({ Int($0) }) {
                var m: [String: FactValue] = ["family": .int(fam), "model": .int(model)]
                if let s = p["stepping"].flatMap({ Int($0) }) { m["stepping"] = .int(s) }
                if let name = CPUInfo.x86Microarch(vendor: p["vendor_id"] ?? "", family: fam, model: model) {
                    m["name"] = .string(name)
                }
                f["microarchitecture"] = .ok(.object(m), src)
            } else { f["microarchitecture"] = .notAvailable("no cpu family/model", src) }
        }
        let flags = info.flags
        f["flags"] = flags.isEmpty ? .notAvailable("no flags/Features line", src) : .ok(.strings(flags), src)
        let set = Set(flags)
        f["simd"] = .ok(.strings(inferenceFlags.filter(set.contains)), src)
        f["logical_cpus"] = .ok(.int(info.processors.count), src)
    }

    static func architecture(_ ctx: CollectContext, _ info: CPUInfo?) -> Fact {
        if ctx.live {
            var u = utsname()
            uname(&u)
            let m = withUnsafePointer(to: u.machine) { $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) } }
            return .ok(.string(m), "uname")
        }
        if let a = ctx.root.attribute("/proc/sys/kernel/arch"), !a.isEmpty { return .ok(.string(a), "/proc/sys/kernel/arch") }
        guard let info else { return .notAvailable("no /proc/cpuinfo to infer it from", "/proc/cpuinfo") }
        if info.isARM { return .ok(.string("aarch64"), "/proc/cpuinfo (CPU implementer)") }
        if info.isX86 { return .ok(.string(info.flags.contains("lm") ? "x86_64" : "i686"), "/proc/cpuinfo (vendor_id)") }
        return .notAvailable("cannot infer from /proc/cpuinfo", "/proc/cpuinfo")
    }

    static func liveFlags(_ ctx: CollectContext, _ info: CPUInfo?, _ f: inout FactFamily) {
        if let why = ctx.liveOnlyReason {
            f["cpuid_flags"] = .notAvailable(why, "cpuid")
            f["hidden_flags"] = .notAvailable(why, "cpuid")
            return
        }
        var buf = [CChar](repeating: 0, count: 2048)
        let kind = csys_cpu_flags(&buf, buf.count)
        let src = kind == 2 ? "hwcaps (getauxval)" : "cpuid"
        guard kind != 0 else {
            f["cpuid_flags"] = .notAvailable("no direct CPU feature probe on this architecture", "cpuid")
            f["hidden_flags"] = .notAvailable("no direct CPU feature probe on this architecture", "cpuid")
            return
        }
        let direct = Parsing.words(cString(buf))
        f["cpuid_flags"] = .ok(.strings(direct), src)
        if let info, !info.flags.isEmpty {
            let listed = Set(info.flags)
            f["hidden_flags"] = .ok(.strings(direct.filter { !listed.contains($0) }), "\(src) vs /proc/cpuinfo")
        } else {
            f["hidden_flags"] = .notAvailable("no /proc/cpuinfo flags to compare", src)
        }
    }

    static func topology(_ ctx: CollectContext, _ info: CPUInfo?, _ f: inout FactFamily) {
        let onlinePath = "/sys/devices/system/cpu/online"
        var online: [Int]?
        switch ctx.root.readAttribute(onlinePath) {
        case .success(let s):
            if let l = Parsing.cpuList(s) { online = l; f["online_cpus"] = .ok(.int(l.count), onlinePath) }
            else { f["online_cpus"] = .error("unparseable CPU list", onlinePath) }
        case .failure(let e): f["online_cpus"] = ctx.failure(e, onlinePath)
        }
        let offPath = "/sys/devices/system/cpu/offline"
        if let off = ctx.root.attribute(offPath), let l = Parsing.cpuList(off) {
            f["offline_cpus"] = .ok(.array(l.map { .int($0) }), offPath)
        } else { f["offline_cpus"] = .notAvailable("\(offPath) missing or unreadable", offPath) }

        // Topology from sysfs (works on ARM too), else from cpuinfo's physical id / core id.
        var pairs = Set<[Int]>(), packages = Set<Int>()
        let cpus = online ?? (ctx.root.list("/sys/devices/system/cpu") ?? []).compactMap { n -> Int? in
            n.hasPrefix("cpu") ? Int(n.dropFirst(3)) : nil
        }
        for c in cpus {
            let base = "/sys/devices/system/cpu/cpu\(c)/topology/"
            guard let p = ctx.root.attribute(base + "physical_package_id").flatMap({ Int($0) }),
                  let core = ctx.root.attribute(base + "core_id").flatMap({ Int($0) }) else { pairs = []; break }
            packages.insert(p); pairs.insert([p, core])
        }
        if !pairs.isEmpty {
            let src = "/sys/devices/system/cpu/cpu*/topology"
            f["sockets"] = .ok(.int(packages.count), src)
            f["physical_cores"] = .ok(.int(pairs.count), src)
            return
        }
        let src = "/proc/cpuinfo"
        if let info, info.first["physical id"] != nil, info.first["core id"] != nil {
            for p in info.processors {
                if let a = p["physical id"].flatMap({ Int($0) }), let b = p["core id"].flatMap({ Int($0) }) {
                    packages.insert(a); pairs.insert([a, b])
                }
            }
            f["sockets"] = .ok(.int(packages.count), src)
            f["physical_cores"] = .ok(.int(pairs.count), src)
        } else {
            f["sockets"] = .notAvailable("no topology in sysfs or /proc/cpuinfo", src)
            f["physical_cores"] = .notAvailable("no topology in sysfs or /proc/cpuinfo", src)
        }
    }

    /// Hypervisor signatures from cpuid leaf 0x40000000, mapped to short names.
    static let hypervisorSignatures: [String: String] = [
        "KVMKVMKVM": "kvm", "Microsoft Hv": "hyperv", "VMwareVMware": "vmware", "XenVMMXenVMM": "xen",
        "TCGTCGTCGTCG": "qemu-tcg", "ACRNACRNACRN": "acrn", " lrpepyh vr": "parallels", "bhyve bhyve ": "bhyve",
        "QNXQVMBSQG": "qnx", "VBoxVBoxVBox": "virtualbox",
    ]

    static func hypervisor(_ ctx: CollectContext, _ info: CPUInfo?) -> Fact {
        if ctx.live {
            var buf = [CChar](repeating: 0, count: 16)
            let r = csys_hypervisor_vendor(&buf, buf.count)
            if r == 1 {
                let sig = cString(buf)
                let trimmed = sig.trimmingCharacters(in: CharacterSet(charactersIn: "\0"))
                let name = hypervisorSignatures[trimmed] ?? hypervisorSignatures[sig]
                    ?? (trimmed.isEmpty ? "unknown" : trimmed.lowercased())
                return .ok(.string(name), "cpuid 0x40000000")
            }
            if r == 0 { return .ok(.string("none"), "cpuid (hypervisor bit clear)") }
        }
        if let t = ctx.root.attribute("/sys/hypervisor/type"), !t.isEmpty { return .ok(.string(t), "/sys/hypervisor/type") }
        for p in ["/sys/class/dmi/id/sys_vendor", "/sys/class/dmi/id/product_name"] {
            if let v = ctx.root.attribute(p), let name = dmiHypervisor(v) { return .ok(.string(name), p) }
        }
        if let info, info.flags.contains("hypervisor") {
            return .ok(.string("unknown"), "/proc/cpuinfo (hypervisor flag)")
        }
        if ctx.root.exists("/proc/device-tree/hypervisor") { return .ok(.string("unknown"), "/proc/device-tree/hypervisor") }
        return .ok(.string("none"), "/proc/cpuinfo, /sys/class/dmi/id")
    }

    static func dmiHypervisor(_ v: String) -> String? {
        let l = v.lowercased()
        let table: [(String, String)] = [("kvm", "kvm"), ("qemu", "kvm"), ("amazon ec2", "kvm"), ("google", "kvm"),
                                         ("microsoft corporation", "hyperv"), ("virtual machine", "hyperv"),
                                         ("vmware", "vmware"), ("xen", "xen"), ("virtualbox", "virtualbox"),
                                         ("innotek", "virtualbox"), ("openstack", "kvm"), ("bochs", "kvm")]
        return table.first { l.contains($0.0) }?.1
    }

    static func container(_ ctx: CollectContext) -> Fact {
        if ctx.root.exists("/.dockerenv") { return .ok(.string("docker"), "/.dockerenv") }
        if ctx.root.exists("/run/.containerenv") { return .ok(.string("podman"), "/run/.containerenv") }
        if let c = ctx.env["container"], !c.isEmpty { return .ok(.string(c), "environment: container") }
        if let c = ctx.root.attribute("/run/systemd/container"), !c.isEmpty { return .ok(.string(c), "/run/systemd/container") }
        for path in ["/proc/1/cgroup", "/proc/self/cgroup"] {
            guard case .success(let text) = ctx.root.readFile(path, maxBytes: 64 * 1024) else { continue }
            for (needle, name) in [("kubepods", "kubernetes"), ("docker", "docker"), ("libpod", "podman"),
                                   ("lxc", "lxc"), ("containerd", "containerd")] where text.contains(needle) {
                return .ok(.string(name), path)
            }
        }
        if let e = ctx.root.attribute("/proc/1/environ"), e.contains("container=") {
            return .ok(.string("unknown"), "/proc/1/environ")
        }
        return .ok(.string("none"), "/.dockerenv, /run/.containerenv, /proc/1/cgroup")
    }
}
