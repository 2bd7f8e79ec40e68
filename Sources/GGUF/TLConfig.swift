/// The tile configuration bitnet.cpp's converter uses to lay out a TL1/TL2 tensor (utils/codegen_tl1.py,
/// codegen_tl2.py; `include/kernel_config.ini` with keys m, k, bm, bk, bmm). It is not stored in the
/// file: the published presets are recognised by shape, anything else needs an explicit configuration.
///
/// `M` is the number of rows (ggml `ne1`, the output features), `K` the row length (`ne0`).
public struct TLConfig: Sendable, Hashable, CustomStringConvertible {
    /// Rows per outer tile (`BM`, ini key `bm`).
    public var bigM: Int
    /// Columns per outer tile (`BK`/`BY`, ini key `bk`).
    public var bigK: Int
    /// Rows per inner tile (`bm`, ini key `bmm`).
    public var smallM: Int

    public init(bigM: Int, bigK: Int, smallM: Int) {
        self.bigM = bigM; self.bigK = bigK; self.smallM = smallM
    }

    public var description: String { "\(bigM),\(bigK),\(smallM)" }

    /// Parses `BM,BK,bm` (the `--tl-config` syntax).
    public init?(parsing text: String) {
        let parts = text.split(separator: ",").map { Int($0.filter { $0 != " " }) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2], a > 0, b > 0, c > 0 else { return nil }
        self.init(bigM: a, bigK: b, smallM: c)
    }

    /// One published preset: the shape it applies to and the model it comes from.
    public struct Preset: Sendable, Hashable {
        public var model: String
        public var rows: Int
        public var cols: Int
        public var config: TLConfig
    }

    /// The configurations microsoft/BitNet's setup_env.py generates (the `codegen_tl1.py`/`codegen_tl2.py`
    /// arguments; they overwrite include/kernel_config.ini, which the converter then reads). For TL1 they equal
    /// preset_kernels/*/kernel_config_tl1.ini except Llama3-8B; the x86 TL2 ones always use bm = 32 (the
    /// converter's TL2 path only works with bm = 32). BitNet-b1.58-2B-4T has no preset of its shapes.
    public static let presetsTL1: [Preset] = [
        p("bitnet_b1_58-large", 1536, 4096, 256, 128, 32), p("bitnet_b1_58-large", 1536, 1536, 128, 64, 64),
        p("bitnet_b1_58-large", 4096, 1536, 256, 128, 32),
        p("bitnet_b1_58-3B", 3200, 8640, 160, 64, 32), p("bitnet_b1_58-3B", 3200, 3200, 320, 128, 64),
        p("bitnet_b1_58-3B", 8640, 3200, 320, 64, 32),
        p("Llama3-8B-1.58-100B-tokens", 14336, 4096, 256, 128, 32), p("Llama3-8B-1.58-100B-tokens", 4096, 14336, 128, 64, 64),
        p("Llama3-8B-1.58-100B-tokens", 1024, 4096, 256, 128, 32), p("Llama3-8B-1.58-100B-tokens", 4096, 4096, 128, 64, 64),
    ]

    public static let presetsTL2: [Preset] = [
        p("bitnet_b1_58-large", 1536, 4096, 256, 96, 32), p("bitnet_b1_58-large", 1536, 1536, 128, 192, 32),
        p("bitnet_b1_58-large", 4096, 1536, 256, 96, 32),
        p("bitnet_b1_58-3B", 3200, 8640, 160, 96, 32), p("bitnet_b1_58-3B", 3200, 3200, 320, 96, 32),
        p("bitnet_b1_58-3B", 8640, 3200, 320, 96, 32),
        p("Llama3-8B-1.58-100B-tokens", 14336, 4096, 256, 96, 32), p("Llama3-8B-1.58-100B-tokens", 4096, 14336, 128, 96, 32),
        p("Llama3-8B-1.58-100B-tokens", 1024, 4096, 256, 96, 32), p("Llama3-8B-1.58-100B-tokens", 4096, 4096, 128, 96, 32),
    ]

    private static func p(_ model: String, _ m: Int, _ k: Int, _ bigM: Int, _ bigK: Int, _ smallM: Int) -> Preset {
        Preset(model: model, rows: m, cols: k, config: TLConfig(bigM: bigM, bigK: bigK, smallM: smallM))
    }

    /// The published configuration for a `rows` × `cols` weight in `format` (.tl1 or .tl2), if any.
    public static func preset(_ format: TensorFormat, rows: Int, cols: Int) -> TLConfig? {
        let list = format == .tl1 ? presetsTL1 : format == .tl2 ? presetsTL2 : []
        return list.first { $0.rows == rows && $0.cols == cols }?.config
    }
}
