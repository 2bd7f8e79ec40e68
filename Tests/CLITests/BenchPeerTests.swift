import Foundation
import Testing
import TestSupport
@testable import bitnet_doctor

/// `bench --peer LLAMA_BENCH`: the peer runs with our model, -p/-n and each thread count, one repetition before each of
/// ours (checked through a stand-in llama-bench that logs its arguments and prints llama-bench's JSON), its rows and
/// our ratios (the median of the paired runs' ratios, and their range) come out in JSON and text, and a failing peer
/// is one clear error.
extension EngineCommandTests {
    /// A stand-in llama-bench: appends its arguments to `log`, prints tests with avg_ts 100·threads (pp) and
    /// 10·threads (tg), like llama-bench's `-o json`; exits `status` without output when it is not 0.
    static func fakeLlamaBench(_ dir: URL, status: Int = 0) throws -> (URL, URL) {
        let log = dir.appendingPathComponent("peer-args.txt"), exe = dir.appendingPathComponent("llama-bench")
        let script = """
        #!/bin/sh
        echo "$@" >> \(log.path)
        [ \(status) -ne 0 ] && exit \(status)
        while [ $# -gt 0 ]; do case "$1" in -p) P=$2;; -n) N=$2;; -t) T=$2;; esac; shift; done
        echo "llama-bench log line on stderr [not json]" >&2
        printf '[\\n'
        [ "$P" -gt 0 ] && printf '  {"n_prompt": %d, "n_gen": 0, "n_threads": %d, "avg_ts": %d, "stddev_ts": 0.5},\\n' $P $T $((100 * T))
        printf '  {"n_prompt": 0, "n_gen": %d, "n_threads": %d, "avg_ts": %d, "stddev_ts": 0.25}\\n]\\n' $N $T $((10 * T))
        """
        try script.write(to: exe, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: exe.path)
        return (exe, log)
    }

    @Test func benchRunsThePeerBesideEachThreadCountAndReportsRatios() throws {
        let (dir, model) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (peer, log) = try Self.fakeLlamaBench(dir)
        let r = try CLI.run(["bench", "-m", model.path, "-t", "1,2", "-p", "8", "-n", "4", "-r", "2", "--peer", peer.path, "-o", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let args = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(args == ["1", "1", "2", "2"].map { "-m \(model.path) -p 8 -n 4 -t \($0) -r 1 -o json" })
        let doc = try #require(r.json as? [String: Any])
        let peerDoc = try #require(doc["peer"] as? [String: Any])
        #expect(peerDoc["path"] as? String == peer.path)
        let peerRows = try #require(peerDoc["rows"] as? [[String: Any]])
        #expect(peerRows.map { "\($0["test"] ?? "")@\($0["threads"] ?? "")" } == ["pp8@1", "tg4@1", "pp8@2", "tg4@2"])
        let rows = try #require(doc["rows"] as? [[String: Any]])
        for row in rows {
            let ours = try #require(row["tokens_per_second_mean"] as? Double), t = try #require(row["threads"] as? Int)
            let theirs = Double((row["test"] as? String == "pp8" ? 100 : 10) * t)
            // the stand-in's tok/s is the same in every run, so the paired ratios are our samples ÷ it: two of them,
            // whose median is their mean, and the range is their min and max
            let samples = try #require(row["samples"] as? [Double])
            #expect(samples.count == 2 && abs(samples.reduce(0, +) / 2 - ours) <= 1e-9 * ours)
            let ratio = try #require(row["peer_ratio"] as? Double)
            #expect(abs(ratio - ours / theirs) <= 1e-9 * ratio)
            let lo = try #require(row["peer_ratio_min"] as? Double), hi = try #require(row["peer_ratio_max"] as? Double)
            #expect(abs(lo - samples.min()! / theirs) <= 1e-9 * lo && abs(hi - samples.max()! / theirs) <= 1e-9 * hi)
        }
        let text = try CLI.run(["bench", "-m", model.path, "-t", "1", "-p", "0", "-n", "2", "-r", "1", "--peer", peer.path])
        #expect(text.status == 0 && text.stdout.contains("peer t/s") && text.stdout.contains("10.00 ± 0.00"), "\(text.stdout)")

        let (broken, _) = try Self.fakeLlamaBench(dir.appendingPathComponent("b", isDirectory: true).creatingDirectory(), status: 3)
        let bad = try CLI.run(["bench", "-m", model.path, "-t", "1", "-p", "0", "-n", "2", "-r", "1", "--peer", broken.path])
        #expect(bad.status != 0 && bad.stderr.contains("failed (status 3)") && !bad.stderr.contains("USAGE"), "\(bad.stderr)")
        let missing = try CLI.run(["bench", "-m", model.path, "--peer", dir.appendingPathComponent("nope").path])
        #expect(missing.status != 0 && missing.stderr.contains("--peer must be an executable llama-bench"))
    }
}

extension URL {
    /// Creates this directory (and parents) and returns it.
    func creatingDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}

/// The ratio of a row is the median of the paired runs' ratios: one slow window in either engine moves one pair, not
/// the figure (hand-computed: ours 10, 20, 30 against a peer's 10, 10, 60 pair up as 1, 2, 0.5).
@Suite struct BenchPeerRatioTests {
    @Test func ratioIsTheMedianOfThePairs() {
        var result = BenchResult(modelPath: "m", architecture: "a", blockFormat: "I2_S", formats: [], bytesPerToken: 1,
                                 parity: "bitnet.cpp", kernelPath: "avx2", repetitions: 3, head: "exact", headChoice: nil,
                                 headLogitCosine: nil, headTokensExact: nil, weightLayouts: nil, loadMilliseconds: 0,
                                 tool: [:], bandwidthGBps: [:],
                                 rows: [BenchResult.Row(test: "tg4", threads: 2, tokens: 4, samples: [10, 20, 30])])
        let runs = [10.0, 10, 60].map { BenchPeer.Row(test: "tg4", threads: 2, tokensPerSecondMean: $0, tokensPerSecondStddev: 0, samples: [$0]) }
        let merged = BenchPeer.merge(runs)
        #expect(merged.count == 1 && merged[0].samples == [10, 10, 60] && merged[0].tokensPerSecondMean == 80.0 / 3)
        result.attach(BenchResult.Peer(path: "p", rows: merged))
        #expect(result.rows[0].peerRatio == 1 && result.rows[0].peerRatioMin == 0.5 && result.rows[0].peerRatioMax == 2)
        #expect(result.table(markdown: false).contains("1.00x (0.50-2.00)"))
        // counts that differ (a peer row from a plain -r run): the ratio of the means
        var plain = result
        plain.attach(BenchResult.Peer(path: "p", rows: [BenchPeer.Row(test: "tg4", threads: 2, tokensPerSecondMean: 40,
                                                                      tokensPerSecondStddev: 0)]))
        #expect(plain.rows[0].peerRatio == 0.5 && plain.rows[0].peerRatioMin == nil)
    }
}
