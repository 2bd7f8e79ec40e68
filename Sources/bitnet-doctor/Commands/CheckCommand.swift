import ArgumentParser

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "(not available yet in this build)")
    func run() async throws {
        throw ValidationError("'check' is not available in this build yet")
    }
}
