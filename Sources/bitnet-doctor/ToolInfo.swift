/// Identity of this build, recorded in every report and receipt.
enum ToolInfo {
    static let version = "0.1.0"
}
