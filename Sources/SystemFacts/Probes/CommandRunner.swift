import CSystem
import Foundation

/// Runs external commands (nvidia-smi, rustc, nvcc, …) with a hard deadline, resolving the program on
/// the PATH of the facts' environment. The command runs in its own process group and is killed with
/// everything it started when the deadline passes.
public struct CommandRunner: Sendable {
    public enum Outcome: Sendable, Equatable {
        case exited(status: Int32, output: String)
        case timedOut(after: TimeInterval)
        case notFound
        case failedToStart(String)
    }

    public var environment: [String: String]
    public var timeout: TimeInterval

    public init(environment: [String: String], timeout: TimeInterval) {
        self.environment = environment
        self.timeout = timeout
    }

    /// The absolute path of `program` on the environment's PATH (or the program itself when it has a slash).
    public func locate(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public func run(_ program: String, _ args: [String]) -> Outcome {
        guard let exe = locate(program) else { return .notFound }
        let argv = ([exe] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        let cap = 64 * 1024
        var buf = [CChar](repeating: 0, count: cap)
        var len = 0
        var status: Int32 = 0
        let ms = Int32(max(1, min(timeout * 1000, 600_000)))
        let rc = csys_run(exe, argv, envp, ms, &buf, cap, &len, &status)
        switch rc {
        case 0:
            let out = String(decoding: buf[0..<len].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .exited(status: status, output: out)
        case 1: return .timedOut(after: timeout)
        default: return .failedToStart(String(cString: strerror(status)))
        }
    }

    /// The first line matching `pattern` (a regex; the first capture group when present) of a
    /// successful run, as a fact.
    public func versionFact(_ program: String, _ args: [String], pattern: String) -> Fact {
        let source = "exec:\(program) \(args.joined(separator: " "))"
        switch run(program, args) {
        case .notFound: return .notAvailable("\(program) not found on PATH", source)
        case .timedOut(let t): return .error("timed out after \(Self.seconds(t)) s", source)
        case .failedToStart(let m): return .error("could not start: \(m)", source)
        case .exited(let st, let out):
            guard st == 0 else {
                let first = out.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                return .error("exit status \(st)\(first.isEmpty ? "" : ": " + first)", source)
            }
            if let m = Self.firstMatch(pattern, in: out) { return .ok(.string(m), source) }
            return .error("unrecognised output", source)
        }
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else { return nil }
        let ns = text as NSString
        guard let m = re.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let r = m.numberOfRanges > 1 ? m.range(at: 1) : m.range
        return r.location == NSNotFound ? nil : ns.substring(with: r).trimmingCharacters(in: .whitespaces)
    }

    static func seconds(_ t: TimeInterval) -> String {
        t == t.rounded() ? String(Int(t)) : String(format: "%.1f", t)
    }
}
