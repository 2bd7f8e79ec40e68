import Foundation

/// Memory figures from /proc (nil where not available).
enum MemoryInfo {
    /// MemAvailable from /proc/meminfo.
    static func availableBytes() -> Int? {
        guard let s = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in s.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return nil
    }
}
