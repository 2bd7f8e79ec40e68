import CSystem
import Foundation

/// nvidia: the CUDA ladder — PCI device, kernel driver, device nodes, libcuda, nvidia-smi — and which step failed.
enum NvidiaCollector {
    static let collector = Collector(family: "nvidia", factNames: [
        "pci_gpus", "driver_version", "device_nodes", "libcuda", "smi", "nvcc_version", "ladder", "failed_step",
        "cuda_env", "wsl",
    ], collect: collect)

    static let cudaEnvNames = ["CUDA_HOME", "CUDA_PATH", "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES",
                               "LD_LIBRARY_PATH"]
    static let wslLibDir = "/usr/lib/wsl/lib"

    enum StepStatus: String { case ok, failed, skipped }

    static func collect(_ ctx: CollectContext) -> FactFamily {
        var f = FactFamily("nvidia")
        var ladder: [(String, StepStatus, String)] = []
        func step(_ name: String, _ fact: Fact, ok detail: String) {
            switch fact.status {
            case .ok: ladder.append((name, .ok, detail))
            case .notAvailable(let r) where r.hasPrefix("live-only") || r.hasPrefix("safe mode"):
                ladder.append((name, .skipped, r))
            case .notAvailable(let r), .error(let r): ladder.append((name, .failed, r))
            }
        }

        let pci = pciGPUs(ctx.root)
        f["pci_gpus"] = pci
        step("pci_device", pci, ok: "\(pci.value.arrayValue?.count ?? 0) NVIDIA GPU(s)")

        let vpath = "/proc/driver/nvidia/version"
        switch ctx.root.readFile(vpath, maxBytes: 64 * 1024) {
        case .success(let text):
            if let v = CommandRunner.firstMatch(#"Kernel Module(?: for [A-Za-z0-9_]+)?\s+([0-9][0-9.]+)"#, in: text) {
                f["driver_version"] = .ok(.string(v), vpath)
            } else { f["driver_version"] = .error("unrecognised \(vpath) contents", vpath) }
        case .failure(.missing): f["driver_version"] = .notAvailable("NVIDIA kernel driver not loaded (\(vpath) missing)", vpath)
        case .failure(let e): f["driver_version"] = ctx.failure(e, vpath)
        }
        step("kernel_driver", f["driver_version"]!, ok: f["driver_version"]!.value.stringValue ?? "")

        let nodes = (ctx.root.list("/dev") ?? []).filter { $0.hasPrefix("nvidia") }.map { "/dev/" + $0 }
        f["device_nodes"] = nodes.isEmpty ? .notAvailable("no /dev/nvidia* device nodes", "/dev/nvidia*")
            : .ok(.strings(nodes), "/dev/nvidia*")
        step("device_nodes", f["device_nodes"]!, ok: "\(nodes.count) node(s)")

        let wslLib = ["\(wslLibDir)/libcuda.so.1", "\(wslLibDir)/libcuda.so"].first { ctx.root.exists($0) }
        f["libcuda"] = libcuda(ctx, wslLib: wslLib)
        step("libcuda", f["libcuda"]!, ok: "driver API \(f["libcuda"]!.value["driver_version"]?.intValue ?? 0)")

        f["smi"] = ctx.command("nvidia-smi", source: "exec:nvidia-smi") { smi($0) }
        step("nvidia_smi", f["smi"]!, ok: "\(f["smi"]!.value["gpus"]?.arrayValue?.count ?? 0) GPU(s)")

        f["nvcc_version"] = ctx.command("nvcc", source: "exec:nvcc --version") { nvcc($0, ctx.env) }
        f["ladder"] = .ok(.array(ladder.map { .object(["step": .string($0.0), "status": .string($0.1.rawValue),
                                                       "detail": .string($0.2)]) }), "nvidia ladder")
        let failed = ladder.first { $0.1 == .failed }
        f["failed_step"] = .ok(.string(failed?.0 ?? "none"), "nvidia ladder")
        var env: [String: FactValue] = [:]
        for n in cudaEnvNames { if let v = ctx.env[n] { env[n] = .string(Redactor.redact(name: n, value: v) ?? v) } }
        f["cuda_env"] = .ok(.object(env), ctx.env.origin)
        let osrelease = ctx.root.attribute("/proc/sys/kernel/osrelease") ?? ""
        let isWSL = osrelease.lowercased().contains("microsoft") || ctx.root.isDirectory(wslLibDir)
        f["wsl"] = .ok(.object(["wsl": .bool(isWSL), "libcuda": wslLib.map { .string($0) } ?? .null]),
                       "/proc/sys/kernel/osrelease, \(wslLibDir)")
        return f
    }

