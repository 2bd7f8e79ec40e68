import Foundation

/// The entry point: collect every fact family concurrently, each under its own deadline, so one hung probe
/// never blocks the rest.
public enum SystemFacts {
    /// Collects the requested families (see `FactsOptions`).
    public static func collect(_ options: FactsOptions = FactsOptions()) async -> FactsReport {
        await withCheckedContinuation { (cont: CheckedContinuation<FactsReport, Never>) in
            let t = Thread { cont.resume(returning: collectBlocking(options)) }
            t.start()
        }
    }

    /// The same as `collect`, blocking the calling thread.
    public static func collectBlocking(_ options: FactsOptions = FactsOptions()) -> FactsReport {
        let ctx = CollectContext(options)
        let wanted = options.families
        let collectors = Collector.all.filter { wanted.contains($0.family) }
        let start = DispatchTime.now()
        let deadline = start + options.collectorDeadline
        let slots = collectors.map { c -> Slot in
            let slot = Slot()
            let t = Thread {
                let t0 = DispatchTime.now()
                let fam = c.collect(ctx)
                slot.finish(fam, ms: Int((DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1_000_000))
            }
            t.stackSize = 1 << 20
            t.start()
            return slot
        }
        var families: [FactFamily] = []
        var timings: [String: Int] = [:]
        for (c, slot) in zip(collectors, slots) {
            if slot.done.wait(timeout: deadline) == .success, let (fam, ms) = slot.result {
                families.append(fam)
                timings[c.family] = ms
            } else {
                families.append(timedOut(c, after: options.collectorDeadline))
                timings[c.family] = Int(options.collectorDeadline * 1000)
            }
        }
        return FactsReport(collectedAt: options.now ?? Date(), root: options.root.path, live: options.live,
                           safeMode: options.safeMode, families: families, timingsMs: timings)
    }

    /// Current thermal_throttle counters (call before and after a run to bracket it).
    public static func throttleCounts(root: SystemRoot = SystemRoot()) -> ThrottleCounts {
        ThermalCollector.throttleCounts(root)
    }

    static func timedOut(_ c: Collector, after: TimeInterval) -> FactFamily {
        var f = FactFamily(c.family)
        for n in c.factNames {
            f[n] = .error("collector timed out after \(CommandRunner.seconds(after)) s", "collector:\(c.family)")
        }
        return f
    }

    private final class Slot: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var value: (FactFamily, Int)?
        var result: (FactFamily, Int)? { lock.lock(); defer { lock.unlock() }; return value }
        func finish(_ f: FactFamily, ms: Int) {
            lock.lock(); value = (f, ms); lock.unlock()
            done.signal()
        }
    }
}
