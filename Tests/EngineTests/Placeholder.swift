import Testing
@testable import Engine
@Test func moduleLoads() { #expect(EngineModule.name == "Engine") }
