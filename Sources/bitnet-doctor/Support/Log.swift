import Foundation

/// Progress and logs for people go to stderr; machine output goes to stdout through `out`/`print`.
/// Colour and progress bars only on a terminal, and never with NO_COLOR.
enum Log {
    static func error(_ s: String) { FileHandle.standardError.write(Data("error: \(s)\n".utf8)) }
    static func progress(_ s: String) { FileHandle.standardError.write(Data("\(s)\n".utf8)) }
    static func out(_ s: String) { FileHandle.standardOutput.write(Data(s.utf8)) }
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) != 0 }
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) != 0 }
    static var colourAllowed: Bool { ProcessInfo.processInfo.environment["NO_COLOR"] == nil }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private var lastPercent = -1

    init(label: String) { self.label = label }

    func update(_ done: Int, of total: Int) {
        guard Log.stderrIsTTY, total > 0 else { return }
        let pct = min(100, done * 100 / total)
        guard pct != lastPercent else { return }
        lastPercent = pct
        let width = 30, filled = pct * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(pct)%".utf8))
    }

    func finish() { if Log.stderrIsTTY && lastPercent >= 0 { FileHandle.standardError.write(Data("\n".utf8)) } }
}
