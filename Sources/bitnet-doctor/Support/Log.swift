import Foundation

/// Progress and logs for people: always on stderr, colour and progress bars only on a terminal and never
/// with NO_COLOR. Machine output goes to stdout through `print`, never through this.
struct Log: Sendable {
    var quiet = false
    let isTerminal: Bool = isatty(STDERR_FILENO) == 1
    var colour: Bool { isTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    func info(_ message: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    func raw(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

/// A one-line progress bar on stderr, drawn only on a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let log: Log
    private var lastPercent = -1

    init(label: String, log: Log) { self.label = label; self.log = log }

    func update(_ done: Int, of total: Int) {
        guard log.isTerminal, !log.quiet, total > 0 else { return }
        let pct = min(100, done * 100 / total)
        guard pct != lastPercent else { return }
        lastPercent = pct
        let width = 30, filled = pct * width / 100
        log.raw("\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(pct)%")
    }

    func finish() { if log.isTerminal && !log.quiet && lastPercent >= 0 { log.raw("\n") } }
}
