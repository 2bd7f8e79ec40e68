import ArgumentParser

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "(not available yet in this build)")
    func run() async throws {
        throw ValidationError("'report' is not available in this build yet")
    }
}
