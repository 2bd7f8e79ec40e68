import Foundation
import Testing
import TestSupport
@testable import SystemFacts
#if canImport(Glibc)
import Glibc
#endif

/// Broken inputs change only the affected facts, with a reason; nothing hangs or crashes.
@Suite struct BrokenInputTests {
    /// A private copy of a fixture to break.
    final class Scratch {
        let dir: URL
        var root: String { dir.appendingPathComponent("root").path }
        init(_ fixture: String) throws {
            dir = try TestEnvironment.makeTempDir("facts-broken")
            try FileManager.default.copyItem(atPath: Fixtures.path(fixture) + "/root", toPath: root)
            try FileManager.default.copyItem(atPath: Fixtures.path(fixture) + "/env", toPath: dir.appendingPathComponent("env").path)
        }
        deinit { try? FileManager.default.removeItem(at: dir) }
        func url(_ machinePath: String) -> URL { URL(fileURLWithPath: root + machinePath) }
        func write(_ machinePath: String, _ text: String) throws {
            try? FileManager.default.removeItem(at: url(machinePath))
            try text.write(to: url(machinePath), atomically: false, encoding: .utf8)
        }
        func collect() throws -> FactsReport { SystemFacts.collectBlocking(try FactsOptions.fixture(dir.path)) }
        /// Golden-shaped tree, families → facts.
        func tree() throws -> [String: [String: Any]] {
            (try Fixtures.goldenTree(try collect()) as! [String: Any])["families"] as! [String: [String: Any]]
        }
    }

    /// Everything but `changed` (family → facts, empty set: the whole family) is identical.
    static func expectOnlyChanged(_ before: [String: [String: Any]], _ after: [String: [String: Any]],
                                  _ changed: [String: Set<String>]) {
        for (fam, facts) in before {
            for (name, fact) in facts {
                if let c = changed[fam], c.isEmpty || c.contains(name) { continue }
                let d = Fixtures.firstDifference(fact, after[fam]?[name])
                #expect(d == nil, "\(fam).\(name) changed: \(d ?? "")")
            }
        }
    }

    @Test func cpuinfoReplacedByADirectory() throws {
        let s = try Scratch("tuned-desktop")
        let before = try s.tree()
        try FileManager.default.removeItem(at: s.url("/proc/cpuinfo"))
        try FileManager.default.createDirectory(at: s.url("/proc/cpuinfo"), withIntermediateDirectories: false)
        let r = try s.collect()
        #expect(r.fact("cpu.vendor")?.status == .error("/proc/cpuinfo: is a directory"))
        #expect(r.fact("cpu.flags")?.status.name == "error")
        Self.expectOnlyChanged(before, try s.tree(), ["cpu": ["vendor", "model_name", "microarchitecture", "flags", "simd", "logical_cpus"]])
    }

    @Test func garbageMeminfo() throws {
        let s = try Scratch("tuned-desktop")
        let before = try s.tree()
        try s.write("/proc/meminfo", "\u{7}\u{0}garbage\nMemTotal: lots\n\n::::\n")
        let r = try s.collect()
        #expect(r.fact("memory.total_bytes")?.status == .error("no MemTotal in /proc/meminfo"))
        Self.expectOnlyChanged(before, try s.tree(),
                               ["memory": ["total_bytes", "available_bytes", "swap_total_bytes", "swap_used_bytes", "hugepages_total"]])
    }

    @Test func garbageCpuListsAndCgroupFiles() throws {
        let s = try Scratch("container-1cpu")
        let before = try s.tree()
        try s.write("/sys/fs/cgroup/cpu.max", "banana\n")
        try s.write("/proc/loadavg", "x y z\n")
        let r = try s.collect()
        #expect(r.fact("cores.cgroup_quota_cpus")?.status.name == "error")
        #expect(r.fact("cores.cgroup_quota_cpus")?.status.reason?.contains("cpu.max") == true)
        #expect(r.value("cores.usable") == .int(1)) // still bounded by affinity and cpuset
        #expect(r.fact("load.loadavg1")?.status == .error("unparseable /proc/loadavg"))
        Self.expectOnlyChanged(before, try s.tree(), ["cores": ["cgroup_quota_cpus", "usable"], "load": ["loadavg1", "loadavg5", "loadavg15"]])
    }

    @Test func missingCpufreqDirectories() throws {
        let s = try Scratch("intel-desktop-powersave")
        let before = try s.tree()
        for cpu in 0..<12 { try FileManager.default.removeItem(at: s.url("/sys/devices/system/cpu/cpu\(cpu)/cpufreq")) }
        let r = try s.collect()
        #expect(r.fact("frequency.governor")?.status.name == "not_available")
        #expect(r.fact("frequency.governor")?.status.reason?.contains("no cpufreq") == true)
        // boost comes from intel_pstate, which is still there, but the whole family reports cpufreq missing.
        Self.expectOnlyChanged(before, try s.tree(), ["frequency": []])
    }

