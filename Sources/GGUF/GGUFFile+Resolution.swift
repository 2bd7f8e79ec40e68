extension GGUFFile {
    /// Resolves every tensor's type through the traits table (ids 36–39 by byte size and dialect),
    /// and checks alignment, bounds and overlap.
    static func resolveTensors(_ infos: [RawInfo], dataOffset: Int, alignment: Int, fileSize: Int,
                               preferFork: Bool) throws -> [GGUFTensorInfo] {
        guard !infos.isEmpty else { return [] }
        let dataSize = fileSize - dataOffset
        for t in infos {
            if t.offset % alignment != 0 {
                throw GGUFError(.misaligned, at: t.at, "tensor '\(t.name)' data offset \(t.offset) is not a multiple of the alignment \(alignment)")
            }
            if t.offset >= dataSize {
                throw GGUFError(.outOfBounds, at: t.at, "tensor '\(t.name)' starts at data offset \(t.offset), past the end of the file (data section holds \(dataSize) bytes)")
            }
        }
        // Span of each tensor: up to the next larger start offset, or the end of the file.
        let starts = Array(Set(infos.map(\.offset))).sorted()
        func span(_ off: Int) -> Int {
            var lo = 0, hi = starts.count
            while lo < hi { let m = (lo + hi) / 2; if starts[m] <= off { lo = m + 1 } else { hi = m } }
            return (lo < starts.count ? starts[lo] : dataSize) - off
        }

        let names = Set(infos.map(\.name))
        var out = [GGUFTensorInfo]()
        out.reserveCapacity(infos.count)
        for t in infos {
            let n = t.dims.reduce(1, *)
            let row = t.dims.first ?? 1
            let candidates = TensorTypeTraits.candidates(id: t.typeID)
            guard !candidates.isEmpty else {
                throw GGUFError(.unknownTensorType, at: t.at, "tensor '\(t.name)' has type id \(t.typeID), which no known ggml (0–41) or bitnet.cpp (36–39) type uses")
            }
            let available = span(t.offset)
            // Separate-scale TL form: the weight holds no scale tail when a `<name>_scale` tensor exists.
            let scaleName = t.name + TensorTypeTraits.tlScaleSuffix
            func separate(_ c: TensorTypeTraits) -> Bool { (c.format == .tl1 || c.format == .tl2) && names.contains(scaleName) }
            func size(_ c: TensorTypeTraits) -> Int? {
                separate(c) ? c.tlDataSize(elements: n, rowLength: row) : c.byteSize(elements: n, rowLength: row)
            }
            let traits: TensorTypeTraits
            if candidates.count == 1 {
                traits = candidates[0]
            } else {
                let ranked = candidates.compactMap { c -> (TensorTypeTraits, Int)? in
                    guard let s = size(c), s <= available else { return nil }
                    return (c, available - s)
                }.sorted { a, b in
                    if a.1 != b.1 { return a.1 < b.1 }
                    let fa = a.0.origin != .mainline && a.0.origin != .mainlineRemoved
                    return fa == preferFork && (b.0.origin != .mainline && b.0.origin != .mainlineRemoved) != preferFork
                }
                guard let best = ranked.first else {
                    let options = candidates.map { c in
                        "\(c.name) (\(c.byteSize(elements: n, rowLength: row).map(String.init) ?? "invalid shape") bytes)"
                    }.joined(separator: ", ")
                    throw GGUFError(.ambiguousTensorType, at: t.at, "tensor '\(t.name)' type id \(t.typeID) fits none of \(options) in the \(available) bytes before the next tensor")
                }
                traits = best.0
            }
            guard let size = size(traits) else {
                if row % traits.blockSize == 0 {
                    throw GGUFError(.overflow, at: t.at, "tensor '\(t.name)' byte size (\(n) elements of \(traits.name)) overflows")
                }
                throw GGUFError(.badDimensions, at: t.at, "tensor '\(t.name)' of type \(traits.name) has first dimension \(row), not a multiple of its block size \(traits.blockSize)")
            }
            let byteCount = size
            let (end, o) = t.offset.addingReportingOverflow(byteCount)
            if o || end > dataSize {
                throw GGUFError(.outOfBounds, at: t.at, "tensor '\(t.name)' (\(traits.name), \(byteCount) bytes at data offset \(t.offset)) runs past the end of the file by \(o ? byteCount : end - dataSize) bytes")
            }
            out.append(GGUFTensorInfo(name: t.name, dims: t.dims, typeID: t.typeID, type: traits,
                                      relativeOffset: t.offset, offset: dataOffset + t.offset,
                                      byteCount: byteCount, infoOffset: t.at, scaleTensor: separate(traits) ? scaleName : nil))
        }
        let byStart = out.sorted { $0.offset < $1.offset }
        for (a, b) in zip(byStart, byStart.dropFirst()) where b.offset < a.offset + a.byteCount {
            throw GGUFError(.overlap, at: b.infoOffset, "tensor '\(b.name)' (bytes \(b.offset)…) overlaps tensor '\(a.name)' (bytes \(a.offset)…\(a.offset + a.byteCount))")
        }
        return out
    }
}
