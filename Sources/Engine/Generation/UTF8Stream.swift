/// Joins token bytes and releases only complete UTF-8 sequences (a character split over tokens waits).
struct UTF8Stream {
    private var pending: [UInt8] = []

    mutating func push(_ bytes: [UInt8]) -> String {
        pending += bytes
        var end = pending.count
        // Hold back an incomplete trailing sequence (at most 3 bytes).
        var i = pending.count - 1, back = 0
        while i >= 0 && back < 4 {
            let b = pending[i]
            if b & 0xC0 != 0x80 {
                let need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                if pending.count - i < need { end = i }
                break
            }
            i -= 1; back += 1
        }
        let out = String(decoding: pending[0..<end], as: UTF8.self)
        pending.removeFirst(end)
        return out
    }

    /// Whatever is left (invalid bytes become U+FFFD).
    mutating func flush() -> String { defer { pending = [] }; return String(decoding: pending, as: UTF8.self) }
}
