import Foundation
import ModelInspector
import TestSupport
@testable import Engine

/// Synthetic models written with ModelInspector's `synth` (same seed ⇒ same weights in every format).
enum SynthFixtures {
    static let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("bitnet-doctor-engine-synth-\(getpid())")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }()
    nonisolated(unsafe) static var made: Set<String> = []
    static let lock = NSLock()

    /// Path of the tiny model for (arch, format, seed), written on first use.
    static func model(_ arch: SyntheticModel.Architecture, _ format: SyntheticModel.WeightFormat, seed: UInt64 = 7,
                      interleave: Int = 128) throws -> URL {
        let url = dir.appendingPathComponent("\(arch.rawValue)-\(format.rawValue)-\(seed)-\(interleave).gguf")
        lock.lock(); defer { lock.unlock() }
        if !made.contains(url.path) {
            try SyntheticModel.write(to: url.path, options: .init(shape: .tiny, format: format, architecture: arch,
                                                                 seed: seed, i2sInterleave: interleave))
            made.insert(url.path)
        }
        return url
    }

    static func session(_ url: URL, parity: Parity = .bitnet, threads: Int = 1, interleave: Int? = nil,
                        repack: Bool = true, head: HeadPrecision = .exact) throws -> Session {
        var o = ModelOptions()
        o.head = head
        o.repackTernary = repack
        o.repackTQ2 = repack
        o.parity = parity
        o.threads = threads
        o.i2sInterleave = interleave
        o.contextSize = 128
        return Session(model: try Model.load(url: url, options: o))
    }
}
