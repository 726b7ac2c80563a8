import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchStore

/// `govwatch bonus set|list|remove`: bonus points (加分) entered by hand per portal and run.
///
/// Only a government portal (政府门户网站) whose base score in the run is above the indicator
/// set's `bonusEntryScore` and that has no veto may enter bonus scoring; the points count at
/// most `maxBonus`. The scorecards (`govwatch scorecard`) and the notice show 得分, 加分 and 总分.
struct BonusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bonus",
        abstract: "录入或查看政府门户网站的加分（得分超过加分准入分数的门户网站，人工录入，有上限）。",
        subcommands: [Set.self, List.self, Remove.self],
        defaultSubcommand: List.self
    )

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "录入（或修改）一个门户网站在一次检查中的加分")

        @Option(help: "检查批次编号，或 latest（默认）") var run = "latest"
        @Option(help: "门户网站的网站标识码") var site: String
        @Option(help: "加分分值（不小于0；超过指标规定的上限时按上限计）") var points: String
        @Option(help: "加分理由，如创新做法、获奖情况") var reason: String
        @Option(help: "指标文件（JSON），其 bonusEntryScore 与 maxBonus 为加分规则；默认为当前使用的指标") var indicators: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let text = points.trimmingCharacters(in: .whitespaces)
            guard let entered = Double(text), entered.isFinite, entered >= 0 else {
                throw reportFailure("field '--points': 加分分值“\(points)”无效，应为不小于0的数字")
            }
            let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !why.isEmpty else { throw reportFailure("field '--reason': 加分理由不能为空") }
            let fileSet: IndicatorSet?
            do {
                fileSet = try indicators.map { try IndicatorSet.load(contentsOf: URL(fileURLWithPath: $0)) }
            } catch {
                throw reportFailure("\(error)")
            }
            let line = try await withStore(global) { store in
                let set: IndicatorSet
                if let fileSet { set = fileSet } else { set = try await store.indicatorSet() }
                let rule = BonusRule(indicators: set)
                guard let record = try await store.site(site) else {
                    throw reportFailure("field '--site': 网站标识码“\(site)”未登记")
                }
                guard record.kind == .portal else {
                    throw reportFailure("field '--site': “\(record.name)”是\(record.kind.chineseName)，只有政府门户网站可以加分")
                }
                let (runInfo, cards): (InspectionRun, [Scorecard])
                do {
                    (runInfo, cards) = try await store.scorecards(of: run)
                } catch let error as Store.UnknownRun {
                    throw reportFailure("field '--run': \(error.description)")
                }
                guard let card = cards.first(where: { $0.target.kind == .site && $0.target.code == record.code }) else {
                    throw reportFailure("field '--site': 检查批次 \(runInfo.code) 中没有“\(record.name)”的得分，请先完成该网站的检查")
                }
                guard rule.admits(card) else {
                    let veto = card.vetoes.isEmpty ? "" : "且有单项否决，"
                    throw reportFailure(
                        "field '--site': “\(record.name)”在检查批次 \(runInfo.code) 中得分\(Self.format(card.score))分，"
                            + "\(veto)未达到加分条件（无单项否决且得分超过\(Self.format(rule.entryScore))分），不能加分")
                }
                let entry = BonusEntry(run: runInfo.code, siteCode: record.code, points: entered, reason: why, rule: rule, enteredAt: Date())
                try await store.setBonus(entry)
                let applied = entry.apply(to: card)
                let capped = applied.bonus < entered ? "（录入\(Self.format(entered))分，超过加分上限\(Self.format(rule.maxBonus))分，按上限计）" : ""
                return "已录入加分：\(record.name)（\(record.code)）检查批次 \(runInfo.code)，得分 \(Self.format(card.score))，"
                    + "加分 \(Self.format(applied.bonus))\(capped)，总分 \(Self.format(applied.total))；理由：\(why)\n"
            }
            writeOut(line)
        }

        static func format(_ value: Double) -> String { BonusCommand.format(value) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出一次检查录入的加分")

        @Option(help: "检查批次编号，或 latest（默认）") var run = "latest"
        @Option(help: "text | json | csv") var format: OutputFormat = .text
        @OptionGroup var global: GlobalOptions

        struct Row: Encodable {
            var site: String
            var name: String
            var score: Double?
            var entered: Double
            var bonus: Double
            var total: Double?
            var reason: String
            var enteredAt: String
        }

        struct Listing: Encodable {
            var run: String
            var bonuses: [Row]
        }

        func run() async throws {
            let (runCode, rows) = try await withStore(global) { store -> (String, [Row]) in
                let (runInfo, entries): (InspectionRun, [BonusEntry])
                let cards: [Scorecard]
                do {
                    (runInfo, entries) = try await store.bonuses(of: run)
                    cards = try await store.scorecards(of: runInfo.code).1
                } catch let error as Store.UnknownRun {
                    throw reportFailure("field '--run': \(error.description)")
                }
                let sites = try await store.sites()
                return (runInfo.code, entries.map { entry in
                    let card = cards.first { $0.target.kind == .site && $0.target.code == entry.siteCode }
                    return Row(
                        site: entry.siteCode, name: card?.target.name ?? sites.first { $0.code == entry.siteCode }?.name ?? "",
                        score: card?.score, entered: entry.points, bonus: card?.bonus ?? 0, total: card?.total,
                        reason: entry.reason, enteredAt: ChinaTime.iso8601(entry.enteredAt))
                })
            }
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                writeOut(String(decoding: try encoder.encode(Listing(run: runCode, bonuses: rows)), as: UTF8.self) + "\n")
            case .csv:
                writeOut(CSVTable.render(
                    header: ["run", "site", "name", "score", "entered", "bonus", "total", "reason", "entered_at"],
                    rows: rows.map {
                        [runCode, $0.site, $0.name, $0.score.map(BonusCommand.format) ?? "", BonusCommand.format($0.entered),
                         BonusCommand.format($0.bonus), $0.total.map(BonusCommand.format) ?? "", $0.reason, $0.enteredAt]
                    }))
            case .text:
                writeOut(TextTable.render(
                    header: ["网站", "标识", "得分", "录入加分", "计入加分", "总分", "理由"],
                    rows: rows.map {
                        [$0.name, $0.site, $0.score.map(BonusCommand.format) ?? "", BonusCommand.format($0.entered),
                         BonusCommand.format($0.bonus), $0.total.map(BonusCommand.format) ?? "", $0.reason]
                    },
                    footer: "检查批次 \(runCode)：共 \(rows.count) 个门户网站录入加分"))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "删除一个门户网站在一次检查中的加分")

        @Option(help: "检查批次编号，或 latest（默认）") var run = "latest"
        @Option(help: "门户网站的网站标识码") var site: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let removed = try await withStore(global) { store in
                do {
                    return try await store.removeBonus(run: run, siteCode: site)
                } catch let error as Store.UnknownRun {
                    throw reportFailure("field '--run': \(error.description)")
                }
            }
            guard removed else { throw reportFailure("field '--site': 检查批次 \(run) 中没有网站“\(site)”的加分") }
            writeOut("已删除网站 \(site) 的加分\n")
        }
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }
}
