import Foundation
import PackagePlugin

/// Records the git commit a build is made from, for receipts and reports (`ToolIdentity.buildCommit` in Engine).
///
/// A build command runs Plugins/git-commit.sh with /bin/sh: the script asks git for `HEAD` and `status --porcelain`
/// of the package's own checkout and writes `BuildGitCommit.swift` with "<sha>", "<sha>-dirty" or "unknown" (no git,
/// not a checkout such as a source tarball, any error). It reruns when one of its inputs changes: git's HEAD, index
/// and branch ref (a commit, checkout or `git add`), Package.swift, or any file of the package's targets (an edit
/// that makes the build dirty). A prebuild command would run on every build, but SwiftPM skips it on incremental
/// builds (swiftlang/swift-package-manager#5476). The file is rewritten only when its text changes, so a rerun that
/// finds the same commit recompiles nothing. Nothing is fetched; it works offline.
@main
struct GitCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let pkg = context.package.directoryURL
        let script = pkg.appendingPathComponent("Plugins/git-commit.sh")
        let out = context.pluginWorkDirectoryURL.appendingPathComponent("BuildGitCommit.swift")
        var inputs = [script, pkg.appendingPathComponent("Package.swift")] + GitMetadata.files(checkout: pkg)
        for t in context.package.targets {
            if let s = t as? SourceModuleTarget { inputs += s.sourceFiles.map(\.url) }
        }
        return [.buildCommand(displayName: "Recording the git commit of \(target.name)",
                              executable: URL(fileURLWithPath: "/bin/sh"),
                              arguments: [script.path, pkg.path, out.path],
                              environment: [:], inputFiles: inputs, outputFiles: [out])]
    }
}

/// The files git changes when HEAD moves or the index changes: HEAD, index, the checked-out branch's ref and
/// packed-refs, in the checkout's git directory (a `.git` directory, or the `gitdir:` of a worktree's `.git` file,
/// with refs in its `commondir`). Only files that exist; none when this is not a git checkout.
enum GitMetadata {
    static func files(checkout: URL) -> [URL] {
        let fm = FileManager.default
        let dotGit = checkout.appendingPathComponent(".git")
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dotGit.path, isDirectory: &isDir) else { return [] }
        var gitDir = dotGit
        if !isDir.boolValue {
            guard let text = try? String(contentsOf: dotGit, encoding: .utf8), text.hasPrefix("gitdir:") else { return [] }
            let path = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            gitDir = path.hasPrefix("/") ? URL(fileURLWithPath: path) : checkout.appendingPathComponent(path)
        }
        var common = gitDir
        if let c = try? String(contentsOf: gitDir.appendingPathComponent("commondir"), encoding: .utf8) {
            let path = c.trimmingCharacters(in: .whitespacesAndNewlines)
            common = path.hasPrefix("/") ? URL(fileURLWithPath: path) : gitDir.appendingPathComponent(path)
        }
        var files = [gitDir.appendingPathComponent("HEAD"), gitDir.appendingPathComponent("index"),
                     common.appendingPathComponent("packed-refs")]
        if let head = try? String(contentsOf: gitDir.appendingPathComponent("HEAD"), encoding: .utf8), head.hasPrefix("ref:") {
            let ref = head.dropFirst("ref:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            if !ref.contains("..") { files.append(common.appendingPathComponent(ref)) }
        }
        return files.filter { fm.fileExists(atPath: $0.path) }.map(\.standardizedFileURL)
    }
}
