import Doctor

/// Identity of this build, recorded in every report and receipt (one version for the CLI and the Doctor outputs).
enum ToolInfo {
    static let version = DoctorInfo.version
}
