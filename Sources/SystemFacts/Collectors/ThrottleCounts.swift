/// thermal_throttle counters at one moment. Read before and after a run; `delta` says whether the CPU
/// throttled during it.
public struct ThrottleCounts: Sendable, Equatable, Codable {
    /// Sum of core_throttle_count over CPUs (nil when the kernel exposes none).
    public var core: Int?
    /// Sum of package_throttle_count over packages (counted once per package).
    public var package: Int?

    public init(core: Int?, package: Int?) {
        self.core = core
        self.package = package
    }

    /// Events between `earlier` and self (nil where either side is unknown).
    public func delta(since earlier: ThrottleCounts) -> ThrottleCounts {
        ThrottleCounts(core: core.flatMap { c in earlier.core.map { max(0, c - $0) } },
                       package: package.flatMap { p in earlier.package.map { max(0, p - $0) } })
    }
}
