import CKernels

/// A float output matrix re-quantized to Q8_0 rows at load (`--head int8`). Owns its buffer.
final class Int8Head: @unchecked Sendable {
    let matrix: MatVec
    private let buffer: UnsafeMutableRawPointer

    /// Quantizes every row of `exact` (F16, BF16 or F32; cols % 32 == 0) with the reference Q8_0 rounding.
    init(from exact: MatVec, parity: Parity) throws {
        guard [.f16, .bf16, .f32].contains(exact.format) else {
            throw EngineError(.badInput, "--head int8 needs a float output matrix; this one is \(exact.format.name)")
        }
        guard exact.cols % 32 == 0 else {
            throw EngineError(.badInput, "--head int8 needs rows that are a multiple of 32 long (\(exact.cols))")
        }
        let n = exact.cols, blocksPerRow = n / 32, stride = MemoryLayout<ck_block_q8_0>.stride
        buffer = .allocate(byteCount: exact.rows * blocksPerRow * stride, alignment: 64)
        let blocks = buffer.bindMemory(to: ck_block_q8_0.self, capacity: exact.rows * blocksPerRow)
        let row = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { row.deallocate() }
        for r in 0..<exact.rows {
            exact.row(r, into: row)
            ck_quantize_q8_0(row, blocks + r * blocksPerRow, n, Int32(CK_Q8_REF))
        }
        var m = MatVec(name: exact.name + "#q8_0", format: .q8_0, rows: exact.rows, cols: n,
                       data: UnsafeRawPointer(buffer), interleave: 128, parity: parity)
        m.int8HeadKernel = true
        matrix = m
    }

    deinit { buffer.deallocate() }
}
