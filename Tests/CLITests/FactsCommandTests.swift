import Foundation
import Testing

@Suite struct FactsCommandTests {
    /// JSON on stdout only, with the CPU model exactly as the fixture's /proc/cpuinfo spells it.
    @Test func jsonFromAFixtureRoot() throws {
        let root = CLI.fixture("machines/intel-desktop-powersave/root")
        let r = try CLI.run(["facts", "--format", "json", "--root", root,
                             "--env-file", CLI.fixture("machines/intel-desktop-powersave/env")])
        #expect(r.status == 0)
        let doc = try #require(r.json as? [String: Any])
        let families = try #require(doc["families"] as? [String: Any])
        let cpu = try #require(families["cpu"] as? [String: Any])
        let model = try #require((cpu["model_name"] as? [String: Any])?["value"] as? String)
        let cpuinfo = try String(contentsOfFile: root + "/proc/cpuinfo", encoding: .utf8)
        let line = try #require(cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") })
        #expect(model == line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces))
        let gov = try #require((families["frequency"] as? [String: Any])?["governor"] as? [String: Any])
        #expect(gov["value"] as? String == "powersave")
    }

    @Test func preflightAliasAndOnly() throws {
        let r = try CLI.run(["preflight", "--format", "json", "--only", "memory",
                             "--root", CLI.fixture("machines/cloud-vm/root")])
        #expect(r.status == 0)
        let families = try #require((r.json as? [String: Any])?["families"] as? [String: Any])
        #expect(Array(families.keys) == ["memory"])
    }

    @Test func missingRootIsOneLineError() throws {
        let r = try CLI.run(["facts", "--root", "/nonexistent/machine"])
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count <= 2)
    }
}
