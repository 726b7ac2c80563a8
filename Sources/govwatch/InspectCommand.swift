import ArgumentParser
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore

/// `govwatch inspect [--all] [--site CODE]... [--account ID]... [--as-of DATE] [--proxy URL]
/// [--max-pages N] [--concurrency N] [--dictionary FILE]... [--indicators FILE]`, and
/// `--sites-at-once N` and `--queue` (for `govwatch worker`) besides the spec.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "检查网站和政务新媒体（抓取、检查、评分），保存为一个检查批次；中断后再次运行会继续未完成的批次。"
    )

    @Flag(help: "检查全部已登记的网站和账号（未指定 --site/--account 时的默认行为）")
    var all = false

    @Option(name: .customLong("site"), help: "网站标识码，可重复")
    var sites: [String] = []

    @Option(name: .customLong("account"), help: "账号ID，可重复")
    var accounts: [String] = []

    @Option(name: .customLong("as-of"), help: "监测时间点：YYYY-MM-DD（当天24:00）或 ISO 8601 时间，默认为当前时间")
    var asOf: String?

    @OptionGroup var crawl: CrawlOptions

    @Option(name: .customLong("dictionary"), help: "附加的词典文件，可重复")
    var dictionaries: [String] = []

    @Option(help: "指标文件（JSON），默认使用内置的国办秘函〔2019〕19号指标")
    var indicators: String?

    @Flag(help: "只排队，不在本进程检查：每个网站一个任务，由共用同一数据库的 govwatch worker 进程执行（抓取选项在 worker 上指定）")
    var queue = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let asOfDate: Date
        if let asOf {
            guard let parsed = ChinaTime.parseMoment(asOf, bareDayMeansEnd: true) else {
                throw reportFailure("--as-of “\(asOf)” 无效：应为 YYYY-MM-DD 或 ISO 8601 时间")
            }
            asOfDate = parsed
        } else {
            asOfDate = Date()
        }
        let fileSet: IndicatorSet?
        let extra: [ContentDictionary]
        do {
            fileSet = try indicators.map { try IndicatorSet.load(contentsOf: URL(fileURLWithPath: $0)) }
            extra = try dictionaries.map { try ContentDictionary.load(contentsOf: URL(fileURLWithPath: $0)) }
        } catch {
            throw reportFailure("\(error)")
        }
        let configuration = try loadConfiguration(explicitPath: global.configFile) { configuration throws(ConfigurationError) in
            try configuration.override("database.url", flag: "--db", with: global.db)
            try crawl.apply(to: &configuration)
        }
        if queue {
            try await queueForWorkers(asOf: asOfDate, fileSet: fileSet, configuration: configuration)
            return
        }
        let webhook: TicketWebhook?
        do {
            webhook = try configuration.ticketWebhook()
        } catch {
            throw reportFailure("\(error)")
        }
        let outcome = try await withHTTPClient(proxy: configuration.string("crawl.proxy")) { client in
            try await withStore(global, configuration: configuration) { store in
                // `--indicators` wins over the set stored with `govwatch indicators set`.
                let indicatorSet: IndicatorSet
                if let fileSet { indicatorSet = fileSet } else { indicatorSet = try await store.indicatorSet() }
                let scanner: ContentScanner
                do {
                    // The 设置 page's extra dictionary first, so a `--dictionary` line wins over it.
                    let stored = try await store.storedDictionary().map { [$0] } ?? []
                    scanner = try ContentScanner.standard(additional: stored + extra, levels: ContentLevels(indicators: indicatorSet))
                } catch let error as DictionaryFormatError {
                    // A dictionary too large for the scanner is bad input, like a malformed line.
                    throw reportFailure(error.description)
                }
                let request = InspectionRequest(
                    siteCodes: all ? [] : sites, accountIDs: all ? [] : accounts, asOf: asOfDate, indicators: indicatorSet,
                    scanner: scanner)
                let outcome: InspectionOutcome
                do {
                    outcome = try await configuration.withCrawler(store: store, progress: TerminalProgress.reporter()) { crawler in
                        let runner = InspectionRunner(
                            store: store, sites: crawler, accounts: AccountEvidenceBuilder(http: client.http),
                            sitesAtOnce: configuration.sitesAtOnce)
                        return try await runner.run(request, progress: { writeOut($0 + "\n") })
                    }
                } catch let error as InspectionRunner.UnknownTargets {
                    throw reportFailure(error.description)
                } catch let error as InspectionRunner.RunIsQueued {
                    throw reportFailure(error.description)
                }
                // The rectification loop: tickets from the findings, re-inspection (回访).
                let loop = RectificationLoop(
                    store: store, policy: RectificationPolicy(indicators: indicatorSet), webhook: webhook)
                let rectification = try await loop.afterInspection(outcome, request: request)
                writeOut(rectification.summary + "\n")
                return outcome
            }
        }
        for (account, problem) in outcome.feedProblems {
            writeOut("数据源异常  \(account.id)  \(account.name)：\(problem)\n")
        }
        let passed = outcome.scorecards.filter(\.passed).count
        writeOut("检查批次 \(outcome.run.code)：\(outcome.scorecards.count) 个对象，合格 \(passed) 个，问题 \(outcome.findings.count) 个\n")
    }
}

