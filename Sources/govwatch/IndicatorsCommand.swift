import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchStore

/// `govwatch indicators show|set FILE|reset`: the indicator set in force, stored in the
/// database so every later run uses it without `--indicators`.
struct IndicatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "查看或设置检查指标（阈值、分值、合格线）。",
        subcommands: [Show.self, Set.self, Reset.self],
        defaultSubcommand: Show.self
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示当前使用的指标")
        @Option(help: "text | json") var format: OutputFormat = .text
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let set = try await withStore(global) { try await $0.indicatorSet() }
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                writeOut(String(decoding: try encoder.encode(set), as: UTF8.self) + "\n")
                return
            }
            writeOut("\(set.title)（\(set.reference)），合格线 \(Int(set.passMark)) 分\n")
            writeOut(TextTable.render(
                header: ["指标", "级别", "每项扣分", "最多扣分", "阈值"],
                rows: IndicatorID.all.map { id in
                    let rule = set.rule(id)
                    let thresholds = (rule.thresholds ?? [:]).sorted { $0.key < $1.key }
                        .map { "\($0.key)=\($0.value.rounded() == $0.value ? String(Int($0.value)) : String($0.value))" }
                    return [id.rawValue, rule.level.chineseName, rule.points.map { "\($0)" } ?? "", rule.maxPoints.map { "\($0)" } ?? "",
                            thresholds.joined(separator: " ")]
                }))
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "以指标文件（JSON）替换当前指标")
        @Argument(help: "指标文件，格式同 Sources/GovWatchCore/Data/indicators/national-2019.json") var file: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let set: IndicatorSet
            do {
                set = try IndicatorSet.load(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw reportFailure("\(error)")
            }
            try await withStore(global) { try await $0.storeIndicatorSet(set) }
            writeOut("已启用指标 \(set.reference)：\(set.title)\n")
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset", abstract: "恢复内置的国家指标")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await withStore(global) { try await $0.storeIndicatorSet(nil) }
            writeOut("已恢复内置指标 \(IndicatorSet.national2019.reference)\n")
        }
    }
}
