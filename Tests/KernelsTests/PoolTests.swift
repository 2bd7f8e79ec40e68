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
    func job() -> GemvJob {
        var rng = Rng(77)
        let n = 1024, rows = 301
        return GemvJob(w: packI2S(rng.ternary(n * rows), n: n), q: rng.int8s(n), n: n, rows: rows, chunk: 7)
    }

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

    @Test func badThreadCountsAreRefused() {
        #expect(ck_pool_create(0) == nil)
        #expect(ck_pool_create(-3) == nil)
        #expect(ck_pool_create(100_000) == nil)
    }
}
