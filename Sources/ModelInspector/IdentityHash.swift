import GGUF

/// A fast identity for a GGUF file: FNV-1a 64 over the file size, everything before the data section
/// (header, metadata, tensor infos) and 64 pages of 4 KiB sampled evenly across the data section.
/// Two files with the same identity are, for all practical purposes, the same model; computing it
/// touches well under 1 MB of a multi-GB file.
public enum IdentityHash {
    public static let samples = 64
    public static let pageSize = 4096

    public static func of(_ f: GGUFFile) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ b: UnsafeRawBufferPointer) {
            for byte in b { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        withUnsafeBytes(of: UInt64(f.fileSize).littleEndian) { mix($0) }
        let all = f.storage.buffer
        let headerEnd = min(f.dataOffset, f.fileSize)
        mix(UnsafeRawBufferPointer(rebasing: all[0 ..< headerEnd]))
        let dataSize = f.fileSize - headerEnd
        if dataSize > 0 {
            if dataSize <= samples * pageSize {
                mix(UnsafeRawBufferPointer(rebasing: all[headerEnd ..< f.fileSize]))
            } else {
                let stride = (dataSize - pageSize) / (samples - 1)
                for i in 0 ..< samples {
                    let start = headerEnd + i * stride
                    mix(UnsafeRawBufferPointer(rebasing: all[start ..< start + pageSize]))
                }
            }
        }
        return "fnv1a64:" + String(h, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    func leftPadded(to n: Int, with c: Character = "0") -> String {
        count >= n ? self : String(repeating: c, count: n - count) + self
    }
}
