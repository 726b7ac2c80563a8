import ArgumentParser

/// `govwatch scan`: placeholder until the content-scanner work lands.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scan", abstract: "发布前检查（三审）")
    func run() async throws {}
}
