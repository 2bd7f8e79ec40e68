// Doctor module. See docs/architecture.md for what belongs here.
public enum DoctorModule {
    public static let name = "Doctor"
}
