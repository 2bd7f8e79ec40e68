import Foundation

/// What a collector sees: the root, the environment, the options, and probes shared between collectors.
final class CollectContext: @unchecked Sendable {
    let options: FactsOptions
    var root: SystemRoot { options.root }
    var env: EnvironmentSource { options.environment }
    var live: Bool { options.live }
    let commands: CommandRunner
    private let lock = NSLock()
    private var memo: [String: Fact] = [:]

    init(_ options: FactsOptions) {
        self.options = options
        self.commands = CommandRunner(environment: options.environment.variables, timeout: options.commandTimeout)
    }

    /// Why a live-only probe did not run, or nil when it may run.
    var liveOnlyReason: String? {
        live ? nil : "live-only probe (facts are read from another root, not this machine)"
    }

    /// Runs an external-command probe once per collection (shared by collectors), honouring safe mode
    /// and the live flag.
    func command(_ key: String, source: String, _ probe: (CommandRunner) -> Fact) -> Fact {
        if let why = liveOnlyReason { return .notAvailable(why, source) }
        if options.safeMode { return .notAvailable("safe mode: external commands skipped", source) }
        lock.lock()
        defer { lock.unlock() }
        if let f = memo[key] { return f }
        let f = probe(commands)
        memo[key] = f
        return f
    }

    /// A sysfs/procfs read turned into a fact-shaped failure when it fails.
    func failure(_ error: SystemRoot.ReadError, _ path: String) -> Fact {
        switch error {
        case .missing: return .notAvailable("\(path) missing", path)
        case .wouldBlock: return .notAvailable("not available (EAGAIN)", path)
        default: return .error("\(path): \(error)", path)
        }
    }
}

/// One fact family's collector.
struct Collector: Sendable {
    let family: String
    /// The facts this collector always reports (used to fill in a timed-out family).
    let factNames: [String]
    let collect: @Sendable (CollectContext) -> FactFamily

    static let all: [Collector] = [
        CPUCollector.collector, CoresCollector.collector, FrequencyCollector.collector, ThermalCollector.collector,
        PCICollector.collector, NvidiaCollector.collector, MemoryCollector.collector, LoadCollector.collector,
        SoftwareCollector.collector, EnvironmentCollector.collector,
    ]
}
