import Foundation
import GovWatchCore
import GovWatchStore

/// The production `JobExecutor`: probes, the daily patrol, the monthly inspection, feed
/// polling and the digests, each followed by what the rectification loop needs.
public struct StandardJobExecutor: JobExecutor {
    public var store: Store
    public var http: SimpleHTTP
    /// Crawl settings of the monthly inspection (the patrol derives its small crawl from it).
    public var crawl: CrawlConfiguration
    /// The indicator set of the inspections and patrols; nil: the set in force in the database
    /// (`govwatch indicators set`), read at each run so a province's change applies at once.
    public var indicators: IndicatorSet?
    /// The dictionaries; its levels are replaced by those of the indicator set of each run.
    public var scanner: ContentScanner
    public var loop: RectificationLoop
    public var digests: DigestSender
    /// Sites the daily patrol crawls at the same time.
    public var patrolSiteConcurrency = 8
    /// The monthly inspection is queued for `govwatch worker` processes instead of run here
    /// (national scale: thousands of sites split over many machines).
    public var queueInspections = false

    public init(
        store: Store, http: SimpleHTTP, crawl: CrawlConfiguration, indicators: IndicatorSet?, scanner: ContentScanner,
        loop: RectificationLoop, digests: DigestSender
    ) {
        self.store = store
        self.http = http
        self.crawl = crawl
        self.indicators = indicators
        self.scanner = scanner
        self.loop = loop
        self.digests = digests
    }

    /// What the daily patrol checks completely (homepage, columns, availability): only these
    /// tickets may be closed by a patrol that no longer finds them.
    public static let patrolIndicators: Set<IndicatorID> = [
        .siteUnreachable, .siteHomepageStale, .siteColumnStale, .siteColumnsStaleVeto, .siteColumnsUnupdatedVeto,
        .siteColumnBlank, .siteColumnsBlankVeto,
    ]

    public func execute(_ job: ScheduledJob, kind: JobKind, now: Date) async throws -> String {
        switch kind {
        case .probe:
            let codes = job.parameter.map { [$0] } ?? []
            let (indicators, _) = try await ruleSet()
            let results = try await ProbeRound.run(
                codes: codes, store: store, http: http, indicators: indicators, concurrency: 1, now: { now })
            return results.map { "\($0.site.code) \($0.probe.ok ? "可访问" : "无法访问")" }.joined(separator: "；")
        case .feeds:
            let accounts = try await store.accounts().filter { $0.status == .active }
            let outcomes = try await FeedPoller(http: http).poll(accounts, store: store, now: { now })
            let fresh = outcomes.map(\.newPosts).reduce(0, +)
            let problems = outcomes.filter { $0.problem != nil }.count
            return "轮询 \(outcomes.count) 个数据源，新增 \(fresh) 条，异常 \(problems) 个"
        case .patrol:
            return try await patrol(now: now)
        case .inspection:
            // As of the start of the day it runs (01:00 on the 1st: the month just ended).
            let asOf = CalendarDate(now).startOfDay
            if queueInspections { return try await queueInspection(asOf: asOf, now: now) }
            let crawler = try CrawlingSiteEvidenceSource(store: store, configuration: crawl)
            do {
                let runner = InspectionRunner(store: store, sites: crawler, accounts: AccountEvidenceBuilder(http: http), now: { now })
                let (indicators, scanner) = try await ruleSet()
                let request = InspectionRequest(asOf: asOf, indicators: indicators, scanner: scanner)
                let outcome = try await runner.run(request)
                try await crawler.shutdown()
                let loopOutcome = try await loop.afterInspection(outcome, request: request)
                return "检查批次 \(outcome.run.code)：问题 \(outcome.findings.count) 个；\(loopOutcome.summary)"
            } catch {
                try? await crawler.shutdown()
                throw error
            }
        case .prune:
            let report = try await store.prune(keepRuns: nil, keepDays: nil, now: now, dryRun: false)
            guard !report.prunedRuns.isEmpty else { return "保留检查批次 \(report.keptRuns.count) 次，无需清理" }
            return "清理检查批次 \(report.prunedRuns.count) 次的抓取会话 \(report.crawlSessions) 个、网址 \(report.crawlURLs) 条、可用性监测记录 \(report.probes) 条"
        case .digest:
            // Once a day, what the webhook could not take earlier is offered again, first.
            var resent = ""
            if let webhook = digests.webhook {
                let resend = try await webhook.resendFailures(store: store, at: now)
                if resend.resent + resend.stillFailing > 0 { resent = "；补发此前失败的通知 \(resend.resent) 条，仍失败 \(resend.stillFailing) 条" }
            }
            let report = try await digests.send(at: now)
            return "整改日报 \(report.units.count) 个单位，文件 \(report.files.count) 个，推送 \(report.posted) 个，失败 \(report.failed) 个" + resent
        }
    }

