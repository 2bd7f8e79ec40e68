import ArgumentParser

struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gate", abstract: "(not available yet in this build)")
    func run() async throws {
        throw ValidationError("'gate' is not available in this build yet")
    }
}
