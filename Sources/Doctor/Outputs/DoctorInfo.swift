import Engine

/// Identity of this build, recorded in every check document, report and SARIF run.
public enum DoctorInfo {
    public static let version = "0.1.0"
    /// The git commit the binary was built from ("<sha>", "<sha>-dirty") or "unknown" (Plugins/GitCommitPlugin).
    public static let commit = ToolIdentity.buildCommit
    public static let informationURI = "https://github.com/bitnet-doctor/bitnet-doctor"

    /// `{"name", "version", "commit"}` as the outputs write it.
    public static var tool: JSONValue {
        ["name": "bitnet-doctor", "version": .string(version), "commit": .string(commit)]
    }
}
