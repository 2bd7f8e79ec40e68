import ArgumentParser
import Engine
import GGUF

/// How `run` and `bench` load weights: the TL tile configuration and the load-time re-encodings.
struct WeightLoadOptions: ParsableArguments {
    @Flag(help: "Map the weights with 2 MiB pages: re-read the model file's page cache once into 2 MiB folios when it holds 4 KiB ones (later runs, and other engines that mmap the file, get them for free), else copy the weights into anonymous huge pages at load (same results, faster decode; the receipt's weight_layouts says which, or why neither).")
    var hugepages = false
    @Option(help: "Load-time repack of single-scale ternary matrices into I2_S: i2_s also re-encodes TQ1_0 (exact; faster on CPUs without AVX-512, where the TQ1_0 kernel is CPU-bound; 2 bits per weight in memory instead of 1.69); none keeps TQ2_0 as stored (default: TQ2_0 only, exact and smaller).")
    var repack: String?
    @Option(name: .customLong("tl-config"), help: "TL1/TL2 tile configuration BM,BK,bm when the file records none and no published preset has its shapes.")
    var tlConfig: String?

    func validate() throws {
        if let repack, repack != "i2_s", repack != "none" { throw ValidationError("--repack must be i2_s or none") }
        _ = try TLConfig.option(tlConfig)
    }

    /// These choices on top of `base`.
    func apply(to base: ModelOptions) throws -> ModelOptions {
        var o = base
        o.hugePages = hugepages
        if let repack {
            o.repackTernary = repack == "i2_s"
            o.repackTQ2 = repack == "i2_s"
        }
        o.tlConfig = try TLConfig.option(tlConfig)
        return o
    }
}

extension TLConfig {
    /// A `--tl-config BM,BK,bm` value (nil when the option is absent), or the usage error every command gives.
    static func option(_ text: String?) throws -> TLConfig? {
        guard let text else { return nil }
        guard let c = TLConfig(parsing: text) else { throw ValidationError("--tl-config must be BM,BK,bm (three positive integers)") }
        return c
    }
}
