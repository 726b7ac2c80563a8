import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchStore

/// `govwatch list sites|columns|accounts|units|people [--format text|json|csv]`.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "列出登记信息；--format csv 的输出可原样重新导入。"
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case sites, columns, accounts, units, people, posts
        case discoveredColumns = "discovered-columns"
    }

    @Argument(help: "sites | columns | discovered-columns | accounts | units | people | posts")
    var kind: Kind

    @Option(help: "text | json | csv")
    var format: OutputFormat = .text

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let output = try await withStore(global) { store in
            try await RegistryListing.render(kind.rawValue, format: format.rawValue, from: store)
        }
        writeOut(output)
    }
}
