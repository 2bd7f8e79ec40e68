/// SplitMix64: a small deterministic generator; every tensor gets its own stream derived from the
/// seed and its name, so the same seed gives the same weights whatever the format or tensor order.
public struct SynthRandom: Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A stream for `name` under `seed`.
    public init(seed: UInt64, name: String) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        state = seed ^ h
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Fills `out` with ternary values: -1 and +1 with probability 1/3 each, 0 otherwise.
    public mutating func ternary(into out: inout [Int8]) {
        var i = 0
        while i < out.count {
            var r = next()
            // 40 trits per 64-bit draw (3^40 < 2^64), rejecting nothing: tiny bias, irrelevant here.
            for _ in 0 ..< 40 where i < out.count {
                out[i] = Int8(r % 3) - 1
                r /= 3
                i += 1
            }
        }
    }
}

import Foundation
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }
