import Foundation
import Testing
import TestSupport
@testable import SystemFacts

/// Fixture facts against independent truth: util-linux `lscpu --sysroot` reading the same tree, and values
/// computed by hand from the fixture descriptions (fixtures/machines/*/README.md).
@Suite struct FixtureTruthTests {
    static let lscpu: URL? = ["/usr/bin/lscpu", "/bin/lscpu"].map(URL.init(fileURLWithPath:))
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// lscpu's JSON fields (name without the trailing colon → data).
    static func lscpuFields(_ root: String) throws -> [String: String] {
        let out = try Subprocess.run(lscpu!, ["--sysroot", root, "-J"], environment: ["LC_ALL": "C"], timeout: 30)
        let obj = try JSONSerialization.jsonObject(with: out.stdout) as! [String: Any]
        var d: [String: String] = [:]
        for e in obj["lscpu"] as! [[String: Any]] {
            d[(e["field"] as! String).trimmingCharacters(in: CharacterSet(charactersIn: ":"))] = e["data"] as? String
        }
        return d
    }

    @Test(.enabled(if: lscpu != nil || TestEnvironment.testDataRequired), arguments: Fixtures.names)
    func cpuFactsAgreeWithLscpu(_ name: String) throws {
        let r = try Fixtures.collect(name, only: ["cpu", "frequency"])
        let l = try Self.lscpuFields(Fixtures.path(name) + "/root")
        #expect(r.value("cpu.logical_cpus")?.intValue == Int(l["CPU(s)"] ?? ""))
        #expect(r.value("cpu.vendor")?.stringValue == l["Vendor ID"])
        #expect(r.value("cpu.flags")?.arrayValue?.compactMap(\.stringValue).joined(separator: " ") == l["Flags"])
        let sockets = Int(l["Socket(s)"] ?? "") ?? -1, perSocket = Int(l["Core(s) per socket"] ?? "") ?? -1
        #expect(r.value("cpu.sockets")?.intValue == sockets)
        #expect(r.value("cpu.physical_cores")?.intValue == sockets * perSocket)
        if l["Model name"].map({ !$0.contains("Neoverse") }) ?? false {
            #expect(r.value("cpu.model_name")?.stringValue == l["Model name"])
        } else {
            #expect(r.value("cpu.model_name")?.stringValue?.hasSuffix(l["Model name"] ?? "?") == true)
        }
        if let maxMHz = l["CPU max MHz"].flatMap(Double.init) {
            #expect(r.value("frequency.hw_max_khz")?.intValue == Int(maxMHz * 1000))
        } else {
            #expect(r.fact("frequency.hw_max_khz")?.isOK == false)
        }
    }

    @Test func intelDesktopPowersave() throws {
        let r = try Fixtures.collect("intel-desktop-powersave")
        #expect(r.value("frequency.driver") == .string("intel_pstate"))
        #expect(r.value("frequency.governor") == .string("powersave"))
        #expect(r.value("frequency.boost") == .bool(true))
        #expect(r.value("frequency.epp") == .string("balance_power"))
        #expect(r.value("frequency.available_governors") == .strings(["performance", "powersave"]))
        #expect(r.value("frequency.max_khz") == .int(4_400_000))
        #expect(r.value("cpu.simd")?.arrayValue?.contains(.string("avx_vnni")) == true)
        #expect(r.value("cpu.simd")?.arrayValue?.contains(.string("avx512f")) == false)
        #expect(r.value("cpu.microarchitecture")?["name"] == .string("Alder Lake"))
        #expect(r.value("thermal.core_throttle_count") == .int(0))
        #expect(r.value("thermal.hot") == .bool(false))
        #expect(r.value("cores.thread_env")?["OMP_NUM_THREADS"] == .string("12"))
    }