    @Test func missingProcAndSysTrees() throws {
        let s = try Scratch("cloud-vm")
        try FileManager.default.removeItem(at: s.url("/sys"))
        try FileManager.default.removeItem(at: s.url("/proc"))
        let r = try s.collect()
        #expect(r.families.count == FactsOptions.allFamilies.count)
        #expect(r.fact("cpu.vendor")?.status == .notAvailable("/proc/cpuinfo missing"))
        #expect(r.fact("pci.devices")?.status.name == "not_available")
        #expect(r.fact("memory.total_bytes")?.status.name == "not_available")
        #expect(r.value("software.os")?.stringValue == "Amazon Linux 2023.6.20241111")
    }

    @Test func hwmonAttributeThatWouldBlock() throws {
        let s = try Scratch("laptop-throttling")
        let before = try s.tree()
        let path = s.url("/sys/devices/platform/coretemp.0/hwmon/hwmon5/temp3_input").path
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o644) == 0)
        // Hold the FIFO open for writing with nothing written: a non-blocking read gets EAGAIN, a blocking one would hang.
        let fd = open(path, O_RDWR | O_NONBLOCK)
        #expect(fd >= 0)
        defer { close(fd) }
        let r = try s.collect()
        let sensors = try #require(r.value("thermal.sensors")?.arrayValue)
        let core1 = sensors.first { $0["label"] == .string("Core 1") }
        #expect(core1?["error"] == .string("read would block (EAGAIN)"))
        #expect(core1?["temp_c"] == nil)
        #expect(sensors.count == 6)
        // Core 1 was one of two sensors at 100 °C: the package sensor still makes the machine hot.
        #expect(r.value("thermal.hot") == .bool(true))
        Self.expectOnlyChanged(before, try s.tree(), ["thermal": ["sensors"]])
    }

    @Test func libpciErrorFallsBackToTheSysfsReader() throws {
        let s = try Scratch("cloud-vm")
        let before = try s.tree()
        // libpci's sysfs method treats a missing vendor file as fatal; its error handler must not exit the process.
        try FileManager.default.removeItem(at: s.url("/sys/devices/pci0000:00/0000:00:04.0/vendor"))
        let r = try s.collect()
        let devices = try #require(r.value("pci.devices")?.arrayValue)
        #expect(r.fact("pci.devices")?.source.hasPrefix("sysfs reader /sys/bus/pci/devices (libpci failed: libpci: Cannot open /sys/bus/pci/devices/0000:00:04.0/vendor") == true)
        #expect(devices.compactMap { $0["slot"]?.stringValue } == ["0000:00:00.0", "0000:00:01.0", "0000:00:03.0", "0000:00:05.0"])
        #expect(devices.first { $0["slot"] == .string("0000:00:05.0") }?["driver"] == .string("ena"))
        Self.expectOnlyChanged(before, try s.tree(), ["pci": [], "nvidia": ["pci_gpus"]])
    }

    @Test(.enabled(if: geteuid() != 0, "root reads files whatever their mode; the directory case covers unreadable files"))
    func unreadableFile() throws {
        let s = try Scratch("tuned-desktop")
        #expect(chmod(s.url("/proc/loadavg").path, 0) == 0)
        let r = try s.collect()
        #expect(r.fact("load.loadavg1")?.status == .error("/proc/loadavg: permission denied"))
    }

    @Test func fileThatCannotBeOpened() throws {
        // A symlink loop fails open() for every user, root included (ELOOP).
        let s = try Scratch("tuned-desktop")
        let before = try s.tree()
        try FileManager.default.removeItem(at: s.url("/proc/loadavg"))
        try FileManager.default.createSymbolicLink(atPath: s.url("/proc/loadavg").path, withDestinationPath: "loadavg")
        let r = try s.collect()
        #expect(r.fact("load.loadavg1")?.status == .error("/proc/loadavg: Too many levels of symbolic links"))
        Self.expectOnlyChanged(before, try s.tree(), ["load": ["loadavg1", "loadavg5", "loadavg15"]])
    }

    @Test func hungCollectorIsCutOffAtItsDeadline() {
        // The live load collector sleeps for its sampling window; with a deadline shorter than that window it is
        // reported as timed out while the other families are collected normally.
        let o = FactsOptions(environment: EnvironmentSource([:]), only: ["load", "memory"], safeMode: true,
                             collectorDeadline: 0.3, loadWindow: 5)
        let r = SystemFacts.collectBlocking(o)
        #expect(r.fact("load.busy_fraction")?.status == .error("collector timed out after 0.3 s"))
        #expect(r.fact("load.top_processes")?.status.name == "error")
        #expect(r.value("memory.total_bytes")?.intValue ?? 0 > 0)
    }
}
