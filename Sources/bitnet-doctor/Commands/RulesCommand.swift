import ArgumentParser

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "(not available yet in this build)")
    func run() async throws {
        throw ValidationError("'rules' is not available in this build yet")
    }
}
