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

import CKernels

/// The CKernels call counters (process-wide): one count per kernel call, by stable kernel id.
public enum CKernelCounters {
    public static func snapshot() -> [String: Int] {
        var out: [String: Int] = [:]
        for i in 0..<ck_kernel_count() {
            let c = ck_kernel_calls(i)
            if c > 0, let name = ck_kernel_name(i) { out[String(cString: name)] = Int(c) }
        }
        return out
    }
    public static func reset() { ck_kernel_reset_counts() }
}
