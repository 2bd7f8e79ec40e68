import ArgumentParser

struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "(not available yet in this build)")
    func run() async throws {
        throw ValidationError("'inspect' is not available in this build yet")
    }
}
