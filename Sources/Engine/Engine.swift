// Engine module. See docs/architecture.md for what belongs here.
public enum EngineModule {
    public static let name = "Engine"
}
