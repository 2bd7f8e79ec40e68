// GGUF module. See docs/architecture.md for what belongs here.
public enum GGUFModule {
    public static let name = "GGUF"
}
