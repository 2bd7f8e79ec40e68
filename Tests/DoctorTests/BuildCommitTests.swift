import Foundation
import ModelInspector
import Testing
import TestSupport
@testable import Doctor
@testable import Engine

/// The git commit the build records (Plugins/GitCommitPlugin, Plugins/git-commit.sh): in receipts, check documents,
/// SARIF and perf_debug.json it is this checkout's `git rev-parse HEAD` (with "-dirty" for local changes), and the
/// script says "unknown" whenever it cannot know.
@Suite struct BuildCommitTests {
    static let repo = TestEnvironment.repoRoot
    static let script = repo.appendingPathComponent("Plugins/git-commit.sh")

    /// Runs git (found on PATH) in `dir`; nil when git cannot be started.
    static func git(_ args: [String], in dir: URL = repo) -> (status: Int32, out: String)? {
        guard let r = try? Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["git", "-C", dir.path, "-c", "safe.directory=*"] + args, timeout: 60) else { return nil }
        return (r.status, String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static var gitAvailable: Bool { git(["--version"], in: FileManager.default.temporaryDirectory)?.status == 0 }
    static var isCheckout: Bool {
        FileManager.default.fileExists(atPath: repo.appendingPathComponent(".git").path) && git(["rev-parse", "HEAD"])?.status == 0
    }

    /// Checks `commit` against the checkout: the same sha; no "-dirty" on a clean tree; "-dirty" when a file that
    /// reruns the plugin (a target source under Sources/ or a Swift file under Tests/, Package.swift, the script)
    /// differs from HEAD. (An edit elsewhere, e.g. docs/, does not rerun the plugin, so either is accepted then.)
    static func expectMatchesCheckout(_ commit: String, _ what: String) throws {
        let head = try #require(git(["rev-parse", "HEAD"])).out
        #expect(head.count == 40 && head.allSatisfy(\.isHexDigit))
        #expect(commit == head || commit == head + "-dirty", "\(what): \(commit) vs HEAD \(head)")
        let status = try #require(git(["--no-optional-locks", "status", "--porcelain"])).out
        let paths = status.split(separator: "\n").map { String($0.dropFirst(3)) }
        if paths.isEmpty { #expect(commit == head, "\(what): clean checkout") }
        let rerun = paths.contains { p in
            p.hasPrefix("Sources/") || (p.hasPrefix("Tests/") && p.hasSuffix(".swift")) || p == "Package.swift"
                || p == "Plugins/git-commit.sh"
        }
        if rerun {
            #expect(commit == head + "-dirty", "\(what): local changes \(paths)")
        }
    }

    @Test(.enabled(if: isCheckout || TestEnvironment.testDataRequired,
                   "not a git checkout (or no git): the build records \"unknown\", checked by the script tests"))
    func receiptAndOutputsCarryTheCheckoutsCommit() throws {
        try Self.expectMatchesCheckout(ToolIdentity.buildCommit, "ToolIdentity.buildCommit")

        // A receipt of a real run of a tiny synthetic model.
        let dir = try TestEnvironment.makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tiny.gguf")
        try SyntheticModel.write(to: url.path, options: .init(shape: .tiny, format: .i2_s, architecture: .bitnetB158, seed: 3))
        var o = ModelOptions()
        o.contextSize = 64
        let session = Session(model: try Model.load(url: url, options: o), threads: 1)
        let result = try session.generate(promptTokens: [1, 2, 3], options: GenerateOptions(maxTokens: 2))
        let receipt = Receipt(result: result, session: session, tool: ToolIdentity(version: "test"), deterministic: true, seed: nil)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(receipt)) as? [String: Any])
        let tool = try #require(json["tool"] as? [String: Any])
        try Self.expectMatchesCheckout(try #require(tool["commit"] as? String), "receipt tool.commit")

        // check --format json, SARIF and perf_debug.json name the same build.
        let inputs = try Fixtures.scenario("clean-tuned-desktop").inputs
        let d = inputs.diagnose(rules: Fixtures.rules)
        let check = try #require(try Fixtures.foundationJSON(Data(Renderer.render(d, format: .json).utf8)) as? [String: Any])
        try Self.expectMatchesCheckout(try #require((check["tool"] as? [String: Any])?["commit"] as? String), "check json")
        let sarif = try #require(try Fixtures.foundationJSON(Data(Renderer.render(d, format: .sarif).utf8)) as? [String: Any])
        let driver = try #require((((sarif["runs"] as? [[String: Any]])?.first?["tool"]) as? [String: Any])?["driver"] as? [String: Any])
        try Self.expectMatchesCheckout(try #require((driver["properties"] as? [String: Any])?["commit"] as? String), "sarif")
        let built = Report.build(inputs: inputs, diagnosis: d)
        let report = try #require(try Fixtures.foundationJSON(Data(built.json.serialized().utf8)) as? [String: Any])
        let reportCommit = try #require((report["tool"] as? [String: Any])?["commit"] as? String)
        try Self.expectMatchesCheckout(reportCommit, "perf_debug.json")
        #expect(built.markdown.contains("commit `\(reportCommit)`"), "perf_debug.md names the commit")
    }

    @Test func toolIdentityDefaultsToTheBuildCommit() {
        #expect(ToolIdentity(version: "x").commit == ToolIdentity.buildCommit)
        #expect(ToolIdentity(version: "x", commit: "abc").commit == "abc")
        #expect(DoctorInfo.commit == ToolIdentity.buildCommit)
        let c = ToolIdentity.buildCommit
        let sha = c.hasSuffix("-dirty") ? String(c.dropLast(6)) : c
        #expect(c == "unknown" || (sha.count == 40 && sha.allSatisfy { "0123456789abcdef".contains($0) }), "\(c)")
    }

    // MARK: - Plugins/git-commit.sh

    /// Runs the plugin's script for `pkg` (PATH as given) and returns the recorded value.
    static func record(_ pkg: URL, path: String? = nil) throws -> String {
        let out = pkg.deletingLastPathComponent().appendingPathComponent("out-\(UUID().uuidString).swift")
        var env = ProcessInfo.processInfo.environment
        if let path { env["PATH"] = path }
        let r = try Subprocess.run(URL(fileURLWithPath: "/bin/sh"), [script.path, pkg.path, out.path], environment: env, timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: out, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("static let value") })
        return String(try #require(line.split(separator: "\"").dropFirst().first))
    }

    static func makeRepo() throws -> URL {
        let pkg = try TestEnvironment.makeTempDir("bitnet-doctor-gitcommit").appendingPathComponent("pkg")
        try FileManager.default.createDirectory(at: pkg, withIntermediateDirectories: true)
        try Data("let x = 1\n".utf8).write(to: pkg.appendingPathComponent("a.swift"))
        for args in [["init", "-q"], ["add", "a.swift"],
                     ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one"]] {
            #expect(git(args, in: pkg)?.status == 0, "git \(args)")
        }
        return pkg
    }

    @Test func notACheckoutIsUnknown() throws {
        let pkg = try TestEnvironment.makeTempDir("bitnet-doctor-gitcommit").appendingPathComponent("tarball")
        try FileManager.default.createDirectory(at: pkg, withIntermediateDirectories: true)
        #expect(try Self.record(pkg) == "unknown")
    }

    @Test(.enabled(if: gitAvailable || TestEnvironment.testDataRequired, "git is not installed"))
    func checkoutIsItsHeadAndDirtyWhenChanged() throws {
        let pkg = try Self.makeRepo()
        let head = try #require(Self.git(["rev-parse", "HEAD"], in: pkg)).out
        #expect(try Self.record(pkg) == head)
        try Data("let x = 2\n".utf8).write(to: pkg.appendingPathComponent("a.swift"))
        #expect(try Self.record(pkg) == head + "-dirty")
        #expect(Self.git(["checkout", "-q", "a.swift"], in: pkg)?.status == 0)
        try Data("new\n".utf8).write(to: pkg.appendingPathComponent("untracked.swift"))
        #expect(try Self.record(pkg) == head + "-dirty")
    }

    @Test(.enabled(if: gitAvailable || TestEnvironment.testDataRequired, "git is not installed"))
    func packageInsideAnotherRepositoryIsUnknown() throws {
        let sub = try Self.makeRepo().appendingPathComponent("vendored/pkg")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        #expect(try Self.record(sub) == "unknown")
    }

    @Test(.enabled(if: gitAvailable || TestEnvironment.testDataRequired, "git is not installed"))
    func noGitOnPathIsUnknownAndUnchangedOutputIsNotRewritten() throws {
        let pkg = try Self.makeRepo()
        // A PATH with the tools the script needs but no git.
        let bin = pkg.deletingLastPathComponent().appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for tool in ["cmp", "mv", "rm"] {
            let found = try #require(["/usr/bin/\(tool)", "/bin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) })
            try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent(tool).path, withDestinationPath: found)
        }
        #expect(try Self.record(pkg, path: bin.path) == "unknown")

        // Same text twice: the second run leaves the file (same inode), so the build does not recompile.
        let out = pkg.deletingLastPathComponent().appendingPathComponent("same.swift")
        func run() throws -> Int? {
            _ = try Subprocess.run(URL(fileURLWithPath: "/bin/sh"), [Self.script.path, pkg.path, out.path], timeout: 60)
            return try FileManager.default.attributesOfItem(atPath: out.path)[.systemFileNumber] as? Int
        }
        let first = try #require(try run())
        #expect(try run() == first)
    }
}
