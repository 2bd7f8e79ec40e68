import Foundation

/// A peer engine's `llama-bench` (bitnet.cpp's or llama.cpp's build) run beside `bitnet-doctor bench` with the same
/// model, prompt and decode lengths, repetitions and thread count, right before our own measurement at that thread
/// count, so each ratio compares runs seconds apart (the memory bandwidth of a shared host moves between minutes).
struct BenchPeer {
    let path: String
    /// Per run; llama-bench repeats the whole test `-r` times.
    var timeout: TimeInterval = 600

    struct Row: Codable, Sendable, Equatable {
        var test: String
        var threads: Int
        var tokensPerSecondMean: Double
        var tokensPerSecondStddev: Double
        /// The tok/s of each run, in order (one per repetition when the runs alternate with ours).
        var samples: [Double] = []
        enum CodingKeys: String, CodingKey {
            case test, threads, samples
            case tokensPerSecondMean = "tokens_per_second_mean"
            case tokensPerSecondStddev = "tokens_per_second_stddev"
        }
    }

    /// Rows of single-repetition runs merged per (test, threads), in first-seen order: their samples in run order,
    /// mean and sample standard deviation as `bench` computes its own.
    static func merge(_ runs: [Row]) -> [Row] {
        var order: [String] = [], by: [String: Row] = [:]
        for r in runs {
            let key = "\(r.test)@\(r.threads)"
            if by[key] == nil { order.append(key); by[key] = Row(test: r.test, threads: r.threads, tokensPerSecondMean: 0, tokensPerSecondStddev: 0) }
            by[key]!.samples += r.samples
        }
        return order.map { key in
            var row = by[key]!
            (row.tokensPerSecondMean, row.tokensPerSecondStddev) = BenchResult.meanAndStddev(row.samples)
            return row
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The peer's pp/tg rows for one thread count: `llama-bench -m MODEL -p P -n N -t T -r R -o json`.
    func run(model: String, prompt: Int, gen: Int, threads: Int, repetitions: Int) throws -> [Row] {
        let args = ["-m", model, "-p", String(prompt), "-n", String(gen), "-t", String(threads), "-r", String(repetitions),
                    "-o", "json"]
        var p = Process(), out = Pipe()
        // ETXTBSY (a freshly written peer still held open by another thread's fork) clears within milliseconds.
        for attempt in 0... {
            p = Process()
            out = Pipe()
            p.executableURL = URL(fileURLWithPath: path)
            p.arguments = args
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            do { try p.run(); break } catch {
                if (error as NSError).code == Int(ETXTBSY), attempt < 50 { usleep(10_000); continue }
                throw Failure(description: "peer \(path) did not start: \(error.localizedDescription)")
            }
        }
        let killer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        killer.cancel()
        guard p.terminationReason == .exit, p.terminationStatus == 0 else {
            throw Failure(description: "peer \(path) \(args.joined(separator: " ")) failed (status \(p.terminationStatus))")
        }
        return try Self.parse(data, threads: threads)
    }

    /// llama-bench's JSON: an array of tests with n_prompt, n_gen, n_threads, avg_ts, stddev_ts.
    static func parse(_ data: Data, threads: Int) throws -> [Row] {
        guard let tests = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw Failure(description: "peer output is not llama-bench JSON")
        }
        return try tests.map { t in
            guard let avg = (t["avg_ts"] as? NSNumber)?.doubleValue else { throw Failure(description: "peer test without avg_ts") }
            let np = (t["n_prompt"] as? NSNumber)?.intValue ?? 0, ng = (t["n_gen"] as? NSNumber)?.intValue ?? 0
            return Row(test: np > 0 ? "pp\(np)" : "tg\(ng)", threads: (t["n_threads"] as? NSNumber)?.intValue ?? threads,
                       tokensPerSecondMean: avg, tokensPerSecondStddev: (t["stddev_ts"] as? NSNumber)?.doubleValue ?? 0,
                       samples: [avg])
        }
    }
}
