import Foundation
import Testing
@testable import SystemFacts

@Suite struct RedactionTests {
    @Test(arguments: ["HF_TOKEN", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD", "OPENAI_API_KEY", "MY_KEY",
                      "BITNET_AUTH_HEADER", "private_key_file"])
    func secretNames(_ name: String) { #expect(Redactor.isSecretName(name)) }

    @Test(arguments: ["PATH", "OMP_NUM_THREADS", "KEYBOARD_LAYOUT", "MONKEY", "RUSTFLAGS", "CUDA_VISIBLE_DEVICES"])
    func ordinaryNames(_ name: String) { #expect(!Redactor.isSecretName(name)) }

    @Test(arguments: ["hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ", "ghp_0123456789abcdefghijABCDEFGHIJ0123", "AKIAIOSFODNN7EXAMPLE",
                      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                      "https://user:pa55word@example.com/repo.git", "sk-abcdefghijklmnopqrstuvwxyz012345",
                      "glpat-abcdefghijklmnopqrst", "--token=hf_abcdefghijklmnopqrstuvwx"])
    func secretValues(_ value: String) { #expect(Redactor.isSecretValue(value)) }

    @Test(arguments: ["8", "/usr/local/cuda", "https://huggingface.co/microsoft/bitnet", "-C target-cpu=native", "hf_short", "0,1"])
    func ordinaryValues(_ value: String) { #expect(!Redactor.isSecretValue(value)) }

    @Test func environmentFamilyKeepsOnlyAllowListedPrefixesAndRedacts() {
        let env = EnvironmentSource(["RAYON_NUM_THREADS": "4", "BITNET_API_TOKEN": "abc", "CUDA_HOME": "/usr/local/cuda",
                                     "GGML_URL": "https://u:p@h.example/x", "HOME": "/root", "AWS_SECRET_ACCESS_KEY": "x"])
        let r = SystemFacts.collectBlocking(FactsOptions(root: SystemRoot("/nonexistent"), environment: env, only: ["environment"]))
        #expect(r.value("environment.variables") == .object(["RAYON_NUM_THREADS": .string("4"), "BITNET_API_TOKEN": .string("<redacted>"),
                                                              "CUDA_HOME": .string("/usr/local/cuda"), "GGML_URL": .string("<redacted>")]))
        #expect(r.value("environment.redacted") == .strings(["BITNET_API_TOKEN", "GGML_URL"]))
    }

    @Test func envFileParsing() {
        let e = EnvironmentSource.parse("# c\nexport A=1\nB=\"two words\"\n\nC='x=y'\nnoequals\n", origin: "t")
        #expect(e.variables == ["A": "1", "B": "two words", "C": "x=y"])
    }
}

@Suite struct ReportShapeTests {
    @Test func jsonShapeIsTheEvidenceContract() throws {
        let r = try Fixtures.collect("tuned-desktop")
        let obj = try JSONSerialization.jsonObject(with: r.jsonData()) as! [String: Any]
        #expect(obj["schema"] as? String == "bitnet-doctor.facts")
        #expect(obj["schema_version"] as? Int == 1)
        let fams = obj["families"] as! [String: Any]
        #expect(Set(fams.keys) == Set(FactsOptions.allFamilies))
        let vendor = (fams["cpu"] as! [String: Any])["vendor"] as! [String: Any]
        #expect(Set(vendor.keys) == ["value", "status", "source"])
        #expect(vendor["value"] as? String == "GenuineIntel")
        let na = (fams["cpu"] as! [String: Any])["cpuid_flags"] as! [String: Any]
        #expect(Set(na.keys) == ["value", "status", "reason", "source"])
        #expect(na["status"] as? String == "not_available")
        #expect(na["value"] is NSNull)
    }

    @Test func reportRoundTripsThroughJSON() throws {
        let r = try Fixtures.collect("nvidia-gpu-host")
        let back = try JSONDecoder().decode(FactsReport.self, from: r.jsonData())
        for fam in r.families {
            for (n, f) in fam.ordered { #expect(back[fam.name]?[n] == f, "\(fam.name).\(n)") }
        }
        #expect(back.root == r.root)
        #expect(back.factsTree == r.factsTree)
    }

    @Test func coreFactNamesFromTheArchitectureTableArePresent() throws {
        let core: [String: [String]] = [
            "cpu": ["vendor", "model_name", "architecture", "flags", "cpuid_flags", "hidden_flags", "sockets", "physical_cores",
                    "logical_cpus", "online_cpus", "hypervisor", "container"],
            "cores": ["online", "affinity", "cgroup_quota_cpus", "usable", "thread_env"],
            "frequency": ["driver", "governor", "governors", "available_governors", "min_khz", "max_khz", "cur_khz", "boost", "epp"],
            "thermal": ["core_throttle_count", "package_throttle_count", "zones", "sensors", "max_temp_c", "hot"],
            "pci": ["devices", "gpus"],
            "nvidia": ["driver_version", "device_nodes", "pci_gpus", "libcuda", "smi", "nvcc_version", "failed_step", "cuda_env"],
            "memory": ["total_bytes", "available_bytes", "swap_used_bytes", "thp", "cgroup_max_bytes"],
            "load": ["loadavg1", "busy_fraction", "top_processes"],
            "software": ["os", "kernel", "libc", "rustc", "cargo", "rustflags", "clang", "cmake", "nvcc", "doctor_build", "doctor_simd"],
            "environment": ["variables", "redacted"],
        ]
        for name in ["tuned-desktop", "cloud-vm"] {
            let r = try Fixtures.collect(name)
            for (fam, facts) in core { for f in facts { #expect(r[fam]?[f] != nil, "\(name): \(fam).\(f) missing") } }
        }
        // A timed-out family still reports every core name.
        for c in Collector.all { for f in core[c.family] ?? [] { #expect(c.factNames.contains(f), "\(c.family).\(f)") } }
    }

    @Test func textRendererColoursOnlyWhenAsked() throws {
        let r = try Fixtures.collect("laptop-throttling")
        let plain = FactsTextRenderer.render(r, color: false)
        let coloured = FactsTextRenderer.render(r, color: true)
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}["))
        #expect(plain.contains("governor"))
        #expect(plain.contains("powersave"))
        #expect(plain.contains("<redacted>"))
        #expect(!plain.contains("hf_aBcDeFgH"))
        // Aligned: within a family every value starts in the same column.
        let freq = plain.split(separator: "\n").drop { $0 != "frequency" }.dropFirst().prefix { $0.hasPrefix("  ") }
        let columns = Set(freq.map { line in line.dropFirst(2).firstIndex(of: " ").map { i in
            line.dropFirst(2)[i...].prefix { $0 == " " }.count + line.dropFirst(2).distance(from: line.dropFirst(2).startIndex, to: i) } ?? 0 })
        #expect(columns.count == 1)
    }
}
