import Foundation
import Testing
import TestSupport
@testable import SystemFacts

/// Each fixture's facts must equal its golden.json. BITNET_DOCTOR_REGEN_GOLDENS=1 rewrites the goldens instead
/// (scripts/regen-fact-goldens.sh); review the diff before committing.
@Suite struct GoldenTests {
    static let regen = ProcessInfo.processInfo.environment["BITNET_DOCTOR_REGEN_GOLDENS"] == "1"

    @Test func everyRequiredFixtureExists() {
        for name in ["intel-desktop-powersave", "laptop-throttling", "cloud-vm", "arm64-neoverse", "nvidia-gpu-host",
                     "container-1cpu", "tuned-desktop", "gpu-host-healthy"] {
            #expect(Fixtures.names.contains(name), "missing fixture \(name)")
        }
    }

    @Test(arguments: Fixtures.names)
    func matchesGolden(_ name: String) throws {
        let report = try Fixtures.collect(name)
        let tree = try Fixtures.goldenTree(report)
        let goldenURL = URL(fileURLWithPath: Fixtures.path(name)).appendingPathComponent("golden.json")
        if Self.regen {
            try Fixtures.canonicalJSON(tree).write(to: goldenURL)
            return
        }
        let data = try Data(contentsOf: goldenURL)
        let golden = try JSONSerialization.jsonObject(with: data)
        let diff = Fixtures.firstDifference(golden, tree)
        #expect(diff == nil, "\(name) differs from golden.json at \(diff ?? "")")
    }

    @Test(arguments: Fixtures.names)
    func fixtureCollectionIsDeterministic(_ name: String) throws {
        let a = try Fixtures.canonicalJSON(Fixtures.goldenTree(try Fixtures.collect(name)))
        let b = try Fixtures.canonicalJSON(Fixtures.goldenTree(try Fixtures.collect(name)))
        #expect(a == b)
    }
}
