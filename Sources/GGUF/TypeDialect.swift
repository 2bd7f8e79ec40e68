/// Which writer's meaning of the colliding type ids 36–39 a file uses.
public enum TypeDialect: String, Sendable, Codable {
    /// Mainline ggml/llama.cpp (39 = MXFP4; 36–38 are removed repack types).
    case mainline
    /// Microsoft's bitnet.cpp fork (36 = I2_S, 37 = I8_S, 38 = TL1, 39 = TL2).
    case bitnetFork = "bitnet_fork"

    /// Architectures only the bitnet.cpp fork defines.
    public static let forkArchitectures: Set<String> = ["bitnet-b1.58", "bitnet-25"]

    /// The dialect the metadata suggests, with the reason, or nil if it says nothing.
    /// `general.file_type` in the fork: 36 TQ1_0, 37 TQ2_0, 38 TL1, 39 TL2, 40 I2_S.
    public static func hint(architecture: String?, fileType: UInt64?) -> (TypeDialect, String)? {
        if let a = architecture, forkArchitectures.contains(a) {
            return (.bitnetFork, "architecture '\(a)' exists only in bitnet.cpp")
        }
        if fileType == 40 { return (.bitnetFork, "general.file_type 40 is bitnet.cpp's I2_S") }
        return nil
    }
}
