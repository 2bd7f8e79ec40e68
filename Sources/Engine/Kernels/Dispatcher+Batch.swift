import CKernels
import Foundation

extension Dispatcher {
    /// Rows per block in the per-token loop of `runBatch`: a block of weight rows is reused for every token while
    /// it is in cache. TQ1_0's row kernel prepares the activations once per call (tq1.c), so it gets 128 rows per
    /// call (2B-4T: at most 128 × 1.5 KB of weights, still cache-resident): pp64 40 → 50 tok/s at 1 thread
    /// (32 rows: 45; 512: 50). Single-scale TQ1_0 matrices take the GEMM instead (`tq1GemmScale`).
    static func batchRowBlock(_ m: MatVec) -> Int { m.format == .tq1_0 ? 128 : 16 }

    /// Batched form of `run` for `tokens` input rows `x + t·cols` (cols = the matrices' input size): output
    /// row t of a matrix goes to `out + t·rows`. Each token is encoded exactly as `run` encodes it, and each
    /// output value is computed by the same per-row arithmetic as `run`, so the results are bit-identical to
    /// calling `run` once per token. I2_S (128-weight blocks) goes through `ck_i2s_gemm` (weights decoded once
    /// for up to 4 tokens), TQ1_0 with one block scale through `ck_tq1_0_i8_gemm` (each token prepared once),
    /// repacked varying-scale BitNet32-F16 through `ck_bn32r_i8_gemm_f32`, IQ2_S through `ck_iq2_s_q8_K_gemm` (grid
    /// look-ups once per row); the other types loop the row kernel over the tokens within blocks of 16 rows.
    func runBatch(_ mats: [(MatVec, UnsafeMutablePointer<Float>)], input x: UnsafePointer<Float>, tokens: Int) {
        guard tokens > 0, let cols = mats.first?.0.cols else { return }
        var encoded: [(ActivationFormat, [QuantizedRow])] = []
        for (stored, out) in mats {
            let m = stored.prefillTwin?.matrix ?? stored
            let qs: [QuantizedRow]
            if let hit = encoded.first(where: { $0.0 == m.activation }) {
                qs = hit.1
            } else {
                qs = (0..<tokens).map { ActivationQuantizer.quantize(x + $0 * cols, count: cols, as: m.activation) }
                encoded.append((m.activation, qs))
            }
            if Self.usesI2SGemm(m) {
                i2sGemm(m, qs, out)
            } else if let d = Self.tq1GemmScale(m) {
                tq1Gemm(m, d, qs, out)
            } else if let scales = m.blockScales, m.activation == .int8PerToken {
                bn32rGemm(m, scales, qs, out)
            } else if m.format == .iq2_s && m.activation == .q8_K {
                q8KGemm(m, qs, out) { w, n, r0, r1, y, t, o, ldo in ck_iq2_s_q8_K_gemm(w, n, r0, r1, y, t, o, ldo) }
            } else if (m.format == .tq2_0 || m.format == .tq1_0) && m.activation == .q8_K {
                let tq1: Int32 = m.format == .tq1_0 ? 1 : 0
                q8KGemm(m, qs, out) { w, n, r0, r1, y, t, o, ldo in ck_tq_q8K_x86_gemm(w, tq1, n, r0, r1, y, t, o, ldo) }
            } else {
                nonisolated(unsafe) let o = out
                let rows = m.rows, block = Self.batchRowBlock(m)
                parallelRows(rows) { range in
                    var r0 = range.lowerBound
                    while r0 < range.upperBound {
                        let r1 = min(range.upperBound, r0 + block)
                        for t in 0..<qs.count { m.apply(qs[t], o + t * rows, rows: r0..<r1) }
                        r0 = r1
                    }
                }
            }
            if let id = m.swiftKernelID { counters.add(id, tokens) }
        }
    }

    /// A × Q8_K GEMM over all tokens (IQ2_S: `ck_iq2_s_q8_K_gemm`, each row's grid vectors looked up once; TQ2_0/TQ1_0
    /// in llama.cpp parity: `ck_tq_q8K_x86_gemm`, each block decoded once for up to eight tokens; every output the
    /// gemv's bits), rows split over the workers as `run` splits them.
    private func q8KGemm(_ m: MatVec, _ qs: [QuantizedRow], _ out: UnsafeMutablePointer<Float>,
                         _ gemm: @escaping (UnsafePointer<UInt8>, Int, Int, Int, UnsafePointer<UnsafePointer<ck_block_q8_K>?>,
                                            Int, UnsafeMutablePointer<Float>, Int) -> Void) {
        let ys = qs.map { UnsafePointer($0.blocks!.assumingMemoryBound(to: ck_block_q8_K.self)) as UnsafePointer<ck_block_q8_K>? }
        nonisolated(unsafe) let o = out
        nonisolated(unsafe) let kernel = gemm
        let rows = m.rows, n = m.cols, w = m.data.assumingMemoryBound(to: UInt8.self)
        ys.withUnsafeBufferPointer { yp in
            nonisolated(unsafe) let y = yp.baseAddress!
            parallelRows(rows) { range in kernel(w, n, range.lowerBound, range.upperBound, y, ys.count, o, rows) }
        }
    }

    /// Whether `runBatch` multiplies `m` with `ck_i2s_gemm`.
    static func usesI2SGemm(_ m: MatVec) -> Bool {
        m.format == .i2_s && m.activation == .int8PerToken && m.swiftKernelID == nil
    }

