import ArgumentParser

/// `govwatch extract`: placeholder until the page-understanding work lands.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "单页抽取结果")
    func run() async throws {}
}
