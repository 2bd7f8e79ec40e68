/// The weights of one transformer block. Norm vectors are small f32 copies; matrices stay in the mapped file.
struct LayerWeights: @unchecked Sendable {
    var attnNorm: [Float]
    var q, k, v, o: MatVec
    var qScale, kScale, vScale, oScale: Float?
    var attnSubNorm: [Float]?
    var ffnNorm: [Float]
    var gate, up, down: MatVec
    var gateScale, upScale, downScale: Float?
    var ffnSubNorm: [Float]?

    var matrices: [MatVec] { [q, k, v, o, gate, up, down] }
}

/// All weights of a model.
struct ModelWeights: @unchecked Sendable {
    var tokenEmbedding: MatVec
    var layers: [LayerWeights]
    var outputNorm: [Float]
    /// `output.weight`, or the token embedding when tied.
    var output: MatVec
    var tiedOutput: Bool
}
