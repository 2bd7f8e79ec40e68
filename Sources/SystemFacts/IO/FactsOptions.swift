import Foundation

/// What to collect, from where, and how long each part may take.
public struct FactsOptions: Sendable {
    public static let allFamilies = ["cpu", "cores", "frequency", "thermal", "pci", "nvidia", "memory", "load",
                                     "software", "environment"]

    public var root: SystemRoot
    public var environment: EnvironmentSource
    /// Families to collect (nil: all), in `allFamilies` order.
    public var only: Set<String>?
    /// Skip external commands (nvidia-smi, rustc, nvcc, …).
    public var safeMode: Bool
    /// Live-only probes (cpuid, affinity, libsensors, libcuda, commands) run only on the host root.
    public var live: Bool
    /// The most one collector may take before its facts are reported as timed out.
    public var collectorDeadline: TimeInterval
    /// The most one external command may take.
    public var commandTimeout: TimeInterval
    /// The window over which CPU busy share is sampled on a live machine.
    public var loadWindow: TimeInterval
    /// The timestamp to record (nil: now).
    public var now: Date?
    /// The CUDA driver library to dlopen (nil: libcuda.so.1, or the WSL copy when present).
    public var libcudaPath: String?

    public init(root: SystemRoot = SystemRoot(), environment: EnvironmentSource? = nil, only: Set<String>? = nil,
                safeMode: Bool = false, live: Bool? = nil, collectorDeadline: TimeInterval = 3,
                commandTimeout: TimeInterval = 2, loadWindow: TimeInterval = 0.2, now: Date? = nil) {
        self.root = root
        self.environment = environment ?? .process
        self.only = only
        self.safeMode = safeMode
        self.live = live ?? root.isHost
        self.collectorDeadline = collectorDeadline
        self.commandTimeout = commandTimeout
        self.loadWindow = loadWindow
        self.now = now
    }

    /// Options for a fixture directory laid out as fixtures/machines/<name>/{root,env}.
    public static func fixture(_ dir: String) throws -> FactsOptions {
        let envPath = dir + "/env"
        let env = FileManager.default.fileExists(atPath: envPath)
            ? EnvironmentSource.parse(try String(contentsOfFile: envPath, encoding: .utf8), origin: "env file")
            : EnvironmentSource([:], origin: "env file")
        return FactsOptions(root: SystemRoot(dir + "/root"), environment: env, live: false,
                            now: Date(timeIntervalSince1970: 0))
    }

    var families: [String] { FactsOptions.allFamilies.filter { only?.contains($0) ?? true } }
}
