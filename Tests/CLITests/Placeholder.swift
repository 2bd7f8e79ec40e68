import Testing
import Foundation
@Test func binaryPrintsVersion() throws {
    let bin = try #require(CLI.binary())
    let out = try CLI.run(bin, ["--version"])
    #expect(out.status == 0)
    #expect(out.stdout.contains("0.1.0"))
}
