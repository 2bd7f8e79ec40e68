import CSystem
import Foundation

/// software: OS, kernel, libc, the toolchains people build engines with, and this build of the doctor.
enum SoftwareCollector {
    static let collector = Collector(family: "software", factNames: [
        "os", "kernel", "libc", "rustc", "cargo", "rustflags", "clang", "cmake", "nvcc", "doctor_build", "doctor_simd",
    ], collect: collect)

    static let probes: [(fact: String, program: String, args: [String], pattern: String)] = [
        ("rustc", "rustc", ["--version"], #"^rustc ([0-9][^\s]*)"#),
        ("cargo", "cargo", ["--version"], #"^cargo ([0-9][^\s]*)"#),
        ("clang", "clang", ["--version"], #"clang version ([0-9][^\s]*)"#),
        ("cmake", "cmake", ["--version"], #"^cmake version ([0-9][^\s]*)"#),
    ]

    static func collect(_ ctx: CollectContext) -> FactFamily {
        var f = FactFamily("software")
        let osr = "/etc/os-release"
        switch ctx.root.readFile(osr, maxBytes: 64 * 1024) {
        case .success(let text):
            let kv = EnvironmentSource.parse(text, origin: osr)
            if let n = kv["PRETTY_NAME"] ?? kv["NAME"] { f["os"] = .ok(.string(n), osr) } else { f["os"] = .error("no PRETTY_NAME/NAME", osr) }
        case .failure(let e): f["os"] = ctx.failure(e, osr)
        }
        let kr = "/proc/sys/kernel/osrelease"
        if let k = ctx.root.attribute(kr), !k.isEmpty { f["kernel"] = .ok(.string(k), kr) }
        else { f["kernel"] = .notAvailable("\(kr) missing or unreadable", kr) }
        if let why = ctx.liveOnlyReason { f["libc"] = .notAvailable(why, "gnu_get_libc_version") }
        else {
            let v = String(cString: csys_libc_version())
            f["libc"] = v.isEmpty ? .notAvailable("not glibc", "gnu_get_libc_version") : .ok(.string("glibc \(v)"), "gnu_get_libc_version")
        }
        // External probes run in parallel so the slowest, not the sum, bounds the family.
        let results = ProbeResults(count: probes.count + 1)
        DispatchQueue.concurrentPerform(iterations: probes.count + 1) { i in
            if i == probes.count {
                results.set(i, ctx.command("nvcc", source: "exec:nvcc --version") { NvidiaCollector.nvcc($0, ctx.env) })
            } else {
                let p = probes[i]
                results.set(i, ctx.command(p.program, source: "exec:\(p.program) \(p.args.joined(separator: " "))") {
                    $0.versionFact(p.program, p.args, pattern: p.pattern)
                })
            }
        }
        for (i, p) in probes.enumerated() {
            f[p.fact] = results.get(i)
            if p.fact == "cargo" {
                if let rf = ctx.env["RUSTFLAGS"] ?? ctx.env["CARGO_ENCODED_RUSTFLAGS"] {
                    f["rustflags"] = .ok(.string(rf), ctx.env.origin)
                } else { f["rustflags"] = .notAvailable("RUSTFLAGS not set", ctx.env.origin) }
            }
        }
        f["nvcc"] = results.get(probes.count)
        #if DEBUG
        f["doctor_build"] = .ok(.string("debug"), "build configuration")
        #else
        f["doctor_build"] = .ok(.string("release"), "build configuration")
        #endif
        var buf = [CChar](repeating: 0, count: 256)
        csys_build_simd(&buf, buf.count)
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "aarch64"
        #else
        let arch = "other"
        #endif
        f["doctor_simd"] = .ok(.object(["arch": .string(arch), "baseline": .strings(Parsing.words(cString(buf)))]),
                               "compile-time target features")
        return f
    }

    final class ProbeResults: @unchecked Sendable {
        private let lock = NSLock()
        private var facts: [Fact?]
        init(count: Int) { facts = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ f: Fact) { lock.lock(); facts[i] = f; lock.unlock() }
        func get(_ i: Int) -> Fact { lock.lock(); defer { lock.unlock() }; return facts[i]! }
    }
}
