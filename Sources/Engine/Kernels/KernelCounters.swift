import Foundation

/// Counts what the dispatcher actually executed: kernel id → number of matrix-row-range calls.
public final class KernelCounters: @unchecked Sendable {
    private var counts: [String: Int] = [:]
    private let lock = NSLock()
    public init() {}
    func add(_ id: String, _ n: Int = 1) { lock.lock(); counts[id, default: 0] += n; lock.unlock() }
    public var snapshot: [String: Int] { lock.lock(); defer { lock.unlock() }; return counts }
    public func reset() { lock.lock(); counts = [:]; lock.unlock() }
}
