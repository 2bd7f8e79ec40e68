import ArgumentParser

struct FactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "facts", abstract: "(not available yet in this build)")
    func run() async throws {
        throw ValidationError("'facts' is not available in this build yet")
    }
}
