import Foundation
import Testing
import TestSupport
@testable import SystemFacts

/// cgroup v1 and v2 limits on small hand-made roots (values computed by hand).
@Suite struct CgroupTests {
    static func root(_ files: [String: String]) throws -> URL {
        let dir = try TestEnvironment.makeTempDir("facts-cgroup")
        for (path, text) in files {
            let url = dir.appendingPathComponent(String(path.dropFirst()))
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static func collect(_ dir: URL) -> FactsReport {
        SystemFacts.collectBlocking(FactsOptions(root: SystemRoot(dir.path), environment: EnvironmentSource([:]),
                                                 only: ["cores", "memory", "cpu"], live: false))
    }

    @Test func v1QuotaAndMemoryLimitOfTheProcessCgroup() throws {
        let dir = try Self.root([
            "/proc/self/cgroup": "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n",
            "/proc/self/status": "Name:\tx\nCpus_allowed_list:\t0-15\n",
            "/sys/devices/system/cpu/online": "0-15\n",
            "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
            "/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "250000\n",
            "/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000\n",
            "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
            "/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": "1073741824\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = Self.collect(dir)
        #expect(r.value("cores.cgroup_quota_cpus") == .double(2.5))
        #expect(r.fact("cores.cgroup_quota_cpus")?.source == "/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us")
        #expect(r.value("cores.usable") == .int(2))
        #expect(r.value("memory.cgroup_max_bytes") == .int(1 << 30))
    }

    @Test func v1UnlimitedIsNotAvailable() throws {
        let dir = try Self.root([
            "/proc/self/cgroup": "4:cpu,cpuacct:/\n12:memory:/\n",
            "/sys/devices/system/cpu/online": "0-3\n",
            "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
            "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = Self.collect(dir)
        #expect(r.fact("cores.cgroup_quota_cpus")?.status.name == "not_available")
        #expect(r.fact("memory.cgroup_max_bytes")?.status == .notAvailable("no cgroup memory limit"))
        #expect(r.value("cores.usable") == .int(4))
    }

    @Test func v2TightestLimitAlongThePathWins() throws {
        let dir = try Self.root([
            "/proc/self/cgroup": "0::/kubepods.slice/pod1/ctr\n",
            "/sys/devices/system/cpu/online": "0-7\n",
            "/sys/fs/cgroup/cgroup.controllers": "cpuset cpu memory\n",
            "/sys/fs/cgroup/cpu.max": "max 100000\n",
            "/sys/fs/cgroup/kubepods.slice/cpu.max": "max 100000\n",
            "/sys/fs/cgroup/kubepods.slice/pod1/cpu.max": "50000 100000\n",
            "/sys/fs/cgroup/kubepods.slice/pod1/ctr/cpu.max": "300000 100000\n",
            "/sys/fs/cgroup/kubepods.slice/pod1/memory.max": "536870912\n",
            "/sys/fs/cgroup/kubepods.slice/pod1/ctr/memory.max": "max\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = Self.collect(dir)
        #expect(r.value("cores.cgroup_quota_cpus") == .double(0.5))
        #expect(r.value("cores.usable") == .int(1)) // a half-CPU quota still leaves one CPU to run on
        #expect(r.value("memory.cgroup_max_bytes") == .int(512 << 20))
        #expect(r.value("cpu.container") == .string("kubernetes"))
    }
}
