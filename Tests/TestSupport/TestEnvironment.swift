import Foundation

/// Where the tests find independent truth: the repository, the cached test data fetched by
/// `scripts/setup-testdata.sh`, and the Python venv holding the PyPI `gguf` package.
public enum TestEnvironment {
    /// The repository root (two levels above Tests/TestSupport).
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var cacheDir: URL {
        if let c = ProcessInfo.processInfo.environment["BITNET_DOCTOR_CACHE"] { return URL(fileURLWithPath: c) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/bitnet-doctor")
    }

    /// The test data directory (vocab/, models/), or nil when it has not been fetched.
    public static var testDataDir: URL? {
        let env = ProcessInfo.processInfo.environment["BITNET_DOCTOR_TESTDATA"]
        let dir = env.map { URL(fileURLWithPath: $0) } ?? cacheDir.appendingPathComponent("testdata")
        return FileManager.default.fileExists(atPath: dir.path) ? dir : nil
    }

    /// CI sets BITNET_DOCTOR_REQUIRE_TESTDATA=1: then missing test data is a failure, not a skip.
    public static var testDataRequired: Bool {
        ProcessInfo.processInfo.environment["BITNET_DOCTOR_REQUIRE_TESTDATA"] == "1"
    }

    /// A file under the test data directory, if present.
    public static func testData(_ relative: String) -> URL? {
        guard let dir = testDataDir else { return nil }
        let url = dir.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The Python interpreter of the test venv (with `gguf` and numpy), if present.
    public static var python: URL? {
        let env = ProcessInfo.processInfo.environment["BITNET_DOCTOR_PYTHON"]
        let url = env.map { URL(fileURLWithPath: $0) } ?? cacheDir.appendingPathComponent("venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// Whether a test that needs external truth should run: it runs when the truth is present, and
    /// must run (and fail if absent) under CI.
    public static func shouldRun(needs available: Bool) -> Bool { available || testDataRequired }

    /// A fresh temporary directory.
    public static func makeTempDir(_ prefix: String = "bitnet-doctor-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A temporary file of `count` xorshift32 bytes (seeded), and those bytes; the caller removes it.
    public static func randomFile(_ count: Int, seed: UInt32 = 2_463_534_242, prefix: String = "random") throws -> (URL, [UInt8]) {
        var bytes = [UInt8](repeating: 0, count: count)
        var x = seed
        for i in 0..<count { x ^= x << 13; x ^= x >> 17; x ^= x << 5; bytes[i] = UInt8(truncatingIfNeeded: x) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString).bin")
        try Data(bytes).write(to: url)
        return (url, bytes)
    }
}

/// Runs a child process with a deadline, capturing stdout and stderr.
public enum Subprocess {
    public struct Output: Sendable { public var status: Int32; public var stdout: Data; public var stderr: String }

    public static func run(_ exe: URL, _ args: [String], environment: [String: String]? = nil,
                           timeout: TimeInterval = 300) throws -> Output {
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        if let environment { p.environment = environment }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let deadline = DispatchTime.now() + timeout
        let group = DispatchGroup()
        nonisolated(unsafe) var o = Data(), e = Data()
        group.enter(); DispatchQueue.global().async { o = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter(); DispatchQueue.global().async { e = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: deadline) == .timedOut { p.terminate() }
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: o, stderr: String(decoding: e, as: UTF8.self))
    }

    /// Runs a Python script from Tests/scripts with the test venv's interpreter.
    public static func python(_ script: String, _ args: [String], timeout: TimeInterval = 300) throws -> Output? {
        guard let py = TestEnvironment.python else { return nil }
        let path = TestEnvironment.repoRoot.appendingPathComponent("Tests/scripts/\(script)").path
        return try run(py, [path] + args, timeout: timeout)
    }
}
