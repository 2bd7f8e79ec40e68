import Foundation
import Testing
import TestSupport
@testable import SystemFacts

/// The dlopen(libcuda) rung of the CUDA ladder, without a GPU: a library that is missing, one without the driver
/// API, and a stand-in driver compiled from Tests/scripts/systemfacts_fake_libcuda.c.
@Suite(.serialized) struct LibcudaProbeTests {
    /// A C compiler: cc/gcc, or the clang that ships with the Swift toolchain.
    static let cc: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["cc", "gcc", "clang"] {
            for dir in path.split(separator: ":") + ["/usr/bin"] {
                let url = URL(fileURLWithPath: "\(dir)/\(name)")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        return nil
    }()

    static func probe(_ lib: String) -> Fact? {
        var o = FactsOptions(environment: EnvironmentSource([:]), only: ["nvidia"], safeMode: true)
        o.libcudaPath = lib
        return SystemFacts.collectBlocking(o).fact("nvidia.libcuda")
    }

    @Test func missingLibraryIsNotAvailable() {
        let f = Self.probe("/nonexistent/libcuda.so.1")
        #expect(f?.status.name == "not_available")
        #expect(f?.status.reason?.hasPrefix("libcuda not loadable: /nonexistent/libcuda.so.1") == true)
    }

    @Test func libraryWithoutTheDriverAPIIsAnError() {
        let f = Self.probe("libm.so.6")
        #expect(f?.status == .error("missing driver API symbol in libm.so.6"))
    }

    static func buildFake() throws -> (URL, URL) {
        let dir = try TestEnvironment.makeTempDir("facts-fake-cuda")
        let lib = dir.appendingPathComponent("libcuda.so.1")
        let src = TestEnvironment.repoRoot.appendingPathComponent("Tests/scripts/systemfacts_fake_libcuda.c")
        let out = try Subprocess.run(cc!, ["-shared", "-fPIC", "-o", lib.path, src.path], timeout: 120)
        #expect(out.status == 0, "cc failed: \(out.stderr)")
        return (dir, lib)
    }

    @Test(.enabled(if: TestEnvironment.shouldRun(needs: cc != nil)))
    func fakeDriverDevicesAreReported() throws {
        let (dir, lib) = try Self.buildFake()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = try #require(Self.probe(lib.path))
        #expect(f.status == .ok)
        #expect(f.value["driver_version"] == .int(12040))
        #expect(f.value["device_count"] == .int(2))
        #expect(f.value["devices"] == .array([
            .object(["name": .string("Fake H100 80GB HBM3"), "memory_bytes": .int(81559 << 20), "compute_capability": .string("9.0")]),
            .object(["name": .string("Fake L4"), "memory_bytes": .int(23034 << 20), "compute_capability": .string("8.9")]),
        ]))
    }

    @Test(.enabled(if: TestEnvironment.shouldRun(needs: cc != nil)))
    func cuInitFailureNamesTheResult() throws {
        let (dir, lib) = try Self.buildFake()
        defer { try? FileManager.default.removeItem(at: dir) }
        setenv("FAKE_CUDA_INIT_RESULT", "100", 1)
        defer { unsetenv("FAKE_CUDA_INIT_RESULT") }
        // dlopen of the same path returns the library already loaded by the previous test, which reads the
        // variable at call time.
        let f = Self.probe(lib.path)
        #expect(f?.status == .error("cuInit returned 100 (CUDA_ERROR_NO_DEVICE)"))
    }
}