extension InspectCommand {
    /// `--queue`: starts (or continues) the run and leaves a task per site not yet done, one
    /// for the accounts and one to finish the run, with the request, to the workers.
    func queueForWorkers(asOf: Date, fileSet: IndicatorSet?, configuration: GovWatchConfiguration) async throws {
        try await withStore(global, configuration: configuration) { store in
            let indicatorSet: IndicatorSet
            if let fileSet { indicatorSet = fileSet } else { indicatorSet = try await store.indicatorSet() }
            // The dictionaries travel as text: the workers parse them again.
            let texts = dictionaries.map { path in
                QueuedInspection.DictionaryText(
                    file: path, text: (try? String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)) ?? "")
            }
            let queued = QueuedInspection(
                siteCodes: all ? [] : sites, accountIDs: all ? [] : accounts, asOf: asOf, indicators: indicatorSet,
                dictionaries: try await QueuedInspection.storedDictionaries(in: store) + texts)
            let plan: InspectionRunner.Plan
            do {
                plan = try await queued.enqueue(in: store, now: Date())
            } catch let error as DictionaryFormatError {
                throw reportFailure(error.description)
            } catch let error as InspectionRunner.UnknownTargets {
                throw reportFailure(error.description)
            }
            if plan.resumed { writeOut("继续未完成的检查批次 \(plan.run.code)（已完成 \(plan.done) 个对象）\n") }
            writeOut(
                "检查批次 \(plan.run.code) 已排队：网站 \(plan.sites.count) 个，政务新媒体账号 \(plan.accounts.count) 个，"
                    + "由 govwatch worker 执行（govwatch worker --db 同一数据库）\n")
        }
    }
}

/// Progress of long crawls on a terminal: one line rewritten in place on stderr, at most
/// twice a second; nothing when stderr is not a terminal (logs, pipes, tests). Sites crawled
/// at once share the line: their sums, and each site's own line when it finishes.
enum TerminalProgress {
    static func reporter() -> (@Sendable (CrawlProgress) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        let board = Board()
        return { progress in
            guard let line = board.update(progress) else { return }
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        }
    }

    /// The running crawls and when the line was last printed.
    final class Board: @unchecked Sendable {
        private let lock = NSLock()
        private var printed = Date.distantPast
        private var running: [String: CrawlProgress] = [:]

        /// The line to print for `progress`, or nil when it is not yet time.
        func update(_ progress: CrawlProgress) -> String? {
            lock.withLock {
                if progress.finished {
                    running[progress.site] = nil
                    return progress.line + "\n"
                }
                running[progress.site] = progress
                guard Date().timeIntervalSince(printed) >= 0.5 else { return nil }
                printed = Date()
                guard running.count > 1 else { return progress.line }
                let all = Array(running.values)
                func sum(_ value: (CrawlProgress) -> Int) -> Int { all.reduce(0) { $0 + value($1) } }
                return String(
                    format: "%d 个网站检查中 页面 %d 检查 %d 待处理 %d 错误 %d 未变化 %d 速率 %.1f/秒", all.count, sum(\.pagesDone),
                    sum(\.checksDone), sum(\.queued), sum(\.errors), sum(\.notModified), all.reduce(0) { $0 + $1.rate })
            }
        }
    }
}
