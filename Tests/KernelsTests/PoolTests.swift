import Foundation
import Testing
import CKernels

/// Context for the pool tests: an I2_S gemv split into row chunks, one task per chunk. Raw buffers, so that
/// tasks on different threads never touch a Swift array (exclusivity) and write disjoint slots only.
final class GemvJob {
    let n: Int, rows: Int, chunk: Int, tasks: Int
    let w: UnsafeMutablePointer<UInt8>, q: UnsafeMutablePointer<Int8>
    let out: UnsafeMutablePointer<Int32>, runs: UnsafeMutablePointer<Int32>
    init(w: [UInt8], q: [Int8], n: Int, rows: Int, chunk: Int) {
        self.n = n; self.rows = rows; self.chunk = chunk; tasks = (rows + chunk - 1) / chunk
        self.w = .allocate(capacity: w.count); self.w.initialize(from: w, count: w.count)
        self.q = .allocate(capacity: q.count); self.q.initialize(from: q, count: q.count)
        out = .allocate(capacity: rows); out.initialize(repeating: 0, count: rows)
        runs = .allocate(capacity: tasks); runs.initialize(repeating: 0, count: tasks)
    }
    deinit { w.deallocate(); q.deallocate(); out.deallocate(); runs.deallocate() }
    var outArray: [Int32] { Array(UnsafeBufferPointer(start: out, count: rows)) }
    var runsArray: [Int32] { Array(UnsafeBufferPointer(start: runs, count: tasks)) }
}

private let gemvTask: ck_task_fn = { ctx, task, _ in
    let job = Unmanaged<GemvJob>.fromOpaque(ctx!).takeUnretainedValue()
    let r0 = Int(task) * job.chunk, r1 = min(job.rows, r0 + job.chunk)
    ck_i2s_gemv(job.w, job.n, r0, r1, job.q, job.out)
    job.runs[Int(task)] += 1 // each task has its own slot: a duplicate run shows as 2
}

@Suite struct PoolTests {
    /// Inputs built once (packing in a debug build is slow); each job gets fresh output buffers.
    static let inputs: (w: [UInt8], q: [Int8]) = {
        var rng = Rng(77)
        return (packI2S(rng.ternary(1024 * 301), n: 1024), rng.int8s(1024))
    }()

    func job() -> GemvJob { GemvJob(w: Self.inputs.w, q: Self.inputs.q, n: 1024, rows: 301, chunk: 7) }

