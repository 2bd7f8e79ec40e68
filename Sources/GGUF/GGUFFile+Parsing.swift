extension GGUFFile {
    struct Header { var version: UInt32; var tensorCount: Int; var kvCount: Int; var end: Int }

    static func readHeader(_ s: GGUFStorage) throws -> Header {
        var c = GGUFCursor(s)
        try c.need(4, "magic")
        let magic = Array(s.bytes(0 ..< 4))
        guard magic == Array("GGUF".utf8) else {
            let shown = magic.map { (32 ... 126).contains($0) ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
            throw GGUFError(.badMagic, at: 0, "not a GGUF file: magic is '\(shown)', expected 'GGUF'")
        }
        c.position = 4
        let version = try c.u32("version")
        guard (1 ... 3).contains(version) else {
            if (1 ... 3).contains(version.byteSwapped) {
                throw GGUFError(.bigEndian, at: 4, "big-endian GGUF v\(version.byteSwapped) is not supported")
            }
            throw GGUFError(.unsupportedVersion, at: 4, "GGUF version \(version) is not supported (1, 2, 3 are)")
        }
        c = GGUFCursor(s, at: 8, version: version)
        let tStart = c.position
        let nt = try c.count("tensor count")
        let kStart = c.position
        let nk = try c.count("metadata count")
        // A metadata entry takes at least 13 bytes (9 in v1), a tensor info at least 24 (20 in v1).
        try c.fits(nk, minSize: c.wideCounts ? 13 : 9, "metadata count", at: kStart)
        try c.fits(nt, minSize: c.wideCounts ? 24 : 20, "tensor count", at: tStart)
        return Header(version: version, tensorCount: nt, kvCount: nk, end: c.position)
    }

    static func readMetadata(_ c: inout GGUFCursor, count: Int) throws -> GGUFMetadata {
        var entries = [GGUFKeyValue]()
        var index = [String: Int]()
        entries.reserveCapacity(min(count, 4096))
        for i in 0 ..< count {
            let start = c.position
            let key = try c.string("key of metadata entry \(i)", strict: true)
            if index[key] != nil {
                throw GGUFError(.duplicateKey, at: start, "metadata key '\(key)' appears twice")
            }
            let t = try c.valueType("type of '\(key)'")
            let v = try c.value(t, "value of '\(key)'")
            index[key] = entries.count
            entries.append(GGUFKeyValue(key: key, value: v, offset: start))
        }
        return GGUFMetadata(entries: entries, index: index)
    }

    static func alignment(of m: GGUFMetadata) throws -> Int { try checkedAlignment(m) }

    private static func checkedAlignment(_ m: GGUFMetadata) throws -> Int {
        guard let e = m.entries.first(where: { $0.key == "general.alignment" }) else { return defaultAlignment }
        guard case .uint32(let a) = e.value else {
            throw GGUFError(.badAlignment, at: e.offset, "general.alignment must be a u32, found \(e.value.type)")
        }
        guard a > 0, a & (a - 1) == 0 else {
            throw GGUFError(.badAlignment, at: e.offset, "general.alignment \(a) is not a power of two")
        }
        return Int(a)
    }

    struct RawInfo { var name: String; var dims: [Int]; var typeID: UInt32; var offset: Int; var at: Int }

    static func readTensorInfos(_ c: inout GGUFCursor, count: Int) throws -> [RawInfo] {
        var infos = [RawInfo]()
        infos.reserveCapacity(min(count, 65536))
        var seen = Set<String>()
        for i in 0 ..< count {
            let start = c.position
            let name = try c.string("name of tensor \(i)", strict: true)
            if !seen.insert(name).inserted {
                throw GGUFError(.duplicateTensor, at: start, "tensor name '\(name)' appears twice")
            }
            let ndStart = c.position
            let nd = try c.u32("dimension count of '\(name)'")
            guard nd <= 4 else {
                throw GGUFError(.badDimensions, at: ndStart, "tensor '\(name)' has \(nd) dimensions (at most 4)")
            }
            var dims = [Int]()
            var product = 1
            for d in 0 ..< Int(nd) {
                let dStart = c.position
                let raw: UInt64 = c.wideCounts ? try c.u64("dimension \(d) of '\(name)'") : UInt64(try c.u32("dimension \(d) of '\(name)'"))
                guard raw > 0 else {
                    throw GGUFError(.badDimensions, at: dStart, "tensor '\(name)' has dimension \(d) equal to 0")
                }
                guard raw <= UInt64(Int.max) else {
                    throw GGUFError(.overflow, at: dStart, "tensor '\(name)' dimension \(d) = \(raw) overflows")
                }
                let (p, o) = product.multipliedReportingOverflow(by: Int(raw))
                guard !o else {
                    throw GGUFError(.overflow, at: dStart, "tensor '\(name)' element count overflows 64 bits")
                }
                product = p
                dims.append(Int(raw))
            }
            let typeID = try c.u32("type of '\(name)'")
            let oStart = c.position
            let off = try c.u64("data offset of '\(name)'")
            guard off <= UInt64(Int.max) else {
                throw GGUFError(.overflow, at: oStart, "tensor '\(name)' data offset \(off) overflows")
            }
            infos.append(RawInfo(name: name, dims: dims, typeID: typeID, offset: Int(off), at: start))
        }
        return infos
    }
}
