import Testing
@testable import ModelInspector
@Test func moduleLoads() { #expect(ModelInspectorModule.name == "ModelInspector") }
