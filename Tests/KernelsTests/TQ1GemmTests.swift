import Foundation
import Testing
import CKernels

/// `ck_tq1_0_i8_gemm` (batched prefill) against the dequantized dot of every token (truth: ggml's TQ1_0 decoding,
/// `TQ1PrefixTests.weights`) and against `ck_tq1_0_i8_gemv` per token, on every path, for awkward sizes: 1 to 17
/// tokens (passes of 8 and their remainders), rows starting at 1, rows of 1, 10 and 33 blocks, preps at an odd
/// address.
@Suite struct TQ1GemmTests {
    static func expected(_ blocks: [UInt8], rows: Int, nb: Int, q: ArraySlice<Int8>) -> [Int32] {
        (0..<rows).map { r in
            var s = 0
            for b in 0..<nb {
                let start = (r * nb + b) * 54
                let w = TQ1PrefixTests.weights(blocks[start..<(start + 54)])
                for i in 0..<256 { s += w[i] * Int(q[q.startIndex + b * 256 + i]) }
            }
            return Int32(s)
        }
    }

    @Test(arguments: [(1, 1), (10, 5), (33, 9), (10, 4), (1, 3), (2, 17)])
    func gemmEqualsTheDequantizedDotAndTheGemvOnEveryPath(nb: Int, tokens: Int) {
        let rows = 37, n = nb * 256
        var rng = Rng(UInt64(nb * 100 + tokens))
        var blocks = [UInt8]()
        for _ in 0..<(rows * nb) { blocks += rng.bytes(52) + [0x00, 0x3c] }
        let q = rng.int8s(tokens * n).enumerated().map { $0.offset % 11 == 0 ? Int8.min : $0.element }
        let truth = (0..<tokens).map { t in Self.expected(blocks, rows: rows, nb: nb, q: q[(t * n)..<((t + 1) * n)]) }
        let ldp = ck_tq1_0_prep_bytes(n) + 3
        #expect(ck_tq1_0_prep_bytes(n) == nb * 320)
        var prep = [Int8](repeating: 0, count: tokens * ldp + 1)
        var qsum = [Int32](repeating: 0, count: tokens)
        q.withUnsafeBufferPointer { qp in
            prep.withUnsafeMutableBufferPointer { pp in
                for t in 0..<tokens { qsum[t] = ck_tq1_0_prepare(qp.baseAddress! + t * n, n, pp.baseAddress! + 1 + t * ldp) }
            }
        }
        for t in 0..<tokens { #expect(qsum[t] == q[(t * n)..<((t + 1) * n)].reduce(Int32(0)) { $0 + Int32($1) }) }
        let gemmIDs = ["tq1_0_i8_gemm.avx512vnni", "tq1_0_i8_gemv_x3.avx512vnni", "tq1_0_i8_gemm.avxvnni"].map { name in name.withCString { ck_kernel_index($0) } }
        #expect(gemmIDs.allSatisfy { $0 >= 0 })
        let results = Paths.each { () -> ([Int32], [Int32], [UInt64]) in
            let before = gemmIDs.map { ck_kernel_calls_this_thread(Int32($0)) }
            var gemm = [Int32](repeating: -1, count: tokens * rows), gemv = gemm
            withBlocks(blocks, as: ck_block_tq1_0.self) { w in
                q.withUnsafeBufferPointer { qp in
                    prep.withUnsafeBufferPointer { pp in
                        ck_tq1_0_i8_gemm(w, n, 1, rows, qp.baseAddress!, n, pp.baseAddress! + 1, ldp, qsum, tokens, &gemm, rows)
                        gemv.withUnsafeMutableBufferPointer { g in
                            for t in 0..<tokens { ck_tq1_0_i8_gemv(w, n, 1, rows, qp.baseAddress! + t * n, g.baseAddress! + t * rows) }
                        }
                    }
                }
            }
            return (gemm, gemv, zip(gemmIDs, before).map { ck_kernel_calls_this_thread(Int32($0)) - $1 })
        }
        #expect(results.count == Paths.available.count)
        for (i, (gemm, gemv, calls)) in results.enumerated() {
            for t in 0..<tokens {
                #expect(Array(gemm[(t * rows + 1)..<((t + 1) * rows)]) == Array(truth[t][1...]), "path \(Paths.available[i]) token \(t)")
                #expect(gemm[t * rows] == -1)                                     // row 0 is outside the range
            }
            #expect(gemm == gemv)
            let path = Paths.available[i], avx512 = path & UInt32(CK_PATH_AVX512VNNI) != 0
            let vnni = !avx512 && path & UInt32(CK_PATH_AVXVNNI) != 0
            // the AVX-512 GEMM once (and its gemv once per token), or the AVX-VNNI GEMM once, or neither
            #expect(calls == (avx512 ? [1, UInt64(tokens), 0] : vnni ? [0, 0, 1] : [0, 0, 0]), "path \(path)")
        }
    }

    /// The AVX-512 forms load 64 bytes per 54-byte block; the matrix's last block must be read with a mask. The rows
    /// end exactly at a page followed by an inaccessible page: a read past the end would crash the test.
    @Test func noReadPastTheLastBlock() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE))), rows = 3, nb = 2, bytes = rows * nb * 54
        let base = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(base, 2 * page) }
        #expect(mprotect(base + page, page, PROT_NONE) == 0)
        var rng = Rng(5)
        var blocks = [UInt8]()
        for _ in 0..<(rows * nb) { blocks += rng.bytes(52) + [0x00, 0x3c] }
        let start = base + page - bytes
        blocks.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: bytes) }
        let w = UnsafeRawPointer(start).assumingMemoryBound(to: ck_block_tq1_0.self)
        let q = rng.int8s(2 * nb * 256), n = nb * 256
        var prep = [Int8](repeating: 0, count: 2 * nb * 320)
        var qsum: [Int32] = [0, 0]
        q.withUnsafeBufferPointer { qp in
            prep.withUnsafeMutableBufferPointer { p in
                for t in 0..<2 { qsum[t] = ck_tq1_0_prepare(qp.baseAddress! + t * n, n, p.baseAddress! + t * nb * 320) }
            }
        }
        let truth: [Int32] = Self.expected(blocks, rows: rows, nb: nb, q: q[0..<n]) + Self.expected(blocks, rows: rows, nb: nb, q: q[n..<(2 * n)])
        let results = Paths.each { () -> [Int32] in
            var gemv = [Int32](repeating: 0, count: 2 * rows), gemm = gemv
            q.withUnsafeBufferPointer { qp in
                gemv.withUnsafeMutableBufferPointer { g in for t in 0..<2 { ck_tq1_0_i8_gemv(w, n, 0, rows, qp.baseAddress! + t * n, g.baseAddress! + t * rows) } }
                ck_tq1_0_i8_gemm(w, n, 0, rows, qp.baseAddress!, n, prep, nb * 320, qsum, 2, &gemm, rows)
            }
            return gemv + gemm
        }
        for r in results { #expect(r == truth + truth) }
    }
}