    @Test func laptopThrottling() throws {
        let r = try Fixtures.collect("laptop-throttling")
        // One counter per physical core (SMT siblings share it): 1842 + 1790 + 2011 + 1655.
        #expect(r.value("thermal.core_throttle_count") == .int(7298))
        #expect(r.value("thermal.package_throttle_count") == .int(3120))
        #expect(r.value("thermal.hot") == .bool(true))
        #expect(r.value("thermal.max_temp_c") == .double(100))
        let pkg = r.value("thermal.sensors")?.arrayValue?.first { $0["label"] == .string("Package id 0") }
        #expect(pkg?["alarm"] == .bool(true))
        #expect(r.value("memory.swap_used_bytes") == .int((8_388_604 - 7_340_028) * 1024))
        #expect(r.value("load.loadavg1") == .double(7.84))
        // /proc/stat: user 600000*8, nice 1200, system 90000*8, idle 1300000*8, iowait 3100, irq 0, softirq 900.
        let user: Double = 600_000 * 8, system: Double = 90_000 * 8, idle: Double = 1_300_000 * 8
        let total: Double = user + 1200 + system + idle + 3100 + 900
        let busy: Double = total - idle - 3100
        #expect(r.value("load.busy_fraction") == .double((busy / total * 1000).rounded() / 1000))
        // llama-server: (650000 + 3000) ticks over (14400 - 11000) s at 100 Hz.
        let top = r.value("load.top_processes")?.arrayValue?.first
        #expect(top?["name"] == .string("llama-server"))
        #expect(top?["cpu_fraction"] == .double((653_000.0 / 100 / 3400 * 1000).rounded() / 1000))
        #expect(r.value("software.rustflags") == .string("-C target-cpu=native"))
        #expect(r.value("environment.redacted") == .strings(["LLAMA_ARG_HF_TOKEN"]))
    }

    @Test func cloudVM() throws {
        let r = try Fixtures.collect("cloud-vm")
        for f in ["driver", "governor", "boost", "max_khz"] {
            guard case .notAvailable(let why)? = r.fact("frequency.\(f)")?.status else {
                Issue.record("frequency.\(f) should be not available"); continue
            }
            #expect(why.contains("no cpufreq"))
        }
        #expect(r.value("cpu.hypervisor") == .string("kvm"))
        #expect(r.value("cpu.flags")?.arrayValue?.contains(.string("hypervisor")) == true)
        #expect(r.fact("thermal.sensors")?.isOK == false)
        #expect(r.fact("thermal.core_throttle_count")?.isOK == false)
        #expect(r.value("memory.thp") == .string("always"))
        // The Amazon VGA function is a display device but not NVIDIA: the ladder stops at the PCI step.
        #expect(r.value("pci.gpus")?.arrayValue?.count == 1)
        #expect(r.value("nvidia.failed_step") == .string("pci_device"))
    }

    @Test func arm64Neoverse() throws {
        let r = try Fixtures.collect("arm64-neoverse")
        #expect(r.value("cpu.architecture") == .string("aarch64"))
        #expect(r.value("cpu.vendor") == .string("ARM"))
        #expect(r.value("cpu.microarchitecture")?["name"] == .string("Neoverse-N1"))
        #expect(r.value("cpu.simd") == .strings(["asimd", "asimddp", "asimdhp"]))
        #expect(r.value("cpu.flags")?.arrayValue?.contains(.string("avx2")) == false)
        #expect(r.value("cpu.hypervisor") == .string("none"))
        #expect(r.value("frequency.governor") == .string("schedutil"))
        #expect(r.fact("frequency.boost")?.isOK == false)
    }

    @Test func nvidiaGPUHost() throws {
        let r = try Fixtures.collect("nvidia-gpu-host")
        #expect(r.value("nvidia.driver_version") == .string("535.183.01"))
        #expect(r.value("nvidia.failed_step") == .string("none"))
        let gpus = r.value("nvidia.pci_gpus")?.arrayValue ?? []
        #expect(gpus.count == 1)
        #expect(gpus.first?["vendor_id"] == .string("10de"))
        #expect(gpus.first?["device_id"] == .string("2204"))
        #expect(gpus.first?["class_id"] == .string("0300"))
        #expect(gpus.first?["device"] == .string("GA102 [GeForce RTX 3090]"))
        #expect(gpus.first?["driver"] == .string("nvidia"))
        #expect(r.value("nvidia.device_nodes")?.arrayValue?.contains(.string("/dev/nvidia0")) == true)
        #expect(r.value("nvidia.cuda_env")?["CUDA_VISIBLE_DEVICES"] == .string("0"))
        #expect(r.value("environment.redacted") == .strings(["NVIDIA_API_KEY"]))
        // Live-only steps are skipped on a fixture root, not failed.
        let libcuda = r.value("nvidia.ladder")?.arrayValue?.first { $0["step"] == .string("libcuda") }
        #expect(libcuda?["status"] == .string("skipped"))
    }

