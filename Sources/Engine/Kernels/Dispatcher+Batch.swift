import CKernels
import Foundation

extension Dispatcher {
    /// Rows per block in the per-token loop of `runBatch`: a block of weight rows is reused for every token while
    /// it is in cache.
    static let batchRowBlock = 16

    /// Batched form of `run` for `tokens` input rows `x + t·cols` (cols = the matrices' input size): output
    /// row t of a matrix goes to `out + t·rows`. Each token is encoded exactly as `run` encodes it, and each
    /// output value is computed by the same per-row arithmetic as `run`, so the results are bit-identical to
    /// calling `run` once per token. I2_S (128-weight blocks) goes through `ck_i2s_gemm` (weights decoded once
    /// for up to 4 tokens); the other types loop the row kernel over the tokens within blocks of 16 rows.
    func runBatch(_ mats: [(MatVec, UnsafeMutablePointer<Float>)], input x: UnsafePointer<Float>, tokens: Int) {
        guard tokens > 0, let cols = mats.first?.0.cols else { return }
        var encoded: [(ActivationFormat, [QuantizedRow])] = []
        for (m, out) in mats {
            let qs: [QuantizedRow]
            if let hit = encoded.first(where: { $0.0 == m.activation }) {
                qs = hit.1
            } else {
                qs = (0..<tokens).map { ActivationQuantizer.quantize(x + $0 * cols, count: cols, as: m.activation) }
                encoded.append((m.activation, qs))
            }
            if Self.usesI2SGemm(m) {
                i2sGemm(m, qs, out)
            } else {
                nonisolated(unsafe) let o = out
                let rows = m.rows
                parallelRows(rows) { range in
                    var r0 = range.lowerBound
                    while r0 < range.upperBound {
                        let r1 = min(range.upperBound, r0 + Self.batchRowBlock)
                        for t in 0..<qs.count { m.apply(qs[t], o + t * rows, rows: r0..<r1) }
                        r0 = r1
                    }
                }
            }
            if let id = m.swiftKernelID { counters.add(id, tokens) }
        }
    }

    /// Whether `runBatch` multiplies `m` with `ck_i2s_gemm`.
    static func usesI2SGemm(_ m: MatVec) -> Bool {
        m.format == .i2_s && m.activation == .int8PerToken && m.swiftKernelID == nil
    }

    /// I2_S × per-token int8 for all tokens: integer sums from `ck_i2s_gemm` (the same integers as the gemv),
    /// then `ck_i2s_finish` with each token's Σq and scale (the formula `ck_i2s_gemv_f32` applies).
    private func i2sGemm(_ m: MatVec, _ qs: [QuantizedRow], _ out: UnsafeMutablePointer<Float>) {
        let n = m.cols, rows = m.rows, T = qs.count
        if gemmCodes.count < T * n { gemmCodes = .init(repeating: 0, count: T * n) }
        if gemmSums.count < T * rows { gemmSums = .init(repeating: 0, count: T * rows) }
        gemmCodes.withUnsafeMutableBufferPointer { cb in
            for t in 0..<T {
                qs[t].codes.withUnsafeBufferPointer { (cb.baseAddress! + t * n).update(from: $0.baseAddress!, count: n) }
            }
            gemmSums.withUnsafeMutableBufferPointer { sb in
                nonisolated(unsafe) let codes = UnsafePointer(cb.baseAddress!), sums = sb.baseAddress!
                let w = m.data.assumingMemoryBound(to: UInt8.self)
                parallelRows(rows) { range in
                    ck_i2s_gemm(w, n, range.lowerBound, range.upperBound, codes, n, T, sums, rows)
                }
                for t in 0..<T {
                    let qsum = qs[t].codeSum, s = qs[t].scales[0], o = out + t * rows, st = sums + t * rows
                    for r in 0..<rows { o[r] = ck_i2s_finish(st[r], qsum, s, m.tensorScale) }
                }
            }
        }
    }
}
