import Foundation
import Testing
@testable import Doctor

/// rules/reference-speeds.json against real measurements: every healthy decode run committed in
/// fixtures/receipts/measured (our `bench` JSON and the peers' llama-bench JSON of the same windows, with the read
/// bandwidth `bench` measured in that window; docs/performance.md "Current standing") must stay clear of
/// `below-expected`, with room for the noise we measured.
@Suite struct ReferenceSpeedTests {
    /// How far above the `below-expected` line (half the expected speed) every healthy run must be.
    static let margin = 1.5
    static let measured = Fixtures.receipts.appendingPathComponent("measured")

    struct Window {
        var bandwidth: [Int: Double]
        var bytesPerToken: Double
        var format: String
        var rows: [(threads: Int, tps: Double, samples: [Double])]
    }

    /// A `bitnet-doctor bench --output json` file: bandwidth per thread count, bytes per token, decode rows.
    static func bench(_ name: String) throws -> Window {
        let d = try JSONParser.parse(Data(contentsOf: measured.appendingPathComponent(name))).value
        var bw: [Int: Double] = [:]
        for (k, v) in d["bandwidth_gbps"]?.objectValue ?? [:] { if let t = Int(k), let g = v.doubleValue { bw[t] = g } }
        let rows = (d["rows"]?.arrayValue ?? []).filter { $0["test"]?.stringValue?.hasPrefix("tg") == true }.map {
            (threads: Int($0["threads"]?.doubleValue ?? 0), tps: $0["tokens_per_second_mean"]?.doubleValue ?? 0,
             samples: $0["samples"]?.arrayValue?.compactMap(\.doubleValue) ?? [])
        }
        return Window(bandwidth: bw, bytesPerToken: d["bytes_per_token"]?.doubleValue ?? 0,
                      format: (d["block_format"]?.stringValue ?? "").lowercased(), rows: rows)
    }

    static func files(_ prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: measured.path)) ?? []).filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Diagnoses one receipt on the window's bandwidth and bytes per token; returns whether below-expected fired
    /// and how far the run's efficiency is above the line where it would.
    static func judge(_ receipt: JSONValue, bandwidth: Double, bytesPerToken: Double, format: String) throws -> (fired: Bool, ratio: Double) {
        var i = CheckInputs()
        i.model = ["bytes_per_token": .number(bytesPerToken), "ternary_format": .string(format)]
        i.run = ["bandwidth_gbps": .number(bandwidth)]
        i.receipts = [("measured", receipt)]
        let ev = i.evidence(speeds: Fixtures.rules.speeds)[0].evidence
        let eff = try #require(ev.resolve("derived.efficiency")?.doubleValue)
        let expected = try #require(ev.resolve("derived.expected_efficiency")?.doubleValue)
        let fired = i.diagnose(rules: Fixtures.rules).findings.contains { $0.ruleId == "below-expected" }
        return (fired, eff / (0.5 * expected))
    }

    @Test func ourMeasuredRunsAreClearOfBelowExpected() throws {
        let names = Self.files("bitnet-doctor-bench-")
        try #require(names.count >= 10, "fixtures/receipts/measured has our bench outputs")
        let template = try ReceiptReader.read(Fixtures.receipts.appendingPathComponent("bitnet-doctor.json"))
        var checked = 0
        for name in names {
            let w = try Self.bench(name)
            for row in w.rows {
                let bw = try #require(w.bandwidth[row.threads], "\(name): no bandwidth for \(row.threads) threads")
                let r = template.merged(with: ["tokens_per_second": .number(row.tps), "threads": .number(Double(row.threads)),
                                               "samples_tokens_per_second": .array(row.samples.map { .number($0) }),
                                               "model": ["format": .string(w.format)]])
                let (fired, ratio) = try Self.judge(r, bandwidth: bw, bytesPerToken: w.bytesPerToken, format: w.format)
                #expect(!fired, "\(name) t=\(row.threads): below-expected on a healthy run")
                #expect(ratio >= Self.margin, "\(name) t=\(row.threads): only \(ratio)x above the below-expected line")
                checked += 1
            }
        }
        #expect(checked >= 20)
    }

    /// bitnet.cpp (I2_S) and llama.cpp (TQ2_0) in the windows where our bench measured the bandwidth.
    @Test func peersMeasuredRunsAreClearOfBelowExpected() throws {
        var checked = 0
        for (prefix, engine, benchKind) in [("llama-bench-bitnet-cpp-i2_s-", "bitnet.cpp", "i2_s"),
                                            ("llama-bench-llama-cpp-tq2_0-", "llama.cpp", "tq2_0")] {
            for name in Self.files(prefix) {
                let stamp = String(name.dropLast(".json".count).suffix("20261127T1718Z".count))
                let benchName = "bitnet-doctor-bench-\(benchKind)-2b4t-synth-\(stamp).json"
                guard FileManager.default.fileExists(atPath: Self.measured.appendingPathComponent(benchName).path) else { continue }
                let w = try Self.bench(benchName)
                let base = try ReceiptReader.read(Self.measured.appendingPathComponent(name))
                #expect(base["engine"]?.stringValue == engine)
                let rows = try #require(try JSONParser.parse(Data(contentsOf: Self.measured.appendingPathComponent(name))).value.arrayValue)
                for row in rows where (row["n_gen"]?.doubleValue ?? 0) > 0 {
                    let threads = Int(row["n_threads"]?.doubleValue ?? 0)
                    let tps = try #require(row["avg_ts"]?.doubleValue)
                    let bw = try #require(w.bandwidth[threads])
                    let r = base.merged(with: ["tokens_per_second": .number(tps), "threads": .number(Double(threads)),
                                               "samples_tokens_per_second": row["samples_ts"] ?? .array([])])
                    let (fired, ratio) = try Self.judge(r, bandwidth: bw, bytesPerToken: w.bytesPerToken, format: benchKind)
                    #expect(!fired, "\(name) t=\(threads): below-expected on a healthy run")
                    #expect(ratio >= Self.margin, "\(name) t=\(threads): only \(ratio)x above the below-expected line")
                    checked += 1
                }
            }
        }
        #expect(checked >= 16)
    }

    /// Every measured entry carries a note saying where its number comes from.
    @Test func measuredEntriesCiteTheirSource() throws {
        for (engine, format) in [("bitnet-doctor", "i2_s"), ("bitnet-doctor", "tq2_0"), ("bitnet-doctor", "tq1_0"),
                                 ("bitnet.cpp", "i2_s"), ("llama.cpp", "tq2_0")] {
            let e = try #require(Fixtures.rules.speeds.entry(engine: engine, format: format, backend: "cpu"))
            #expect(e.engine == engine && e.format == format)
            #expect(e.note?.isEmpty == false, "\(engine)/\(format) has no note")
        }
    }
}