    static func pciGPUs(_ r: SystemRoot) -> Fact {
        switch PCICollector.scan(r) {
        case .success(let (devs, src)):
            let nv = devs.filter { $0.isNVIDIA && ($0.isGPU || $0.classID >> 8 == 0x12) }
            return nv.isEmpty ? .notAvailable("no NVIDIA (10de) display/3D device on the PCI bus", src)
                : .ok(.array(nv.map(\.value)), src)
        case .failure(let e): return e.fact
        }
    }

    static func libcuda(_ ctx: CollectContext, wslLib: String?) -> Fact {
        if let why = ctx.liveOnlyReason { return .notAvailable(why, "dlopen libcuda.so.1") }
        let lib = ctx.options.libcudaPath ?? wslLib ?? "libcuda.so.1"
        let src = "dlopen \(lib)"
        var info = csys_cuda_info()
        var devs = [csys_cuda_device](repeating: csys_cuda_device(), count: 64)
        let n = csys_cuda_probe(lib, &info, &devs, Int32(devs.count))
        let detail = withUnsafePointer(to: &info.detail) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
        switch info.step {
        case 0: break
        case 1: return .notAvailable("libcuda not loadable: \(detail)", src)
        case 2: return .error(detail, src)
        default:
            let name = cuResultNames[Int(info.result)].map { " (\($0))" } ?? ""
            return .error(detail + name, src)
        }
        let list: [FactValue] = devs[0..<Int(n)].map { d in
            var d = d
            let name = withUnsafePointer(to: &d.name) { $0.withMemoryRebound(to: CChar.self, capacity: 128) { String(cString: $0) } }
            return .object(["name": .string(name), "memory_bytes": .int(Int(d.memory_bytes)),
                            "compute_capability": .string("\(d.cc_major).\(d.cc_minor)")])
        }
        return .ok(.object(["driver_version": .int(Int(info.driver_version)), "device_count": .int(Int(info.device_count)),
                            "devices": .array(list)]), src)
    }

    /// CUDA driver API result codes seen when the driver stack is broken (cuda.h).
    static let cuResultNames: [Int: String] = [
        3: "CUDA_ERROR_NOT_INITIALIZED", 34: "CUDA_ERROR_STUB_LIBRARY", 100: "CUDA_ERROR_NO_DEVICE",
        101: "CUDA_ERROR_INVALID_DEVICE", 304: "CUDA_ERROR_OPERATING_SYSTEM", 803: "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH",
        804: "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE", 999: "CUDA_ERROR_UNKNOWN",
    ]

    static func smi(_ runner: CommandRunner) -> Fact {
        let args = ["--query-gpu=name,memory.used,memory.total,utilization.gpu", "--format=csv,noheader,nounits"]
        let src = "exec:nvidia-smi"
        switch runner.run("nvidia-smi", args) {
        case .notFound: return .notAvailable("nvidia-smi not found on PATH", src)
        case .timedOut(let t): return .error("nvidia-smi timed out after \(CommandRunner.seconds(t)) s", src)
        case .failedToStart(let m): return .error("could not start nvidia-smi: \(m)", src)
        case .exited(let st, let out):
            let first = out.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard st == 0 else { return .error("nvidia-smi exit status \(st): \(first.prefix(120))", src) }
            var gpus: [FactValue] = []
            for line in out.split(whereSeparator: \.isNewline) {
                let c = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                guard c.count >= 4 else { continue }
                gpus.append(.object(["name": .string(c[0]), "memory_used_mib": Int(c[1]).map { .int($0) } ?? .null,
                                     "memory_total_mib": Int(c[2]).map { .int($0) } ?? .null,
                                     "utilization_pct": Int(c[3]).map { .int($0) } ?? .null]))
            }
            return gpus.isEmpty ? .error("unrecognised nvidia-smi output: \(first.prefix(120))", src)
                : .ok(.object(["gpus": .array(gpus)]), src)
        }
    }

    /// nvcc from PATH, else from $CUDA_HOME/bin or /usr/local/cuda/bin.
    static func nvcc(_ runner: CommandRunner, _ env: EnvironmentSource) -> Fact {
        var exe = "nvcc"
        if runner.locate("nvcc") == nil {
            let dirs = [env["CUDA_HOME"], env["CUDA_PATH"], "/usr/local/cuda"].compactMap { $0 }
            if let d = dirs.first(where: { FileManager.default.isExecutableFile(atPath: "\($0)/bin/nvcc") }) { exe = "\(d)/bin/nvcc" }
        }
        return runner.versionFact(exe, ["--version"], pattern: #"release ([0-9]+\.[0-9]+)"#)
    }
}
