import Foundation

extension MatVec {
    /// Rows `range` of a float matrix (F16, BF16, F32) as a matrix of its own over the same bytes (the same kernel
    /// and the same value for every row); nil for other formats.
    func rows(_ range: Range<Int>, parity: Parity) -> MatVec? {
        guard [.f16, .bf16, .f32].contains(format), range.lowerBound >= 0, range.upperBound <= rows else { return nil }
        var m = MatVec(name: name, format: format, rows: range.count, cols: cols, data: data + range.lowerBound * rowBytes,
                       interleave: interleave, parity: parity)
        m.owner = owner
        return m
    }

    /// Drops the file pages behind rows `range` (MADV_DONTNEED on whole pages inside them): only for a matrix that
    /// reads a read-only file mapping (`owner == nil` and a file-backed model), whose dropped pages are read
    /// again from the file if touched.
    func releaseFilePages(rows range: Range<Int>) {
        guard owner == nil, !range.isEmpty else { return }
        WeightRepack.releaseFilePages(data + range.lowerBound * rowBytes, count: range.count * rowBytes)
    }
}
