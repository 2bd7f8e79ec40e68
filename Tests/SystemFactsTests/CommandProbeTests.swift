import Foundation
import Testing
import TestSupport
@testable import SystemFacts
#if canImport(Glibc)
import Glibc
#endif

/// External commands run under a hard deadline; a fake nvidia-smi that never returns is killed with its children.
@Suite struct CommandProbeTests {
    static func script(_ dir: URL, _ name: String, _ body: String) throws {
        let url = dir.appendingPathComponent(name)
        try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
        #expect(chmod(url.path, 0o755) == 0)
    }

    /// Whether a pid is gone (or a zombie nobody has reaped yet), allowing a few seconds for a SIGKILL sent to
    /// it to be delivered on a loaded machine.
    static func gone(_ pid: Int32) -> Bool {
        for _ in 0..<50 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            if state == "Z" || state == "X" { return true }
            usleep(100_000)
        }
        return false
    }

    @Test func hangingNvidiaSmiIsTimedOutAndOnlyItsFactChanges() throws {
        let dir = try TestEnvironment.makeTempDir("facts-fake-smi")
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("child.pid").path
        try Self.script(dir, "nvidia-smi", "sleep 100000 &\necho $! > \(pidFile)\nwait")
        let env = EnvironmentSource(["PATH": dir.path + ":/usr/bin:/bin"])
        let safe = SystemFacts.collectBlocking(FactsOptions(environment: env, only: ["nvidia"], safeMode: true))
        let r = SystemFacts.collectBlocking(FactsOptions(environment: env, only: ["nvidia"], collectorDeadline: 30,
                                                         commandTimeout: 0.5))
        #expect(r.fact("nvidia.smi")?.status == .error("nvidia-smi timed out after 0.5 s"))
        let step = r.value("nvidia.ladder")?.arrayValue?.first { $0["step"] == .string("nvidia_smi") }
        #expect(step?["status"] == .string("failed"))
        for name in ["pci_gpus", "driver_version", "device_nodes", "libcuda", "cuda_env", "wsl"] {
            #expect(r.fact("nvidia.\(name)") == safe.fact("nvidia.\(name)"), "nvidia.\(name) changed")
        }
        let child = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.gone(child), "the fake nvidia-smi's child \(child) survived the timeout")
    }

    @Test func fakeNvidiaSmiOutputIsParsed() throws {
        let dir = try TestEnvironment.makeTempDir("facts-fake-smi-ok")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.script(dir, "nvidia-smi", "echo 'NVIDIA L4, 1234, 23034, 17'")
        let r = SystemFacts.collectBlocking(FactsOptions(environment: EnvironmentSource(["PATH": dir.path]), only: ["nvidia"],
                                                         collectorDeadline: 30, commandTimeout: 15))
        let gpu = r.value("nvidia.smi")?["gpus"]?.arrayValue?.first
        #expect(gpu == .object(["name": .string("NVIDIA L4"), "memory_used_mib": .int(1234), "memory_total_mib": .int(23034),
                                "utilization_pct": .int(17)]))
    }

    @Test func safeModeRunsNoCommands() throws {
        let dir = try TestEnvironment.makeTempDir("facts-safe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let marker = dir.appendingPathComponent("ran").path
        for tool in ["nvidia-smi", "nvcc", "rustc", "cargo", "clang", "cmake"] { try Self.script(dir, tool, "touch \(marker)") }
        let r = SystemFacts.collectBlocking(FactsOptions(environment: EnvironmentSource(["PATH": dir.path]),
                                                         only: ["nvidia", "software"], safeMode: true))
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(r.fact("software.rustc")?.status == .notAvailable("safe mode: external commands skipped"))
    }

    @Test func versionProbes() throws {
        let dir = try TestEnvironment.makeTempDir("facts-versions")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.script(dir, "rustc", "echo 'rustc 1.82.0 (f6e511eec 2024-10-15)'")
        try Self.script(dir, "cmake", "echo 'cmake version 3.25.1'; echo; echo 'CMake suite maintained by Kitware'")
        try Self.script(dir, "clang", "echo 'this is not clang' >&2; exit 3")
        try Self.script(dir, "nvcc", "printf 'nvcc: NVIDIA (R) Cuda compiler driver\\nCuda compilation tools, release 12.4, V12.4.131\\n'")
        let r = SystemFacts.collectBlocking(FactsOptions(environment: EnvironmentSource(["PATH": dir.path]), only: ["software"],
                                                         collectorDeadline: 30, commandTimeout: 15))
        #expect(r.value("software.rustc") == .string("1.82.0"), "\(String(describing: r.fact("software.rustc")))")
        #expect(r.value("software.cmake") == .string("3.25.1"))
        #expect(r.value("software.nvcc") == .string("12.4"))
        #expect(r.fact("software.clang")?.status == .error("exit status 3: this is not clang"))
        #expect(r.fact("software.cargo")?.status == .notAvailable("cargo not found on PATH"))
    }

    /// A program still open for writing cannot be executed (ETXTBSY); in a multithreaded process another thread's
    /// fork can hold a just-written script's descriptor for a moment, so the runner waits that out.
    @Test func programBusyForAMomentStillRuns() throws {
        let dir = try TestEnvironment.makeTempDir("facts-busy")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.script(dir, "tool", "echo ran")
        // O_CLOEXEC: children other tests start meanwhile must not inherit (and hold) the write descriptor
        let fd = open(dir.appendingPathComponent("tool").path, O_WRONLY | O_CLOEXEC)
        #expect(fd >= 0)
        let runner = CommandRunner(environment: ["PATH": dir.path], timeout: 15)
        Thread.detachNewThread { usleep(100_000); close(fd) }
        #expect(runner.run("tool", []) == .exited(status: 0, output: "ran\n"))
        // Held for longer than the runner waits: one clear failure, not a hang.
        let held = open(dir.appendingPathComponent("tool").path, O_WRONLY | O_CLOEXEC)
        defer { close(held) }
        #expect(runner.run("tool", []) == .failedToStart(String(cString: strerror(ETXTBSY))))
    }

    @Test func runnerOutcomes() throws {
        let runner = CommandRunner(environment: ["PATH": "/usr/bin:/bin"], timeout: 0.3)
        #expect(runner.run("sh", ["-c", "echo hi; exit 4"]) == .exited(status: 4, output: "hi\n"))
        #expect(runner.run("sh", ["-c", "sleep 30"]) == .timedOut(after: 0.3))
        #expect(runner.run("no-such-program-xyz", []) == .notFound)
        // Output is bounded: a command printing forever is cut off by the deadline, not by memory.
        if case .timedOut = runner.run("sh", ["-c", "yes"]) {} else { Issue.record("yes should time out") }
    }
}
