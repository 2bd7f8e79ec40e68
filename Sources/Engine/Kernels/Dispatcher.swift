import CKernels
import Foundation

/// Runs matrix products on a persistent worker pool (CKernels `ck_pool`, one per dispatcher, i.e. per session).
/// Rows are split in contiguous chunks; each row's result is computed by one kernel call that depends only on that
/// row, so the output is identical at any thread count.
public final class Dispatcher: @unchecked Sendable {
    public let threads: Int
    public let counters = KernelCounters()
    /// nil for one thread (everything runs on the caller).
    let pool: OpaquePointer?
    /// Batched-prefill scratch (grown on first use, then reused): int8 activation rows and I2_S integer sums.
    var gemmCodes: [Int8] = []
    var gemmSums: [Int32] = []

    /// Rows split with `DispatchQueue.concurrentPerform` instead of the pool (the previous design), for A/B
    /// measurements only: environment `BITNET_DOCTOR_THREADING=gcd`.
    let useGCD: Bool

    public init(threads: Int) {
        self.threads = max(1, threads)
        useGCD = ProcessInfo.processInfo.environment["BITNET_DOCTOR_THREADING"] == "gcd"
        if let name = ProcessInfo.processInfo.environment["BITNET_DOCTOR_KERNELS"] { Self.limitKernelPaths(to: name) }
        pool = self.threads > 1 && !useGCD ? ck_pool_create(Int32(self.threads)) : nil
        // Short spin before an idle worker sleeps: between two matrices the caller runs attention and norms on one
        // thread, and a longer spin only took CPU from it on a busy 2-core machine (2-thread decode: spin 512
        // ≈ 9.2 tok/s, 4096 ≈ 8.2-8.5, 200000 = 5.6). BITNET_DOCTOR_POOL_SPIN overrides it (A/B measurements).
        if let pool {
            let env = ProcessInfo.processInfo.environment
            ck_pool_set_spin(pool, env["BITNET_DOCTOR_POOL_SPIN"].flatMap(UInt32.init) ?? 512)
            // BITNET_DOCTOR_POOL_SPIN_US: a wall-clock spin budget instead (A/B measurements, docs/performance.md).
            if let us = env["BITNET_DOCTOR_POOL_SPIN_US"].flatMap(UInt32.init) { ck_pool_set_spin_us(pool, us) }
        }
    }

    deinit { if let pool { ck_pool_destroy(pool) } }

    /// Caps the CKernels paths at `name` (environment `BITNET_DOCTOR_KERNELS`: scalar, avx2, avxvnni, avx512vnni,
    /// neon, dotprod), process-wide, for A/B measurements and for ruling a SIMD path out; the receipt's kernel ids
    /// show what ran. Unknown names change nothing.
    static func limitKernelPaths(to name: String) {
        let s = UInt32(CK_PATH_SCALAR), a2 = s | UInt32(CK_PATH_AVX2), n = s | UInt32(CK_PATH_NEON)
        let masks: [String: UInt32] = [
            "scalar": s, "avx2": a2, "avxvnni": a2 | UInt32(CK_PATH_AVXVNNI),
            "avx512vnni": a2 | UInt32(CK_PATH_AVXVNNI) | UInt32(CK_PATH_AVX512VNNI),
            "neon": n, "dotprod": n | UInt32(CK_PATH_DOTPROD),
        ]
        if let m = masks[name.lowercased()] { ck_set_path(m) }
    }

    /// Calls `body` on disjoint contiguous row ranges covering 0..<rows, on the pool's threads.
    func parallelRows(_ rows: Int, _ body: (Range<Int>) -> Void) {
        guard rows > 0 else { return }
        if useGCD && threads > 1 && rows >= 32 {
            let parts = min(threads, rows / 16)
            return withoutActuallyEscaping(body) { esc in
                nonisolated(unsafe) let b = esc
                DispatchQueue.concurrentPerform(iterations: parts) { t in b(rows * t / parts..<rows * (t + 1) / parts) }
            }
        }
        guard let pool else { return body(0..<rows) }
        withoutActuallyEscaping(body) { esc in
            var b = esc
            withUnsafeMutablePointer(to: &b) { bp in
                ck_parallel_rows(pool, rows, { ctx, r0, r1 in
                    ctx!.assumingMemoryBound(to: ((Range<Int>) -> Void).self).pointee(Int(r0)..<Int(r1))
                }, bp)
            }
        }
    }

