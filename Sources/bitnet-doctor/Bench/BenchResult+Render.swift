import Foundation

extension BenchResult {
    /// A llama-bench style table; `markdown` adds the pipe borders a Markdown renderer needs.
    func table(markdown: Bool) -> String {
        var header = ["model", "format", "bytes/token", "threads", "test", "t/s", "roofline t/s", "efficiency"]
        if peer != nil { header += ["peer t/s", "ratio"] }
        var lines: [[String]] = []
        let name = URL(fileURLWithPath: modelPath).lastPathComponent
        for r in rows {
            var cells = [
                name, blockFormat, Self.bytes(bytesPerToken), String(r.threads), r.test,
                String(format: "%.2f ± %.2f", r.tokensPerSecondMean, r.tokensPerSecondStddev),
                r.rooflineTokensPerSecond.map { String(format: "%.2f", $0) } ?? "",
                r.rooflineEfficiency.map { String(format: "%.0f%%", $0 * 100) } ?? "",
            ]
            if let peer {
                let q = peer.rows.first { $0.test == r.test && $0.threads == r.threads }
                cells += [q.map { String(format: "%.2f ± %.2f", $0.tokensPerSecondMean, $0.tokensPerSecondStddev) } ?? "",
                          r.peerRatio.map { ratio in
                              let range = r.peerRatioMin.flatMap { lo in r.peerRatioMax.map { hi in
                                  lo == hi ? "" : String(format: " (%.2f-%.2f)", lo, hi) } } ?? ""
                              return String(format: "%.2fx", ratio) + range
                          } ?? ""]
            }
            lines.append(cells)
        }
        let widths = header.indices.map { i in ([header[i]] + lines.map { $0[i] }).map(\.count).max() ?? 0 }
        func row(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
            return markdown ? "| " + padded.joined(separator: " | ") + " |" : padded.joined(separator: "  ")
        }
        var out = [row(header)]
        out.append(markdown ? "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
                            : widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        out += lines.map(row)
        let bw = bandwidthGBps.sorted { Int($0.key)! < Int($1.key)! }
            .map { "\($0.key) thread\($0.key == "1" ? "" : "s"): \(String(format: "%.1f", $0.value)) GB/s" }
            .joined(separator: ", ")
        out.append("")
        out.append("memory read bandwidth: \(bw); kernels: \(kernelPath); parity: \(parity); \(repetitions) repetitions")
        if let p = weightPages, p.residentBytes > 0 {
            out.append(String(format: "model file map: %.0f%% of %@ resident in 2 MiB pages (the page cache's folios; "
                              + "--hugepages re-reads a file held in 4 KiB ones)",
                              100 * Double(p.hugeBytes) / Double(p.residentBytes), Self.bytes(p.residentBytes)))
        }
        let cosine = headLogitCosine.map { String(format: " (logit cosine %.6f vs the exact head)", $0) } ?? ""
        let screened = rows.filter { $0.headFallbacks != nil }.map {
            String(format: "%d thread%@: %.1f mean, %d max, %d fallbacks", $0.threads, $0.threads == 1 ? "" : "s",
                   $0.headCandidatesMean ?? 0, $0.headCandidatesMax ?? 0, $0.headFallbacks ?? 0)
        }
        let exactNote = headTokensExact == true
            ? " (greedy tokens exact; exact candidate rows per token: \(screened.joined(separator: "; ")))" : ""
        let choice = headChoice.map { " [\($0)]" } ?? ""
        out.append("head: \(head)\(choice)\(cosine)\(exactNote); load \(String(format: "%.0f", loadMilliseconds)) ms; "
                   + "layouts: \(weightLayouts?.joined(separator: "; ") ?? "as stored in the file"); "
                   + "bitnet-doctor \(tool["version"] ?? "?") (commit \(tool["commit"] ?? "unknown"))")
        if let peer {
            out.append("peer: \(peer.path) (llama-bench with the same model, -p/-n and threads, one repetition right before each of "
                       + "ours; ratio = ours ÷ peer, the median of the paired runs, their range in brackets)")
        }
        return out.joined(separator: "\n")
    }

    static func bytes(_ n: Int) -> String {
        n >= 1 << 30 ? String(format: "%.2f GiB", Double(n) / Double(1 << 30))
            : String(format: "%.1f MiB", Double(n) / Double(1 << 20))
    }
}
