import Foundation

/// What a short deterministic run (greedy, 16 tokens, bracketed by throttle counters and load sampling) returns.
public struct RunOutcome: Sendable {
    /// Our receipt (normalised by `ReceiptReader.normalise`).
    public var receipt: JSONValue
    /// The `run` subtree: throttle_delta, busy_fraction_other, bandwidth_gbps, tokens, seconds.
    public var run: JSONValue
    public init(receipt: JSONValue, run: JSONValue) { self.receipt = receipt; self.run = run }
}

/// Performs the short deterministic run for `check`. The engine connects one through `DoctorHooks.runProvider`.
public protocol RunProvider: Sendable {
    func run(modelPath: String?, model: JSONValue?, root: URL) async throws -> RunOutcome
}

/// Connection points for modules the Doctor does not own. Unset hooks make `check` say what is missing.
public enum DoctorHooks {
    /// The engine's short run; nil: `check` behaves as `--no-run` and says so.
    nonisolated(unsafe) public static var runProvider: RunProvider?
    /// Model inspection (the `inspect --format json` document) of a GGUF file; nil: not available in this build.
    nonisolated(unsafe) public static var inspectModel: (@Sendable (URL) throws -> JSONValue)?
    /// Measures memory bandwidth in GB/s for `gate --bandwidth measured`; nil: not available in this build.
    nonisolated(unsafe) public static var measureBandwidth: (@Sendable () -> Double?)?
}
