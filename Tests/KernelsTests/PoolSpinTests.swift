import Foundation
import Testing
import CKernels

/// The wall-clock spin budget (`ck_pool_set_spin_us`): jobs that arrive while the workers spin, after they went to
/// sleep, and after the budget is switched off again all run every task exactly once with the same results.
@Suite struct PoolSpinTests {
    @Test func everyTaskRunsOnceWhetherWorkersSpinOrSleep() throws {
        let pool = try #require(ck_pool_create(3))
        defer { ck_pool_destroy(pool) }
        let w = PoolTests.inputs.w, q = PoolTests.inputs.q
        let reference: [Int32] = {
            let j = GemvJob(w: w, q: q, n: 1024, rows: 301, chunk: 7)
            ck_pool_parallel_for(nil, j.tasks, spinGemvTask, Unmanaged.passUnretained(j).toOpaque())
            return j.outArray
        }()
        // budget 200 µs: back-to-back jobs find the workers spinning, jobs 3 ms apart find them asleep
        for (budget, gap) in [(UInt32(200), 0), (200, 3000), (0, 0), (0, 3000)] {
            ck_pool_set_spin_us(pool, budget)
            for _ in 0..<4 {
                let j = GemvJob(w: w, q: q, n: 1024, rows: 301, chunk: 7)
                ck_pool_parallel_for(pool, j.tasks, spinGemvTask, Unmanaged.passUnretained(j).toOpaque())
                #expect(j.outArray == reference)
                #expect(j.runsArray.allSatisfy { $0 == 1 })
                if gap > 0 { usleep(useconds_t(gap)) }
            }
        }
    }
}

private let spinGemvTask: ck_task_fn = { ctx, task, _ in
    let job = Unmanaged<GemvJob>.fromOpaque(ctx!).takeUnretainedValue()
    let r0 = Int(task) * job.chunk, r1 = min(job.rows, r0 + job.chunk)
    ck_i2s_gemv(job.w, job.n, r0, r1, job.q, job.out)
    job.runs[Int(task)] += 1
}
