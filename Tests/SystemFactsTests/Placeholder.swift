import Testing
@testable import SystemFacts
@Test func moduleLoads() { #expect(SystemFactsModule.name == "SystemFacts") }
