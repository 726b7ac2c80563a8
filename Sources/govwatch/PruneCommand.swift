import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchStore

/// `govwatch prune`: drops the working state of runs beyond retention (see `Store.prune`).
struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "清理超出保留期限的检查批次的抓取记录、页面记录、任务队列和过期的可用性监测记录；整改单、问题、得分和通报所需数据全部保留。")

    @Option(help: "保留最近几次检查批次（默认为设置 retention.keep_runs，未设置时为 12）") var keepRuns: Int?
    @Option(help: "保留监测时间点在最近几天内的检查批次") var keepDays: Int?
    @Option(help: "把“保留最近几次检查批次”存为设置 retention.keep_runs（调度任务 prune 按此清理）") var setKeepRuns: Int?
    @Flag(help: "只统计将清理的内容，不删除") var dryRun = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        if let keepRuns, keepRuns < 1 { throw reportFailure("field '--keep-runs': 至少保留 1 次检查批次") }
        if let keepDays, keepDays < 1 { throw reportFailure("field '--keep-days': 保留天数至少为 1") }
        if let setKeepRuns, setKeepRuns < 1 { throw reportFailure("field '--set-keep-runs': 至少保留 1 次检查批次") }
        let report = try await withStore(global) { store in
            if let setKeepRuns {
                try await store.setRetentionKeepRuns(setKeepRuns)
                writeOut("已设置：保留最近 \(setKeepRuns) 次检查批次（retention.keep_runs）\n")
            }
            return try await store.prune(keepRuns: keepRuns ?? setKeepRuns, keepDays: keepDays, dryRun: dryRun)
        }
        writeOut(Self.summary(report))
    }

    static func summary(_ report: PruneReport) -> String {
        var lines: [String] = []
        lines.append("保留检查批次 \(report.keptRuns.count) 次\(report.keptRuns.isEmpty ? "" : "：" + report.keptRuns.joined(separator: "、"))")
        guard !report.prunedRuns.isEmpty else {
            lines.append("没有超出保留期限的检查批次，无需清理")
            return lines.joined(separator: "\n") + "\n"
        }
        let verb = report.dryRun ? "将清理" : "已清理"
        lines.append("超出保留期限的检查批次 \(report.prunedRuns.count) 次：\(report.prunedRuns.joined(separator: "、"))")
        lines.append("\(verb)抓取会话 \(report.crawlSessions) 个、抓取网址及页面记录 \(report.crawlURLs) 条、检查任务 \(report.inspectionTasks) 个、排队记录 \(report.queuedInspections) 个")
        if let before = report.probesBefore {
            lines.append("\(verb) \(ChinaTime.display(before)) 之前的可用性监测记录 \(report.probes) 条")
        }
        lines.append("整改单及其记录和附件、问题、得分、加分和各期通报所需数据均已保留")
        if report.dryRun { lines.append("（试运行，未删除任何数据）") }
        return lines.joined(separator: "\n") + "\n"
    }
}
