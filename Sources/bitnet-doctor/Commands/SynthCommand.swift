import ArgumentParser

struct SynthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "synth", abstract: "(not available yet in this build)")
    func run() async throws {
        throw ValidationError("'synth' is not available in this build yet")
    }
}
