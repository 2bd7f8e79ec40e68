import Foundation
import ModelInspector

/// Synthetic models made once and kept in ~/.cache/bitnet-doctor/models, so `check` and `bench` can measure a
/// machine without downloading anything. The file name carries every synth parameter, so a cached file is
/// always the one those parameters produce.
enum SyntheticModelCache {
    static var directory: URL {
        let env = ProcessInfo.processInfo.environment
        let base = env["BITNET_DOCTOR_CACHE"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/bitnet-doctor")
        return base.appendingPathComponent("models")
    }

    /// The path of the synthetic model for these options, writing it first when it is not cached yet.
    static func model(_ options: SyntheticModel.Options, log: Log) throws -> URL {
        let name = "synthetic-\(options.shape.rawValue)-\(options.format.rawValue)-\(options.architecture.rawValue)-seed\(options.seed).gguf"
        let url = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let partial = url.appendingPathExtension("partial")
        log.info("making the synthetic \(options.shape.rawValue) \(options.format.rawValue) model once: \(url.path)")
        let bar = ProgressBar(label: "synth", log: log)
        try SyntheticModel.write(to: partial.path, options: options) { done, total in bar.update(done, of: total) }
        bar.finish()
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: partial, to: url)
        return url
    }
}
