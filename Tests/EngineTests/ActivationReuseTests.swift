import CKernels
import Foundation
import Testing
@testable import Engine

/// `ActivationQuantizer.quantize(reusing:)` overwrites the row it is given (the decode loop then allocates nothing)
/// and leaves exactly what a fresh encoding writes, for every format: codes, scales, sums and the C blocks, including
/// an all-zero block after a non-zero one (its old values must not survive).
@Suite struct ActivationReuseTests {
    static func bytes(_ r: QuantizedRow, _ format: ActivationFormat, _ n: Int) -> [UInt8] {
        guard let b = r.blocks else { return [] }
        let size = switch format {
        case .q8_K: n / 256 * MemoryLayout<ck_block_q8_K>.stride
        case .q8_0: n / 32 * MemoryLayout<ck_block_q8_0>.stride
        case .q8_1: n / 32 * MemoryLayout<ck_block_q8_1>.stride
        default: 0
        }
        return Array(UnsafeRawBufferPointer(start: b, count: size))
    }

    @Test(arguments: [ActivationFormat.q8_K, .q8_0, .q8_1, .int8PerToken, .f16, .bf16, .f32])
    func reusedRowEqualsAFreshOne(format: ActivationFormat) {
        let n = 512
        var g = SplitMix64(state: 17)
        let first = (0..<n).map { _ in Float(Int(g.next() % 2001) - 1000) / 300 }
        // the second row: zeros in the first 256 values (a whole q8_K block, eight q8_0 blocks), other values elsewhere
        let second = (0..<n).map { i in i < 256 ? 0 : Float(Int(g.next() % 2001) - 1000) / 70 }
        let row = first.withUnsafeBufferPointer { ActivationQuantizer.quantize($0.baseAddress!, count: n, as: format) }
        let blocks = row.blocks
        let reused = second.withUnsafeBufferPointer { ActivationQuantizer.quantize($0.baseAddress!, count: n, as: format, reusing: row) }
        let fresh = second.withUnsafeBufferPointer { ActivationQuantizer.quantize($0.baseAddress!, count: n, as: format) }
        #expect(reused === row && reused.blocks == blocks)
        #expect(reused.codes == fresh.codes && reused.scales == fresh.scales && reused.sums == fresh.sums)
        #expect(reused.values == fresh.values && reused.codeSum == fresh.codeSum)
        #expect(Self.bytes(reused, format, n) == Self.bytes(fresh, format, n))
        // a row of another length is not reused
        let other = second.withUnsafeBufferPointer { ActivationQuantizer.quantize($0.baseAddress!, count: 256, as: format, reusing: row) }
        #expect(other !== row)
    }
}
