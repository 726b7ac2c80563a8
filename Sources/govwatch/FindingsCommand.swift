import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchStore

/// `govwatch findings [--run ID|latest] [--format json|csv]`.
struct FindingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "findings", abstract: "查看一次检查发现的问题。")

    @Option(help: "检查批次编号，或 latest（默认）")
    var run = "latest"

    @Option(help: "text | json | csv")
    var format: OutputFormat = .text

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let output = try await withStore(global) { store in
            do {
                let (run, findings) = try await store.findings(of: self.run)
                return try FindingsReport.render(run: run, findings: findings, format: format.rawValue)
            } catch let error as Store.UnknownRun {
                throw reportFailure(error.description)
            }
        }
        writeOut(output)
    }
}

/// `govwatch scorecard [--run ID|latest] [--format json|csv]`.
struct ScorecardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scorecard", abstract: "查看一次检查的得分与合格情况。")

    @Option(help: "检查批次编号，或 latest（默认）")
    var run = "latest"

    @Option(help: "text | json | csv")
    var format: OutputFormat = .text

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let output = try await withStore(global) { store in
            do {
                let (run, cards) = try await store.scorecards(of: self.run)
                return try FindingsReport.render(run: run, scorecards: cards, format: format.rawValue)
            } catch let error as Store.UnknownRun {
                throw reportFailure(error.description)
            }
        }
        writeOut(output)
    }
}
