import ArgumentParser
import Engine
import GGUF

/// How `run` and `bench` load weights: the TL tile configuration and the load-time re-encodings.
struct WeightLoadOptions: ParsableArguments {
    @Flag(help: "Map the weights with 2 MiB pages: re-read the model file's page cache once into 2 MiB folios when it holds 4 KiB ones (later runs, and other engines that mmap the file, get them for free), else copy the weights into anonymous huge pages at load (same results, faster decode; the receipt's weight_layouts says which, or why neither).")
    var hugepages = false
    @Option(help: "Load-time repack of ternary matrices (all exact): i2_s also re-encodes single-scale TQ1_0 as I2_S (faster on CPUs without AVX-512, where the TQ1_0 kernel is CPU-bound; 2 bits per weight instead of 1.69); tq1_0 re-encodes I2_S as TQ1_0 (1.69 bits per weight: faster bandwidth-bound decode on AVX-512 VNNI CPUs, declined with the reason elsewhere); none keeps TQ2_0 as stored (default: TQ2_0 → I2_S only, exact and smaller).")
    var repack: String?
    @Option(name: .customLong("tl-config"), help: "TL1/TL2 tile configuration BM,BK,bm when the file records none and no published preset has its shapes.")
    var tlConfig: String?

    func validate() throws {
        if let repack, !["i2_s", "tq1_0", "none"].contains(repack) { throw ValidationError("--repack must be i2_s, tq1_0 or none") }
        _ = try TLConfig.option(tlConfig)
    }

    /// These choices on top of `base`.
    func apply(to base: ModelOptions) throws -> ModelOptions {
        var o = base
        o.hugePages = hugepages
        if let repack {
            o.repackTernary = repack == "i2_s"
            o.repackTQ2 = repack != "none"
            o.repackI2SToTQ1 = repack == "tq1_0"
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
