import ArgumentParser

struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bundle", abstract: "(not available yet in this build)")
    func run() async throws {
        throw ValidationError("'bundle' is not available in this build yet")
    }
}