    @Test func resultsIdenticalFor1To3ThreadsAndEveryTaskRunsOnce() throws {
        var reference: [Int32]? = nil
        for threads in [1, 2, 3] {
            let pool = try #require(ck_pool_create(Int32(threads)))
            defer { ck_pool_destroy(pool) }
            #expect(ck_pool_threads(pool) == Int32(threads))
            for _ in 0..<50 {
                let j = job()
                let ctx = Unmanaged.passUnretained(j).toOpaque()
                ck_pool_parallel_for(pool, j.tasks, gemvTask, ctx)
                withExtendedLifetime(j) {}
                #expect(j.runsArray.allSatisfy { $0 == 1 })
                if let reference { #expect(j.outArray == reference) } else { reference = j.outArray }
            }
        }
        // and equal to one unsplit call
        let j = job()
        var whole = [Int32](repeating: 0, count: j.rows)
        ck_i2s_gemv(j.w, j.n, 0, j.rows, j.q, &whole)
        withExtendedLifetime(j) {}
        #expect(reference == whole)
    }

    @Test func sleepingWorkersWakeUpAndManyTinyJobsComplete() throws {
        let pool = try #require(ck_pool_create(3))
        defer { ck_pool_destroy(pool) }
        ck_pool_set_spin(pool, 0) // workers go to sleep at once: exercises the wake-up path
        for round in 0..<500 {
            let j = job()
            let ctx = Unmanaged.passUnretained(j).toOpaque()
            ck_pool_parallel_for(pool, round % 5 == 0 ? 1 : j.tasks, gemvTask, ctx)
            withExtendedLifetime(j) {}
            if round % 5 != 0 { #expect(j.runsArray.allSatisfy { $0 == 1 }) }
        }
    }

    @Test func rowParallelKernelsEqualOneCallAtAnyThreadCount() throws {
        // one dispatch path for the whole comparison: other tests switch it process-wide (Paths.with)
        try Paths.with(Paths.cpu) {
            var rng = Rng(5)
            let n = 768, rows = 203, ntok = 3
            let w = packI2S(rng.ternary(n * rows), n: n), q = rng.int8s(n * ntok)
            let w16 = rng.floats(n * rows).map { ck_f32_to_f16($0) }, x = rng.floats(n * ntok)
            var gemv = [Int32](repeating: 0, count: rows), gemm = [Int32](repeating: 0, count: rows * ntok)
            var f16 = [Float](repeating: 0, count: rows), f16m = [Float](repeating: 0, count: rows * ntok)
            ck_i2s_gemv(w, n, 0, rows, q, &gemv)
            ck_i2s_gemm(w, n, 0, rows, q, n, ntok, &gemm, rows)
            ck_f16_gemv(w16, n, 0, rows, x, &f16)
            ck_f16_gemm(w16, n, 0, rows, x, n, ntok, &f16m, rows)
            for threads in [1, 2, 3] {
                let pool = try #require(ck_pool_create(Int32(threads)))
                defer { ck_pool_destroy(pool) }
                var a = [Int32](repeating: 0, count: rows), b = [Int32](repeating: 0, count: rows * ntok)
                var c = [Float](repeating: 0, count: rows), d = [Float](repeating: 0, count: rows * ntok)
                ck_par_i2s_gemv(pool, w, n, rows, q, &a)
                ck_par_i2s_gemm(pool, w, n, rows, q, n, ntok, &b, rows)
                ck_par_f16_gemv(pool, w16, n, rows, x, &c)
                ck_par_f16_gemm(pool, w16, n, rows, x, n, ntok, &d, rows)
                #expect(a == gemv && b == gemm)
                #expect(c.map(\.bitPattern) == f16.map(\.bitPattern) && d.map(\.bitPattern) == f16m.map(\.bitPattern))
            }
        }
    }

    @Test func rowParallelQuantKernelsAndGenericRowsEqualOneCall() throws {
        // one dispatch path for the whole comparison: other tests switch it process-wide (Paths.with)
        try Paths.with(Paths.cpu) {
            var rng = Rng(6)
            let n = 512, rows = 150
            var tq2 = rng.bytes(rows * n / 256 * 66), q80 = rng.bytes(rows * n / 32 * 34)
            for b in 0..<(rows * n / 256) { tq2[b * 66 + 64] = 0x00; tq2[b * 66 + 65] = 0x3c }     // d = 1
            for b in 0..<(rows * n / 32) { q80[b * 34] = 0x00; q80[b * 34 + 1] = 0x20 }          // d = 2^-7
            let q = rng.int8s(n)
            var y = [ck_block_q8_0](repeating: ck_block_q8_0(), count: n / 32)
            ck_quantize_q8_0(rng.floats(n), &y, n, Int32(CK_Q8_X86))
            var t1 = [Int32](repeating: 0, count: rows), f1 = [Float](repeating: 0, count: rows)
            withBlocks(tq2, as: ck_block_tq2_0.self) { ck_tq2_0_i8_gemv($0, n, 0, rows, q, &t1) }
            withBlocks(q80, as: ck_block_q8_0.self) { ck_q8_0_q8_0_gemv($0, n, 0, rows, y, &f1) }
            for threads in [1, 2, 3] {
                let pool = try #require(ck_pool_create(Int32(threads)))
                defer { ck_pool_destroy(pool) }
                var t2 = [Int32](repeating: 0, count: rows), f2 = [Float](repeating: 0, count: rows)
                withBlocks(tq2, as: ck_block_tq2_0.self) { ck_par_tq2_0_i8_gemv(pool, $0, n, rows, q, &t2) }
                withBlocks(q80, as: ck_block_q8_0.self) { ck_par_q8_0_q8_0_gemv(pool, $0, n, rows, y, &f2) }
                #expect(t2 == t1 && f2.map(\.bitPattern) == f1.map(\.bitPattern))
                // generic form: every row index visited exactly once
                let seen = UnsafeMutablePointer<Int32>.allocate(capacity: rows)
                defer { seen.deallocate() }
                seen.initialize(repeating: 0, count: rows)
                ck_parallel_rows(pool, rows, { ctx, r0, r1 in
                    let p = ctx!.assumingMemoryBound(to: Int32.self)
                    for r in r0..<r1 { p[r] += 1 }
                }, seen)
                #expect(Array(UnsafeBufferPointer(start: seen, count: rows)) == [Int32](repeating: 1, count: rows))
            }
        }
    }

    @Test func badThreadCountsAreRefused() {
        #expect(ck_pool_create(0) == nil)
        #expect(ck_pool_create(-3) == nil)
        #expect(ck_pool_create(100_000) == nil)
    }
}
