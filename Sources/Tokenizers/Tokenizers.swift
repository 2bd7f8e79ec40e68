// Tokenizers module. See docs/architecture.md for what belongs here.
public enum TokenizersModule {
    public static let name = "Tokenizers"
}
