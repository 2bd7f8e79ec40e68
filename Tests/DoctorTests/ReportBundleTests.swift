import Foundation
import Crypto
import Testing
import TestSupport
import ZIPFoundation
@testable import Doctor

@Suite struct ReportBundleTests {
    static let secrets = ["hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345", "ghp_0123456789abcdefghijABCDEFGHIJ0123",
                          "AKIAIOSFODNN7EXAMPLE", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlMTIz",
                          "hunter2pass", "s3cr3t-db-pw", "plantedhost-7", "alice", "3c:22:fb:12:34:56", "192.168.17.42",
                          "fe80::1c2b:3dff:fe4a:5e6f"]

    /// A machine root and environment with secrets planted in the env file, host name, receipts and snapshots.
    func plantedInputs() throws -> CheckInputs {
        let root = try TestEnvironment.makeTempDir("doctor-root")
        let fm = FileManager.default
        func put(_ rel: String, _ text: String) throws {
            let url = root.appendingPathComponent(rel)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try put("etc/hostname", "plantedhost-7\n")
        try put("proc/cpuinfo", "processor\t: 0\nmodel name\t: AMD Ryzen 7 7700X\nflags\t\t: avx2 fma\n")
        try put("proc/loadavg", "0.31 0.20 0.10 1/234 5678\n")
        try put("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance\n")
        try put("sys/class/hwmon/hwmon0/name", "k10temp\n")
        try put("sys/class/hwmon/hwmon0/temp1_input", "55000\n")
        try put("sys/class/net/eth0/address", "3c:22:fb:12:34:56\n")  // not a snapshot pattern: must not be copied
        try put("proc/version", "Linux version 6.8.0 (builder@plantedhost-7) inet 192.168.17.42 mac 3c:22:fb:12:34:56 v6 fe80::1c2b:3dff:fe4a:5e6f\n")
        var i = try Fixtures.scenario("clean-tuned-desktop").inputs
        i.root = root
        i.environment.merge([
            "HF_TOKEN": Self.secrets[0], "GITHUB_TOKEN": Self.secrets[1], "AWS_ACCESS_KEY_ID": Self.secrets[2],
            "SOME_JWT_VALUE": Self.secrets[3], "DATABASE_URL": "postgres://admin:\(Self.secrets[5])@db.internal:5432/x",
            "MY_PASSWORD": Self.secrets[4], "HOSTNAME": "plantedhost-7", "USER": "alice", "HOME": "/home/alice",
            "MODEL_DIR": "/home/alice/models", "NOTE": "token ghp_0123456789abcdefghijABCDEFGHIJ0123 from 192.168.17.42",
        ]) { _, b in b }
        let receipt = try TestEnvironment.makeTempDir().appendingPathComponent("receipt.json")
        var r = try String(contentsOf: Fixtures.receipts.appendingPathComponent("bitnet-doctor.json"), encoding: .utf8)
        r = r.replacingOccurrences(of: "\"environment\": {}", with: "\"environment\": {\"HF_TOKEN\": \"\(Self.secrets[0])\", \"HOST\": \"plantedhost-7\"}")
        try Data(r.utf8).write(to: receipt)
        i.receipts = []
        try i.addReceipts([receipt])
        return i
    }

    func assertClean(_ text: String, _ where_: String) {
        for s in Self.secrets { #expect(!text.contains(s), "\(where_) leaks \(s)") }
    }

    @Test func reportContainsNoPlantedSecret() throws {
        let i = try plantedInputs()
        let report = Report.build(inputs: i, diagnosis: i.diagnose(rules: Fixtures.rules))
        assertClean(report.markdown, "perf_debug.md")
        assertClean(report.json.serialized(), "perf_debug.json")
        let dir = try TestEnvironment.makeTempDir()
        try report.write(to: dir)
        let json = try Fixtures.foundationJSON(Data(contentsOf: dir.appendingPathComponent("perf_debug.json"))) as! [String: Any]
        #expect(Set(json.keys).isSuperset(of: ["facts", "model", "receipts", "findings", "environment", "verdict"]))
        // Useful content survives redaction.
        #expect(report.markdown.contains("AMD Ryzen 7 7700X"))
        #expect(report.json.at("environment.MODEL_DIR") == "/home/[user]/models")
        #expect(report.json.at("environment.HF_TOKEN") == "[REDACTED]")
        // The redaction log names kinds and places, never values.
        let kinds = Set(report.redactions.map(\.kind))
        #expect(kinds.isSuperset(of: ["secret-named variable", "host name", "home-directory user name", "URL credentials"]))
    }

    @Test func bundleZipContainsNoPlantedSecretAndAValidManifest() throws {
        let i = try plantedInputs()
        let report = Report.build(inputs: i, diagnosis: i.diagnose(rules: Fixtures.rules))
        let url = try TestEnvironment.makeTempDir().appendingPathComponent("bundle.zip")
        try BugBundle.write(inputs: i, report: report, to: url)
        let archive = try Archive(url: url, accessMode: .read)
        var files: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            files[entry.path] = data
            assertClean(String(decoding: data, as: UTF8.self), entry.path)
            assertClean(entry.path, "entry name")
        }
        for name in ["perf_debug.md", "perf_debug.json", "redactions.json", "MANIFEST", "snapshots/proc/cpuinfo",
                     "snapshots/proc/version", "snapshots/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
                     "snapshots/sys/class/hwmon/hwmon0/temp1_input", "receipts/receipt.json"] {
            #expect(files[name] != nil, "missing \(name)")
        }
        #expect(files["snapshots/sys/class/net/eth0/address"] == nil)
        #expect(String(decoding: files["snapshots/proc/version"] ?? Data(), as: UTF8.self).contains("[hostname]"))
        // MANIFEST: sha256 of every other entry, checked with swift-crypto over the extracted bytes.
        let manifest = String(decoding: files["MANIFEST"] ?? Data(), as: UTF8.self)
        var listed: Set<String> = []
        for line in manifest.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let data = try #require(files[parts[1]])
            #expect(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() == parts[0])
            listed.insert(parts[1])
        }
        #expect(listed == Set(files.keys).subtracting(["MANIFEST"]))
        // Every redaction entry has location, kind, reason and count, and no value field.
        let red = try #require(Fixtures.foundationJSON(files["redactions.json"]!) as? [String: Any])
        for r in try #require(red["redactions"] as? [[String: Any]]) {
            #expect(Set(r.keys) == ["location", "kind", "reason", "count"])
        }
    }

    @Test(arguments: [
        ("see https://user:pa55word@example.com/x", "see https://[REDACTED]@example.com/x"),
        ("from 10.0.0.7 and 127.0.0.1", "from [IP] and 127.0.0.1"),
        ("kernel 6.8.0-45-generic, CUDA 12.4.131", "kernel 6.8.0-45-generic, CUDA 12.4.131"),
        ("API_KEY=abc123 next", "API_KEY=[REDACTED] next"),
        ("/Users/bob/x and /home/carol", "/Users/[user]/x and /home/[user]"),
    ])
    func redactionByValue(_ input: String, _ output: String) {
        #expect(Redactor.standard.redactValue(input) == output)
    }
}
