import Foundation
import Testing
@testable import Engine

/// `Dispatcher.forEachTask` (per-thread attention scratch in batched prefill) runs every task exactly once and
/// names a thread below the thread count, and one thread never runs two tasks at once.
@Suite struct DispatcherTaskTests {
    @Test(arguments: [1, 2, 3])
    func everyTaskRunsOnceOnAKnownThread(threads: Int) {
        let d = Dispatcher(threads: threads)
        for n in [0, 1, 2, 7, 100] {
            let lock = NSLock()
            var runs = [Int](repeating: 0, count: n)
            var busy = [Bool](repeating: false, count: threads)
            var badThread = false, overlap = false
            d.forEachTask(n) { task, thread in
                lock.lock()
                if thread < 0 || thread >= threads { badThread = true } else if busy[thread] { overlap = true } else { busy[thread] = true }
                runs[task] += 1
                lock.unlock()
                usleep(50)
                lock.lock()
                if thread >= 0 && thread < threads { busy[thread] = false }
                lock.unlock()
            }
            #expect(runs == [Int](repeating: 1, count: n), "n \(n)")
            #expect(!badThread && !overlap, "n \(n)")
        }
    }
}