    /// Queues the monthly inspection for the workers, as `inspect --all --queue` does.
    func queueInspection(asOf: Date, now: Date) async throws -> String {
        let (indicators, _) = try await ruleSet()
        let plan = try await QueuedInspection(
            siteCodes: [], accountIDs: [], asOf: asOf, indicators: indicators,
            dictionaries: try await QueuedInspection.storedDictionaries(in: store)
        ).enqueue(in: store, now: now)
        return "检查批次 \(plan.run.code) 已排队：网站 \(plan.sites.count) 个，政务新媒体账号 \(plan.accounts.count) 个，由检查工作进程执行"
    }

    /// The indicator set of this run and the scanner reporting at its levels.
    func ruleSet() async throws -> (IndicatorSet, ContentScanner) {
        let set: IndicatorSet
        if let indicators { set = indicators } else { set = try await store.indicatorSet() }
        // The 设置 page's extra dictionary, added to the shipped lists the scanner holds.
        if let extra = try await store.storedDictionary() {
            return (set, try ContentScanner.standard(additional: [extra], levels: ContentLevels(indicators: set)))
        }
        return (set, scanner.with(levels: ContentLevels(indicators: set)))
    }

    /// Homepages and imported columns of every site (a crawl of depth 1), checked for the
    /// patrol indicators; tickets are opened and re-inspected for those indicators only.
    func patrol(now: Date) async throws -> String {
        var configuration = crawl
        configuration.maximumDepth = 1
        configuration.extractAttachments = false
        let sites = try await store.sites()
        let columns = try await store.columns()
        // The homepage and its imported columns, nothing more.
        configuration.maximumPages = (Dictionary(grouping: columns, by: \.site).values.map(\.count).max() ?? 0) + 1
        let label = "patrol-" + String(format: "%.0f", now.timeIntervalSince1970)
        let crawler = try CrawlingSiteEvidenceSource(store: store, configuration: configuration)
        let columnsBySite = Dictionary(grouping: columns, by: \.site)
        let (indicators, scanner) = try await ruleSet()
        let calendar = try await store.workingCalendar()
        let window = indicators.threshold(.siteUnreachable, "windowDays", default: 7) * 86_400
        var findings: [Finding] = []
        do {
            // Several sites at a time: a patrol is mostly waiting on other servers, and a
            // province's thousands of sites must fit in the night.
            try await withThrowingTaskGroup(of: [Finding].self) { group in
                var pending = sites.makeIterator()
                func patrolNext() {
                    guard let site = pending.next() else { return }
                    group.addTask { [store, indicators, scanner, calendar] in
                        var evidence = try await crawler.evidence(
                            for: site, columns: columnsBySite[site.code] ?? [], asOf: now, runCode: label)
                        evidence.probes = try await store.probes(site: site.code, from: now.addingTimeInterval(-window), to: now)
                        return SiteChecks.run(evidence, indicators: indicators, scanner: scanner, calendar: calendar)
                            .filter { Self.patrolIndicators.contains($0.indicator) }
                    }
                }
                for _ in 0..<patrolSiteConcurrency { patrolNext() }
                while let siteFindings = try await group.next() {
                    findings += siteFindings
                    patrolNext()
                }
            }
            try await crawler.shutdown()
        } catch {
            try? await crawler.shutdown()
            throw error
        }
        let outcome = try await loop.apply(
            run: label, asOf: now, findings: findings,
            scope: ReinspectionScope(targets: Set(sites.map { .init(kind: .site, code: $0.code) }), indicators: Self.patrolIndicators),
            indicators: indicators, recordInRun: false)
        return "巡查 \(sites.count) 个网站，发现 \(findings.count) 个问题；\(outcome.summary)"
    }
}
