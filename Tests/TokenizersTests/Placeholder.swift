import Testing
@testable import Tokenizers
@Test func moduleLoads() { #expect(TokenizersModule.name == "Tokenizers") }
