import Foundation
import Testing
import CKernels

/// Each task bumps its own slot: after a parallel_for every slot must be exactly 1 more than before.
private let countTask: ck_task_fn = { ctx, task, _ in
    let runs = ctx!.assumingMemoryBound(to: Int32.self)
    runs[Int(task)] += 1
}

/// Runs `body(i)` on `count` plain threads at once; returns false when they did not all finish within
/// `deadline` seconds (a hang; the deadline is generous and is not what is measured).
private func onThreads(_ count: Int, deadline: Double = 300, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        let t = Thread { body(i); group.leave() }
        t.start()
    }
    return group.wait(timeout: .now() + deadline) == .success
}

/// Many pools driven at the same time (as concurrent sessions do), and one pool shared by several callers:
/// nothing hangs and every task runs exactly once per call.
@Suite struct PoolConcurrencyTests {
    @Test func manyPoolsAtOnceEachRunEveryTaskOnce() {
        let pools = 6, calls = 150, tasks = 9
        let bad = UnsafeMutablePointer<Int32>.allocate(capacity: pools)
        bad.initialize(repeating: 0, count: pools)
        defer { bad.deallocate() }
        nonisolated(unsafe) let badp = bad
        let finished = onThreads(pools) { i in
            guard let pool = ck_pool_create(Int32(2 + i % 2)) else { badp[i] = -1; return }
            defer { ck_pool_destroy(pool) }
            let runs = UnsafeMutablePointer<Int32>.allocate(capacity: tasks)
            defer { runs.deallocate() }
            runs.initialize(repeating: 0, count: tasks)
            for c in 1...calls {
                ck_pool_parallel_for(pool, tasks, countTask, runs)
                if (0..<tasks).contains(where: { runs[$0] != Int32(c) }) { badp[i] += 1 }
            }
        }
        #expect(finished)
        #expect((0..<pools).allSatisfy { bad[$0] == 0 })
    }

    @Test func onePoolSharedByConcurrentCallersIsSerialized() throws {
        let pool = try #require(ck_pool_create(3))
        defer { ck_pool_destroy(pool) }
        nonisolated(unsafe) let p = pool
        let callers = 4, calls = 150, tasks = 11
        let bad = UnsafeMutablePointer<Int32>.allocate(capacity: callers)
        bad.initialize(repeating: 0, count: callers)
        defer { bad.deallocate() }
        nonisolated(unsafe) let badp = bad
        let finished = onThreads(callers) { i in
            let runs = UnsafeMutablePointer<Int32>.allocate(capacity: tasks)
            defer { runs.deallocate() }
            runs.initialize(repeating: 0, count: tasks)
            for c in 1...calls {
                ck_pool_parallel_for(p, tasks, countTask, runs)
                if (0..<tasks).contains(where: { runs[$0] != Int32(c) }) { badp[i] += 1 }
            }
        }
        #expect(finished)
        #expect((0..<callers).allSatisfy { bad[$0] == 0 })
    }
}
