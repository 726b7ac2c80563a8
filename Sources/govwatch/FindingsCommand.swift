import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchStore

/// The options of the commands that show one stored run.
struct RunViewOptions: ParsableArguments {
    @Option(help: "检查批次编号，或 latest（默认）")
    var run = "latest"

    @Option(help: "text | json | csv")
    var format: OutputFormat = .text

    @OptionGroup var global: GlobalOptions

    /// Renders the run with `render` and prints it; an unknown run is exit 2.
    func show(_ render: @escaping (Store, String, String) async throws -> String) async throws {
        let output = try await withStore(global) { store in
            do {
                return try await render(store, run, format.rawValue)
            } catch let error as Store.UnknownRun {
                throw reportFailure(error.description)
            }
        }
        writeOut(output)
    }
}

/// `govwatch findings [--run ID|latest] [--format json|csv]`.
struct FindingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "findings", abstract: "查看一次检查发现的问题。")

    @OptionGroup var options: RunViewOptions

    func run() async throws {
        try await options.show { store, reference, format in
            let (run, findings) = try await store.findings(of: reference)
            return try FindingsReport.render(run: run, findings: findings, format: format)
        }
    }
}

/// `govwatch scorecard [--run ID|latest] [--format json|csv]`.
struct ScorecardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scorecard", abstract: "查看一次检查的得分与合格情况。")

    @OptionGroup var options: RunViewOptions

    func run() async throws {
        try await options.show { store, reference, format in
            let (run, cards) = try await store.scorecards(of: reference)
            return try FindingsReport.render(run: run, scorecards: cards, format: format)
        }
    }
}