    /// Calls `body(task, thread)` once for every task in 0..<n on the pool's threads, tasks claimed in increasing
    /// order (the ones still waiting go to whichever thread is free first); `thread` < `threads` identifies the
    /// running thread, and one thread runs one task at a time, so per-thread scratch indexed by it is exclusive.
    func forEachTask(_ n: Int, _ body: (_ task: Int, _ thread: Int) -> Void) {
        guard n > 0 else { return }
        if useGCD && threads > 1 && n > 1 {
            let parts = min(threads, n)
            return withoutActuallyEscaping(body) { esc in
                nonisolated(unsafe) let b = esc
                DispatchQueue.concurrentPerform(iterations: parts) { p in
                    for task in n * p / parts ..< n * (p + 1) / parts { b(task, p) }
                }
            }
        }
        guard let pool, n > 1 else { for task in 0..<n { body(task, 0) }; return }
        withoutActuallyEscaping(body) { esc in
            var b = esc
            withUnsafeMutablePointer(to: &b) { bp in
                ck_pool_parallel_for(pool, n, { ctx, task, thread in
                    ctx!.assumingMemoryBound(to: ((Int, Int) -> Void).self).pointee(Int(task), Int(thread))
                }, bp)
            }
        }
    }

    /// Encodes `x` once per format needed by `mats` (a few formats at most, kept in a stack buffer rather than a
    /// dictionary), then computes every matrix into its output.
    /// One encoded row per activation format and length, overwritten by every `run` (used only within one call).
    private var decodeRows: [QuantizedRow] = []

    private func encode(_ x: UnsafePointer<Float>, count n: Int, as format: ActivationFormat) -> QuantizedRow {
        let i = decodeRows.firstIndex { $0.format == format && $0.count == n }
        let r = ActivationQuantizer.quantize(x, count: n, as: format, reusing: i.map { decodeRows[$0] })
        if let i { decodeRows[i] = r } else { decodeRows.append(r) }
        return r
    }

    /// Encodes `x` once per activation format the matrices need, then computes all of them in ONE parallel region
    /// over their concatenated rows (q, k and v, or gate and up, share an input): a task's row range is cut at the
    /// matrix boundaries and each piece runs that matrix's row kernel, so every output value is the same as with one
    /// region per matrix, with fewer hand-offs to the pool per token.
    func run(_ mats: [(MatVec, UnsafeMutablePointer<Float>)], input x: UnsafePointer<Float>) {
        withUnsafeTemporaryAllocation(of: QuantizedRow.self, capacity: mats.count) { rows in
            var total = 0
            for (i, (m, _)) in mats.enumerated() {
                var hit: QuantizedRow?
                for j in 0..<i where mats[j].0.activation == m.activation && mats[j].0.cols == m.cols { hit = rows[j]; break }
                (rows.baseAddress! + i).initialize(to: hit ?? encode(x, count: m.cols, as: m.activation))
                total += m.rows
            }
            nonisolated(unsafe) let encoded = UnsafeBufferPointer(rebasing: rows[...])
            parallelRows(total) { range in
                var base = 0
                for (i, (m, out)) in mats.enumerated() {
                    let lo = max(range.lowerBound, base) - base, hi = min(range.upperBound, base + m.rows) - base
                    if lo < hi { m.apply(encoded[i], out, rows: lo..<hi) }
                    base += m.rows
                }
            }
            for (m, _) in mats { if let id = m.swiftKernelID { counters.add(id) } }
            rows.baseAddress!.deinitialize(count: mats.count)
        }
    }
}