    /// The shared block scale when `runBatch` multiplies `m` with `ck_tq1_0_i8_gemm` (TQ1_0 × per-token int8 with one
    /// scale for every non-zero block, the form whose per-token result is (float)Σ / s · d), else nil.
    static func tq1GemmScale(_ m: MatVec) -> Float? {
        m.format == .tq1_0 && m.activation == .int8PerToken && m.swiftKernelID == nil ? m.uniformScale : nil
    }

    /// TQ1_0 × per-token int8 for all tokens: each token prepared once (`ck_tq1_0_prepare`), integer sums from
    /// `ck_tq1_0_i8_gemm` per row range (the gemv's integers), then Float(Σ) / s · d as `MatVec.apply` finishes them.
    private func tq1Gemm(_ m: MatVec, _ d: Float, _ qs: [QuantizedRow], _ out: UnsafeMutablePointer<Float>) {
        let n = m.cols, rows = m.rows, T = qs.count, ldp = ck_tq1_0_prep_bytes(n)
        // 64-byte aligned: the kernel's prep loads are whole cache lines (unaligned measured 1.4x slower)
        let prep = UnsafeMutableRawPointer.allocate(byteCount: max(1, T * ldp), alignment: 64).bindMemory(to: Int8.self, capacity: T * ldp)
        defer { prep.deallocate() }
        var codes = [Int8](repeating: 0, count: T * n), qsum = [Int32](repeating: 0, count: T)
        var sums = [Int32](repeating: 0, count: T * rows)
        let s = qs.map { $0.scales[0] }
        codes.withUnsafeMutableBufferPointer { cb in
            for t in 0..<T {
                qs[t].codes.withUnsafeBufferPointer { q in
                    (cb.baseAddress! + t * n).update(from: q.baseAddress!, count: n)
                    qsum[t] = ck_tq1_0_prepare(q.baseAddress!, n, prep + t * ldp)
                }
            }
            qsum.withUnsafeBufferPointer { qsb in
                sums.withUnsafeMutableBufferPointer { sb in
                    nonisolated(unsafe) let q = UnsafePointer(cb.baseAddress!), p = UnsafePointer(prep)
                    nonisolated(unsafe) let qsp = qsb.baseAddress!, sp = sb.baseAddress!, o = out
                    let w = m.data.assumingMemoryBound(to: ck_block_tq1_0.self)
                    parallelRows(rows) { range in
                        ck_tq1_0_i8_gemm(w, n, range.lowerBound, range.upperBound, q, n, p, ldp, qsp, T, sp, rows)
                        for t in 0..<T {
                            let st = sp + t * rows, ot = o + t * rows, sc = s[t]
                            for r in range { ot[r] = Float(st[r]) / sc * d }
                        }
                    }
                }
            }
        }
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
                nonisolated(unsafe) let o = out
                let w = m.data.assumingMemoryBound(to: UInt8.self), beta = m.tensorScale
                let finish = qs.map { ($0.codeSum, $0.scales[0]) }
                // each task finishes its own rows for every token (the float step was a serial loop before)
                parallelRows(rows) { range in
                    ck_i2s_gemm(w, n, range.lowerBound, range.upperBound, codes, n, T, sums, rows)
                    for t in 0..<T {
                        let (qsum, s) = finish[t], ot = o + t * rows, st = sums + t * rows
                        for r in range { ot[r] = ck_i2s_finish(st[r], qsum, s, beta) }
                    }
                }
            }
        }
    }

    /// Repacked BitNet32-F16 (bn32r codes + block scales) × per-token int8 for all tokens: each token's row
    /// prepared once (`ck_bn32r_prepare`), then `ck_bn32r_i8_gemm_f32` per row range (the gemv's bits per token).
    private func bn32rGemm(_ m: MatVec, _ scales: UnsafePointer<UInt16>, _ qs: [QuantizedRow], _ out: UnsafeMutablePointer<Float>) {
        let n = m.cols, rows = m.rows, T = qs.count, nb = n / 32
        var codes = [Int8](repeating: 0, count: T * n), prepared = [Int8](repeating: 0, count: T * n)
        var sums = [Int32](repeating: 0, count: T * nb)
        let s = qs.map { $0.scales[0] }
        codes.withUnsafeMutableBufferPointer { cb in
            prepared.withUnsafeMutableBufferPointer { pb in
                sums.withUnsafeMutableBufferPointer { sb in
                    for t in 0..<T {
                        qs[t].codes.withUnsafeBufferPointer { q in
                            (cb.baseAddress! + t * n).update(from: q.baseAddress!, count: n)
                            ck_bn32r_prepare(q.baseAddress!, n, pb.baseAddress! + t * n, sb.baseAddress! + t * nb)
                        }
                    }
                    nonisolated(unsafe) let q = UnsafePointer(cb.baseAddress!), qt = UnsafePointer(pb.baseAddress!)
                    nonisolated(unsafe) let qsum = UnsafePointer(sb.baseAddress!), o = out
                    let w = m.data.assumingMemoryBound(to: UInt8.self)
                    s.withUnsafeBufferPointer { sp in
                        nonisolated(unsafe) let sv = sp.baseAddress!
                        parallelRows(rows) { range in
                            ck_bn32r_i8_gemm_f32(w, scales, n, range.lowerBound, range.upperBound, q, n, qt, qsum, T, sv, o, rows)
                        }
                    }
                }
            }
        }
    }
}
