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

    /// The embedded default model of `check`: 2B-4T-shaped, I2_S, seed 0.
    static func defaultModel() throws -> URL { try model(SyntheticModel.Options(shape: .b2_4t, format: .i2_s)) }

    /// The path of the synthetic model for these options, writing it first when it is not cached yet.
    static func model(_ options: SyntheticModel.Options) throws -> URL {
        let name = "synthetic-\(options.shape.rawValue)-\(options.format.rawValue)-\(options.architecture.rawValue)-seed\(options.seed).gguf"
        let url = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let partial = url.appendingPathExtension("partial")
        Log.progress("making the synthetic \(options.shape.rawValue) \(options.format.rawValue) model once: \(url.path)")
        let bar = ProgressBar(label: "synth")
        try SyntheticModel.write(to: partial.path, options: options) { done, total in bar.update(done, of: total) }
        bar.finish()
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: partial, to: url)
        return url
    }
}
