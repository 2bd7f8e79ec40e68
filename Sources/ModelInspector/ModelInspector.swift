// ModelInspector module. See docs/architecture.md for what belongs here.
public enum ModelInspectorModule {
    public static let name = "ModelInspector"
}
