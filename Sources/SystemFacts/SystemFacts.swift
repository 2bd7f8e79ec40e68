// SystemFacts module. See docs/architecture.md for what belongs here.
public enum SystemFactsModule {
    public static let name = "SystemFacts"
}
