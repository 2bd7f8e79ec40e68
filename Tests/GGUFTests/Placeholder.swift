import Testing
@testable import GGUF
@Test func moduleLoads() { #expect(GGUFModule.name == "GGUF") }