    @Test func gpuHostHealthyAndDriverMissing() throws {
        let ok = try Fixtures.collect("gpu-host-healthy")
        #expect(ok.value("nvidia.failed_step") == .string("none"))
        #expect(ok.value("nvidia.driver_version") == .string("550.54.15"))
        #expect(ok.value("nvidia.pci_gpus")?.arrayValue?.first?["class_id"] == .string("0302"))
        #expect(ok.value("frequency.governor") == .string("performance"))
        #expect(ok.value("frequency.boost") == .bool(true))
        let broken = try Fixtures.collect("gpu-driver-missing")
        #expect(broken.value("nvidia.failed_step") == .string("kernel_driver"))
        #expect(broken.value("nvidia.pci_gpus")?.arrayValue?.first?["driver"] == .string("nouveau"))
    }

    @Test func containerOneCPU() throws {
        let r = try Fixtures.collect("container-1cpu")
        #expect(r.value("cores.online") == .int(8))
        #expect(r.value("cores.affinity") == .int(1))
        #expect(r.value("cores.cgroup_quota_cpus") == .double(1.0))
        #expect(r.value("cores.cgroup_cpuset") == .int(1))
        #expect(r.value("cores.usable") == .int(1))
        #expect(r.value("cpu.container") == .string("docker"))
        #expect(r.value("memory.cgroup_max_bytes") == .int(4 << 30))
        #expect(r.value("environment.redacted") == .strings(["BITNET_MODEL_URL"]))
        #expect(r.value("environment.variables")?["BITNET_THREADS"] == .string("8"))
    }

    @Test func tunedDesktop() throws {
        let r = try Fixtures.collect("tuned-desktop")
        #expect(r.value("frequency.governor") == .string("performance"))
        #expect(r.value("frequency.epp") == .string("performance"))
        #expect(r.value("thermal.core_throttle_count") == .int(0))
        #expect(r.value("thermal.package_throttle_count") == .int(0))
        #expect(r.value("thermal.hot") == .bool(false))
        #expect(r.value("cores.usable") == .int(8))
        #expect(r.value("cpu.physical_cores") == .int(8))
    }

    @Test func secretsNeverLeaveTheReport() throws {
        for name in Fixtures.names {
            let json = String(decoding: try Fixtures.collect(name).jsonData(), as: UTF8.self)
            for secret in ["hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345", "s3cretpass", "nvapi-0123456789", "ghp_0123456789", "AKIAIOSFODNN7EXAMPLE"] {
                #expect(!json.contains(secret), "\(name) leaks \(secret)")
            }
        }
    }

    @Test func throttleCountersCanBeBracketed() throws {
        let tmp = try TestEnvironment.makeTempDir("facts-throttle")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let root = tmp.appendingPathComponent("root")
        try FileManager.default.copyItem(atPath: Fixtures.path("laptop-throttling") + "/root", toPath: root.path)
        let before = SystemFacts.throttleCounts(root: SystemRoot(root.path))
        // cpu1 and cpu5 are SMT siblings of core 1: the core's counter rises by 25, the package's by 40.
        for cpu in [1, 5] {
            let dir = root.appendingPathComponent("sys/devices/system/cpu/cpu\(cpu)/thermal_throttle")
            try "1815\n".write(to: dir.appendingPathComponent("core_throttle_count"), atomically: true, encoding: .utf8)
        }
        for cpu in 0..<8 {
            let dir = root.appendingPathComponent("sys/devices/system/cpu/cpu\(cpu)/thermal_throttle")
            try "3160\n".write(to: dir.appendingPathComponent("package_throttle_count"), atomically: true, encoding: .utf8)
        }
        let after = SystemFacts.throttleCounts(root: SystemRoot(root.path))
        #expect(before == ThrottleCounts(core: 7298, package: 3120))
        #expect(after.delta(since: before) == ThrottleCounts(core: 25, package: 40))
    }
}
