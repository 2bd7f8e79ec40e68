import Foundation
import GGUF
import Tokenizers

/// A loaded model: configuration, weights mapped from the file, tokenizer. Create with `Model.load(url:options:)`.
public final class Model: @unchecked Sendable {
    public let config: ModelConfig
    public let options: ModelOptions
    public let source: ModelSource
    public let tokenizer: TextTokenizer?
    let weights: ModelWeights
    /// Milliseconds spent in `load`.
    public let loadMilliseconds: Double
    /// Tensor formats present (weight type names, sorted).
    public let formats: [String]
    /// The dominant format of the transformer-block matrices.
    public let blockFormat: String
    /// Parameter count (elements of every tensor).
    public let parameters: Int
    /// Bytes read per decoded token: every block matrix, the output matrix (the int8 copy for `--head int8` and
    /// `screened`, whose few exact candidate rows per token are not counted), one embedding row.
    public let bytesPerToken: Int
    /// The KV cache size in positions.
    public let contextSize: Int
    /// The file's output matrix when `options.head` replaced it (`weights.output` is then the int8 copy).
    let exactOutput: MatVec?
    let int8Head: Int8Head?
    /// `--head screened`: the int8 copy and per-row bounds (`weights.output` stays the exact head).
    let screenedHead: ScreenedHead?
    /// `--head auto`: what it chose and why, e.g. "auto: screened (the F16 head is 56% of the bytes per token)";
    /// nil when the head was asked for by name.
    public let headChoice: String?
    /// Load-time re-encodings, e.g. "TL2→I2_S (load-time repack): 210 tensors" (empty when the file's bytes run as stored).
    public let weightLayouts: [String]

    init(config: ModelConfig, options: ModelOptions, source: ModelSource, tokenizer: TextTokenizer?, weights: ModelWeights,
         loadMilliseconds: Double, formats: [String], blockFormat: String, parameters: Int, bytesPerToken: Int, contextSize: Int,
         exactOutput: MatVec? = nil, int8Head: Int8Head? = nil, screenedHead: ScreenedHead? = nil, headChoice: String? = nil, weightLayouts: [String] = []) {
        self.weightLayouts = weightLayouts; self.headChoice = headChoice
        self.exactOutput = exactOutput; self.int8Head = int8Head; self.screenedHead = screenedHead
        self.config = config; self.options = options; self.source = source; self.tokenizer = tokenizer
        self.weights = weights; self.loadMilliseconds = loadMilliseconds; self.formats = formats
        self.blockFormat = blockFormat; self.parameters = parameters; self.bytesPerToken = bytesPerToken
        self.contextSize = contextSize
    }

    /// How the model file's map is backed now (nil for sources that are not a mapped file, or no /proc/self/smaps).
    public func filePages() -> MappedPages? { (source as? GGUFModelSource)?.file.storage.mappedPages() }

    /// SHA-256 (hex) of the header, metadata and tensor table, followed by the file size as 8 bytes LE.
    public var identity: String {
        var h = SHA256()
        h.update(source.headerBytes)
        var n = UInt64(source.fileSize).littleEndian
        withUnsafeBytes(of: &n) { h.update($0) }
        return h.finalizeHex()
    }

}
