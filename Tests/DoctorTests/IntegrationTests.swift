import Foundation
import SystemFacts
import TestSupport
import Testing
@testable import Doctor

@Suite struct IntegrationTests {
    /// The bridge's `facts` tree equals the `families` of SystemFacts' own JSON encoding (read with Foundation),
    /// so the rules see exactly the contract's tree.
    @Test(arguments: ["tuned-desktop", "laptop-throttling", "container-1cpu", "gpu-driver-missing", "nvidia-gpu-host"])
    func factsBridgeMatchesSystemFactsJSON(_ machine: String) throws {
        let dir = Fixtures.repo.appendingPathComponent("fixtures/machines/\(machine)")
        let report = SystemFacts.collectBlocking(try FactsOptions.fixture(dir.path))
        let encoded = try #require(Fixtures.foundationJSON(report.jsonData()) as? [String: Any])
        let families = try #require(encoded["families"] as? NSDictionary)
        #expect(firstDifference(foundationValue(FactsBridge.families(report)), families, "$") == nil)
        #expect(families.count == 10)
    }

    @Test func envFileParsing() {
        let env = EnvFile.parse("""
        # comment
        export RAYON_NUM_THREADS=1
        OMP_NUM_THREADS = "4"
        QUOTED='a b'
        not a line
        1BAD=x
        EMPTY=
        """)
        #expect(env == ["RAYON_NUM_THREADS": "1", "OMP_NUM_THREADS": "4", "QUOTED": "a b", "EMPTY": ""])
    }

    @Test func environmentOverlayRedactsSecretsByName() {
        let fams = EnvFile.overlay(["HF_TOKEN": "hf_abcdefghijklmnopqrstuvwxyz", "RAYON_NUM_THREADS": "2", "RUSTFLAGS": "-C target-cpu=native"], onto: [:])
        let ev = Evidence.assemble(facts: fams, model: nil, receipt: nil, run: nil)
        #expect(ev.resolve("facts.environment.variables.HF_TOKEN") == "[REDACTED]")
        #expect(ev.resolve("facts.environment.redacted") == ["HF_TOKEN"])
        #expect(ev.resolve("facts.cores.thread_env.RAYON_NUM_THREADS") == "2")
        #expect(ev.resolve("facts.software.rustflags") == "-C target-cpu=native")
    }

    @Test func checkWithoutReceiptOrRunStillDiagnosesTheMachine() throws {
        let (facts, env) = try FactsBridge.collect(fixture: Fixtures.repo.appendingPathComponent("fixtures/machines/laptop-throttling"))
        var inputs = CheckInputs()
        inputs.facts = facts
        inputs.environment = env
        inputs.environmentInFacts = true
        let d = inputs.diagnose(rules: Fixtures.rules)
        #expect(Set(d.findings.filter { $0.severity >= .warning }.map(\.ruleId)) == ["governor-powersave", "thermal-throttle", "background-load"])
        #expect(d.findings.allSatisfy { $0.receipt == nil })
    }
}

/// The first path where two Foundation trees differ (numbers compared by value).
func firstDifference(_ a: Any, _ b: Any, _ path: String) -> String? {
    switch (a, b) {
    case (let x as NSDictionary, let y as NSDictionary):
        let keys = Set(x.allKeys.compactMap { $0 as? String }).union(y.allKeys.compactMap { $0 as? String })
        for k in keys.sorted() {
            guard let xv = x[k], let yv = y[k] else { return "\(path).\(k) (missing on one side)" }
            if let d = firstDifference(xv, yv, "\(path).\(k)") { return d }
        }
        return nil
    case (let x as NSArray, let y as NSArray):
        guard x.count == y.count else { return "\(path) (length \(x.count) vs \(y.count))" }
        for i in 0..<x.count { if let d = firstDifference(x[i], y[i], "\(path)[\(i)]") { return d } }
        return nil
    case (let x as NSNumber, let y as NSNumber):
        return x.doubleValue == y.doubleValue ? nil : "\(path) (\(x) vs \(y))"
    default:
        return (a as? NSObject)?.isEqual(b) == true ? nil : "\(path) (\(a) vs \(b))"
    }
}

