import Foundation

/// Runs matrix-vector products over a fixed number of threads. Rows are split in contiguous ranges;
/// each row's result depends only on that row, so the output is identical at any thread count.
public final class Dispatcher: @unchecked Sendable {
    public let threads: Int
    public let counters = KernelCounters()

    public init(threads: Int) { self.threads = max(1, threads) }

    /// Encodes `x` once per format needed by `mats`, then computes every matrix into its output.
    func run(_ mats: [(MatVec, UnsafeMutablePointer<Float>)], input x: UnsafePointer<Float>) {
        var encoded: [ActivationFormat: QuantizedRow] = [:]
        for (m, _) in mats where encoded[m.activation] == nil {
            encoded[m.activation] = ActivationQuantizer.quantize(x, count: m.cols, as: m.activation)
        }
        for (m, out) in mats {
            let q = encoded[m.activation]!
            let parts = min(threads, max(1, m.rows / 16))
            if parts == 1 {
                m.apply(q, out, rows: 0..<m.rows)
            } else {
                nonisolated(unsafe) let o = out
                DispatchQueue.concurrentPerform(iterations: parts) { t in
                    let lo = m.rows * t / parts, hi = m.rows * (t + 1) / parts
                    m.apply(q, o, rows: lo..<hi)
                }
            }
            if let id = m.swiftKernelID { counters.add(id) }
        }
    }
}
