import Foundation
import TestSupport

/// Runs the built `bitnet-doctor` binary end to end, with a deadline.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    /// The binary in the build products directory that holds this test bundle.
    static let binary: URL? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("bitnet-doctor")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    static func run(_ args: [String], environment: [String: String] = [:], timeout: TimeInterval = 300) throws -> Result {
        guard let bin = binary else { throw CocoaError(.fileNoSuchFile) }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        let out = try Subprocess.run(bin, args, environment: env, timeout: timeout)
        return Result(status: out.status, stdout: String(decoding: out.stdout, as: UTF8.self), stderr: out.stderr)
    }

    static func fixture(_ relative: String) -> String {
        TestEnvironment.repoRoot.appendingPathComponent("fixtures/\(relative)").path
    }
}
