import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "(not available yet in this build)")
    func run() async throws {
        throw ValidationError("'bench' is not available in this build yet")
    }
}
