import Foundation
import PackagePlugin

/// Records the git commit a build is made from, for receipts and reports (`ToolIdentity.buildCommit` in Engine).
///
/// Before every build it runs Plugins/git-commit.sh with /bin/sh: the script asks git for `HEAD` and
/// `status --porcelain` of the package's own checkout and writes `BuildGitCommit.swift` with "<sha>",
/// "<sha>-dirty" or "unknown" (no git, not a checkout, any error). The file is rewritten only when its text changes,
/// so an unchanged commit costs two git calls per build and no recompilation. Nothing is fetched; it works offline.
@main
struct GitCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let dir = context.pluginWorkDirectoryURL.appendingPathComponent("GeneratedSources")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = context.package.directoryURL.appendingPathComponent("Plugins/git-commit.sh")
        let out = dir.appendingPathComponent("BuildGitCommit.swift")
        return [.prebuildCommand(displayName: "Recording the git commit of \(target.name)",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: [script.path, context.package.directoryURL.path, out.path],
                                 environment: [:], outputFilesDirectory: dir)]
    }
}
