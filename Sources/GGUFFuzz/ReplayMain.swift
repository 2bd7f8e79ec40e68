#if !FUZZING
import Foundation

/// Without -sanitize=fuzzer (built normally): replays corpus files or directories given as arguments
/// through the same entry point, so the corpus doubles as a regression suite.
@main
struct GGUFFuzzReplay {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        if args.isEmpty {
            FileHandle.standardError.write(Data("usage: GGUFFuzz FILE|DIR...  (replays inputs; build with -sanitize=fuzzer -DFUZZING to fuzz)\n".utf8))
            exit(2)
        }
        var n = 0
        for a in args {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: a, isDirectory: &isDir) else { continue }
            let files = isDir.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: a)) ?? []).sorted().map { a + "/" + $0 }
                : [a]
            for file in files {
                guard let d = FileManager.default.contents(atPath: file) else { continue }
                FuzzEntry.run(Array(d))
                n += 1
            }
        }
        print("replayed \(n) inputs")
    }
}
#endif