@Suite struct ModelBridgeTests {
    /// A real GGUF through ModelInspector lands in the evidence's `model` subtree; the tokenizer and size agree
    /// with the PyPI gguf reader.
    @Test func realModelInspectionFeedsTheEvidence() throws {
        let model = TestEnvironment.testData("models/SmolLM2-135M-Instruct.Q4_1.gguf")
        guard TestEnvironment.shouldRun(needs: model != nil && TestEnvironment.python != nil) else { return }
        let url = try #require(model, "test data missing: run scripts/setup-testdata.sh")
        let doc = try ModelBridge.model(at: url)
        let out = try #require(try Subprocess.python("doctor_gguf_meta.py", [url.path]))
        #expect(out.status == 0, "\(out.stderr)")
        let truth = try #require(Fixtures.foundationJSON(out.stdout) as? [String: Any])
        let ev = Evidence.assemble(facts: nil, model: doc, receipt: nil, run: nil)
        #expect(ev.resolve("model.tokenizer.model")?.stringValue == truth["tokenizer_model"] as? String)
        #expect(ev.resolve("model.tokenizer.pre")?.stringValue == truth["pre"] as? String)
        #expect(ev.resolve("model.architecture")?.stringValue == truth["architecture"] as? String)
        #expect(ev.resolve("model.file.size_bytes")?.doubleValue == (truth["size"] as? NSNumber)?.doubleValue)
        #expect((ev.resolve("model.bytes_per_token")?.doubleValue ?? 0) > 0)
        // Its tokenizer has a pre-tokenizer and its head is Q8_0: neither model rule fires.
        let d = Diagnoser.diagnose([(nil, ev)], rules: Fixtures.rules)
        #expect(!d.findings.contains { ["tokenizer-pre-missing", "embedding-f16"].contains($0.ruleId) })
    }

    @Test func brokenModelFilesAreOneLineErrors() throws {
        let dir = try TestEnvironment.makeTempDir()
        let bad = dir.appendingPathComponent("bad.gguf")
        try Data("GGUF\u{3}\0\0\0garbage".utf8).write(to: bad)
        #expect(throws: ModelBridge.Failure.self) { try ModelBridge.model(at: bad) }
        let json = dir.appendingPathComponent("m.json")
        try Data("{\n \"architecture\": }".utf8).write(to: json)
        do { _ = try ModelBridge.model(at: json) } catch let f as ModelBridge.Failure {
            #expect(f.description.hasSuffix("m.json:2: unexpected character '}'"))
        }
    }
}

@Suite struct RunBracketTests {
    /// Counters are read from the root before and after the body; the body rewrites them, so the expected
    /// values are computed by hand from the two snapshots.
    @Test func bracketsThrottleAndOtherLoad() async throws {
        let root = try TestEnvironment.makeTempDir("bracket")
        let fm = FileManager.default
        func put(_ rel: String, _ text: String) throws {
            let url = root.appendingPathComponent(rel)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let stat = "4242 (bitnet doctor) R 1 4242 4242 0 -1 4194304 100 0 0 0 %d %d 0 0 20 0 1 0 100 0 0\n"
        try put("sys/devices/system/cpu/cpu0/thermal_throttle/core_throttle_count", "10\n")
        try put("sys/devices/system/cpu/cpu1/thermal_throttle/core_throttle_count", "5\n")
        try put("proc/stat", "cpu  1000 0 500 8000 500 0 0 0 0 0\ncpu0 1 2 3 4\n")
        try put("proc/self/stat", String(format: stat, 300, 100))
        let (value, run) = try await RunBracket.measure(root: root) {
            try put("sys/devices/system/cpu/cpu0/thermal_throttle/core_throttle_count", "13\n")
            try put("sys/devices/system/cpu/cpu1/thermal_throttle/core_throttle_count", "9\n")
            // +600 user, +200 system, +1000 idle, +200 iowait: busy +800 of total +2000.
            try put("proc/stat", "cpu  1600 0 700 9000 700 0 0 0 0 0\ncpu0 1 2 3 4\n")
            try put("proc/self/stat", String(format: stat, 700, 200))  // own +500 ticks
            return 7
        }
        #expect(value == 7)
        #expect(run["throttle_delta"] == 7)  // (13 - 10) + (9 - 5)
        #expect(run["busy_fraction_other"] == .number(300.0 / 2000.0))  // (800 - 500) / 2000
        #expect(run["seconds"]?.doubleValue.map { $0 >= 0 } == true)
    }
}
