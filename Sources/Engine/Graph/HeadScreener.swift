import CKernels

/// What the screened head did during one generation (`GenerationResult.headScreening`).
public struct HeadScreenStats: Sendable, Equatable, Codable {
    /// Logit computations that were screened (positions whose argmax, or whose top-k for sampling, was needed).
    public var tokens = 0
    /// Rows recomputed with the exact kernel, summed over the screened tokens.
    public var candidates = 0
    /// The most candidate rows of one token.
    public var maxCandidates = 0
    /// Tokens that ran the whole exact head instead (a non-finite value, or more candidates than the cap).
    public var fallbacks = 0
    public var meanCandidates: Double? { tokens > 0 ? Double(candidates) / Double(tokens) : nil }
    public init() {}
}

/// One session's working memory for the screened head (`--head screened`, greedy or top-k decoding): the int8 head
/// with its per-row bound, the candidate scan, the exact rows of the candidates (`ck_head_screen_*`, docs/kernels.md
/// "Screened output head"). The logits it leaves hold the exact value for every candidate and the int8 value
/// elsewhere, every non-candidate strictly below the k-th largest exact logit, so `Sampler.argmax` (k = 1) and the
/// sampler's top-k cut (which keeps the k largest, ties by id, before its softmax) see the exact head's k largest.
final class HeadScreener {
    let head: ScreenedHead
    /// Most candidate rows before a token falls back to the whole exact head (rows/16, at least min(rows, 256)).
    var cap: Int
    private(set) var stats = HeadScreenStats()
    private let blocks: Int
    private var p: [Float], q: [Float], scratch: [Float], lower: [Float], x1b: [Float], db: [Float], cand: [Int32]
    private var exactRow: QuantizedRow?
    /// The candidate rows of the last screened token (increasing; empty after a fallback).
    private var lastCount = 0
    var lastCandidates: [Int] { cand[0..<lastCount].map(Int.init) }
    /// Candidate rows of the last screened token (0 after a fallback).
    var lastCandidateCount: Int { lastCount }
    /// Top-k sampling stops screening for the rest of a generation after two tokens in a row with more candidates
    /// than this: each exact row re-reads file pages of the float head (about 8 µs per row measured on the 2B-4T
    /// file, where the int8 head saves about 8 ms per token), so a flat distribution (a random model: 1,357 rows per
    /// token for top-40) would make the screen slower than the exact head.
    var topKBudget: Int

    init(head: ScreenedHead) {
        self.head = head
        let rows = head.rows
        cap = max(rows / 16, min(rows, 256))
        topKBudget = max(512, rows / 256)
        blocks = head.exact.cols / 32
        p = .init(repeating: 0, count: rows); q = p; scratch = p; lower = p
        x1b = .init(repeating: 0, count: blocks + 8); db = x1b
        cand = .init(repeating: 0, count: rows)
    }

    func resetStats() { stats = HeadScreenStats() }

    /// Writes the screened logits of the normed state `h` (exact wherever they can be among the `topK` largest); false
    /// (nothing usable written) when this token must run the exact head instead (counted as a fallback).
    func run(_ h: UnsafePointer<Float>, logits: UnsafeMutablePointer<Float>, dispatcher: Dispatcher, topK: Int = 1) -> Bool {
        let exact = head.exact, int8 = head.int8.matrix, n = exact.cols, rows = exact.rows
        lastCount = 0
        // a NaN/Inf state: the whole exact head (the Q8_0 quantizer below would trap on it)
        for i in 0..<n where !h[i].isFinite { stats.fallbacks += 1; return false }
        let xe = ActivationQuantizer.quantize(h, count: n, as: exact.activation, reusing: exactRow)
        exactRow = xe
        let y = ActivationQuantizer.quantize(h, count: n, as: int8.activation)
        let yb = UnsafePointer(y.blocks!.assumingMemoryBound(to: ck_block_q8_0.self))
        var t = ck_head_screen_token()
        let ok = xe.values.withUnsafeBufferPointer { ck_head_screen_act($0.baseAddress!, yb, n, &x1b, &db, &t) }
        guard ok != 0 else { stats.fallbacks += 1; return false }
        let count: Int = p.withUnsafeMutableBufferPointer { pp in
            q.withUnsafeMutableBufferPointer { qp in
                x1b.withUnsafeBufferPointer { xp in
                    db.withUnsafeBufferPointer { dp in
                        nonisolated(unsafe) let pb = pp.baseAddress!, qb = qp.baseAddress!
                        nonisolated(unsafe) let xb = xp.baseAddress!, dbb = dp.baseAddress!
                        let codes = int8.data.assumingMemoryBound(to: Int8.self), scales = int8.headScales!
                        dispatcher.parallelRows(rows) { r in
                            ck_q8_head_gemv_screen(codes, scales, n, r.lowerBound, r.upperBound, yb, xb, dbb, logits, pb, qb)
                        }
                        let limit = min(max(cap, 0), rows)
                        return cand.withUnsafeMutableBufferPointer {
                            topK <= 1
                                ? ck_head_screen_scan(logits, pb, qb, head.bounds, rows, n, &t, &scratch, $0.baseAddress!, limit)
                                : ck_head_screen_scan_topk(logits, pb, qb, head.bounds, rows, n, &t, min(topK, rows), &scratch,
                                                           &lower, $0.baseAddress!, limit)
                        }
                    }
                }
            }
        }
        guard count >= 0 else { stats.fallbacks += 1; return false }
        cand.withUnsafeBufferPointer { cp in
            nonisolated(unsafe) let c = cp.baseAddress!
            dispatcher.parallelRows(count) { range in
                for k in range { let r = Int(c[k]); exact.apply(xe, logits, rows: r..<(r + 1)) }
            }
        }
        lastCount = count
        cand.withUnsafeBufferPointer { head.noteTouched($0.prefix(count)) }
        stats.tokens += 1
        stats.candidates += count
        stats.maxCandidates = max(stats.maxCandidates, count)
        return true
    }
}
