import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchStore

/// Where a site's evidence comes from: the crawler in production, anything in tests.
public protocol SiteEvidenceSource: Sendable {
    /// Crawls (or resumes crawling) `site` for the run `runCode` and returns what it found.
    /// Probes are added by the runner from the store.
    func evidence(for site: SiteRecord, columns: [ColumnRecord], asOf: Date, runCode: String) async throws -> SiteEvidence
    /// The same, told the content checks' scanner: a source that screens page texts while
    /// crawling (keeping only texts with a problem) must screen with it.
    func evidence(for site: SiteRecord, columns: [ColumnRecord], asOf: Date, runCode: String, scanner: ContentScanner) async throws
        -> SiteEvidence
}

extension SiteEvidenceSource {
    /// Sources that keep every text need not know the scanner.
    public func evidence(for site: SiteRecord, columns: [ColumnRecord], asOf: Date, runCode: String, scanner: ContentScanner)
        async throws -> SiteEvidence
    {
        try await evidence(for: site, columns: columns, asOf: asOf, runCode: runCode)
    }
}

/// What `govwatch inspect` asks for.
public struct InspectionRequest: Sendable {
    /// Sites to inspect by 网站标识码; with `accountIDs` also empty, everything registered.
    public var siteCodes: [String]
    /// Accounts to inspect by platform account id.
    public var accountIDs: [String]
    public var asOf: Date
    public var indicators: IndicatorSet
    public var scanner: ContentScanner

    public init(siteCodes: [String] = [], accountIDs: [String] = [], asOf: Date, indicators: IndicatorSet, scanner: ContentScanner) {
        self.siteCodes = siteCodes
        self.accountIDs = accountIDs
        self.asOf = asOf
        self.indicators = indicators
        self.scanner = scanner
    }

    public var inspectsEverything: Bool { siteCodes.isEmpty && accountIDs.isEmpty }
}

/// What one inspection produced.
public struct InspectionOutcome: Sendable {
    public var run: InspectionRun
    public var resumed: Bool
    public var scorecards: [Scorecard]
    public var findings: [Finding]
    /// Accounts whose feed could not be read, with the reason.
    public var feedProblems: [(account: AccountRecord, problem: String)]
}

/// Runs an inspection: evidence per target, the checks, scoring, and storage as it goes.
///
/// Several sites are crawled at once (`sitesAtOnce`): a site's crawl mostly waits on its
/// own host's politeness limits, so a city's sites one after another would take as long as
/// all their waits added up. The crawler's `concurrency` bounds the requests of all of them.
/// The accounts' feeds are read meanwhile.
///
/// Each target's findings and scorecard are stored when the target is done, so an
/// inspection that is killed resumes with the next `inspect` of the same as-of time: done
/// targets are skipped, the crawler resumes its frontier, and findings are keyed by
/// fingerprint, so nothing is lost or duplicated.
public struct InspectionRunner: Sendable {
    public var store: Store
    public var sites: any SiteEvidenceSource
    public var accounts: AccountEvidenceBuilder
    public var now: @Sendable () -> Date
    /// Sites inspected at the same time.
    public var sitesAtOnce: Int

    public init(
        store: Store, sites: any SiteEvidenceSource, accounts: AccountEvidenceBuilder, now: @escaping @Sendable () -> Date = { Date() },
        sitesAtOnce: Int = 4
    ) {
        self.store = store
        self.sites = sites
        self.accounts = accounts
        self.now = now
        self.sitesAtOnce = sitesAtOnce
    }

    public struct UnknownTargets: Error, CustomStringConvertible {
        public var sites: [String]
        public var accounts: [String]
        public var description: String {
            var parts: [String] = []
            if !sites.isEmpty { parts.append("网站标识码未登记：\(sites.joined(separator: "、"))") }
            if !accounts.isEmpty { parts.append("账号未登记：\(accounts.joined(separator: "、"))") }
            return parts.joined(separator: "；")
        }
    }

    /// What is left to do in a run: the targets of the request without a scorecard in it.
    public struct Plan: Sendable {
        public var run: InspectionRun
        /// The run was started earlier and is being continued.
        public var resumed: Bool
        public var sites: [SiteRecord]
        public var accounts: [AccountRecord]
        /// Targets already done in the run.
        public var done: Int
    }

    /// The run to continue was queued for the workers (`inspect --queue`): crawling its sites
    /// here as well would race the workers over the same crawl state.
    public struct RunIsQueued: Error, CustomStringConvertible {
        public var runCode: String
        public var description: String {
            "检查批次 \(runCode) 已排队，由 govwatch worker 执行；请运行 govwatch worker，或用 --queue 补充排队"
        }
    }

    /// Runs the inspection; `progress` receives one Chinese line per finished target (sites
    /// in the order they finish).
    public func run(_ request: InspectionRequest, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws
        -> InspectionOutcome
    {
        let plan = try await plan(request)
        if plan.resumed, try await store.queuedRequest(runCode: plan.run.code) != nil { throw RunIsQueued(runCode: plan.run.code) }
        if plan.resumed { progress("继续未完成的检查批次 \(plan.run.code)（已完成 \(plan.done) 个对象）") }
        let columns = try await store.columns()
        // The feeds are read while the sites are crawled: other hosts, and mostly waiting.
        async let feedProblems = InspectionLogContext.withTarget(run: plan.run.code, target: "accounts") {
            try await inspect(plan.accounts, request: request, runCode: plan.run.code, progress: progress)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for site in plan.sites {
                if running >= max(1, sitesAtOnce) {
                    try await group.next()
                    running -= 1
                }
                group.addTask {
                    try await InspectionLogContext.withSite(run: plan.run.code, site: site.code) {
                        try await inspect(
                            site, columns: columns.filter { $0.site == site.code }, request: request, runCode: plan.run.code, progress: progress)
                    }
                }
                running += 1
            }
            try await group.waitForAll()
        }
        let problems = try await feedProblems
        var outcome = try await finish(plan.run.code, resumed: plan.resumed)
        outcome.feedProblems = problems
        return outcome
    }

    /// Checks the request's targets, then starts its run or continues an unfinished one of
    /// the same as-of time and indicator set.
    public func plan(_ request: InspectionRequest) async throws -> Plan {
        try await Self.plan(request, store: store, now: now())
    }

    /// `plan(_:)` without a runner: what `inspect --queue` leaves to the workers.
    public static func plan(_ request: InspectionRequest, store: Store, now: Date) async throws -> Plan {
        let allSites = try await store.sites()
        let allAccounts = try await store.accounts()
        let unknownSites = request.siteCodes.filter { code in !allSites.contains { $0.code == code } }
        let unknownAccounts = request.accountIDs.filter { id in !allAccounts.contains { $0.id == id } }
        guard unknownSites.isEmpty, unknownAccounts.isEmpty else {
            throw UnknownTargets(sites: unknownSites, accounts: unknownAccounts)
        }
        let sites = request.inspectsEverything ? allSites : allSites.filter { request.siteCodes.contains($0.code) }
        let accounts = request.inspectsEverything ? allAccounts : allAccounts.filter { request.accountIDs.contains($0.id) }
        let run: InspectionRun
        let resumed: Bool
        if let running = try await store.unfinishedRun(asOf: request.asOf, indicatorSet: request.indicators.reference) {
            (run, resumed) = (running, true)
        } else {
            (run, resumed) = (try await store.startRun(asOf: request.asOf, indicatorSet: request.indicators.reference, startedAt: now), false)
        }
        let done = try await doneTargets(of: run.code, store: store)
        return Plan(
            run: run, resumed: resumed, sites: sites.filter { !done.contains("site \($0.code)") },
            accounts: accounts.filter { !done.contains("account \($0.id)") }, done: done.count)
    }

    /// `site CODE` and `account ID` of every target with a scorecard in the run.
    public func doneTargets(of runCode: String) async throws -> Set<String> {
        try await Self.doneTargets(of: runCode, store: store)
    }

    static func doneTargets(of runCode: String, store: Store) async throws -> Set<String> {
        Set(try await store.scorecards(of: runCode).1.map { "\($0.target.kind.rawValue) \($0.target.code)" })
    }

    /// Crawls one site, checks and scores it, and stores its findings and scorecard.
    public func inspect(
        _ site: SiteRecord, columns: [ColumnRecord], request: InspectionRequest, runCode: String, progress: @Sendable (String) -> Void
    ) async throws {
        InspectionLogContext.siteStarted(site.code)
        var evidence = try await sites.evidence(
            for: site, columns: columns, asOf: request.asOf, runCode: runCode, scanner: request.scanner)
        let window = request.indicators.threshold(.siteUnreachable, "windowDays", default: 7) * 86_400
        evidence.probes = try await store.probes(site: site.code, from: request.asOf.addingTimeInterval(-window), to: request.asOf)
        // Working days (the slow-reply rule) with the 设置 page's local holiday lines.
        let findings = SiteChecks.run(
            evidence, indicators: request.indicators, scanner: request.scanner, calendar: try await store.workingCalendar())
        try await store.record(findings, in: runCode)
        let card = Scorer(indicators: request.indicators).score(evidence.target, findings: findings)
        try await store.record([card], in: runCode)
        InspectionMetrics.stored(findings: findings.map(\.indicator.rawValue))
        InspectionLogContext.siteFinished(site.code, findings: findings.count, verdict: card.verdict)
        progress(Self.line(card, findings: findings.count))
    }

    /// Reads the accounts' feeds, checks and scores them (with the unit-level checks over the
    /// whole registry), and stores their findings and scorecards; the accounts whose feed
    /// could not be read, with the reason.
    public func inspect(
        _ accounts: [AccountRecord], request: InspectionRequest, runCode: String, progress: @Sendable (String) -> Void
    ) async throws -> [(account: AccountRecord, problem: String)] {
        guard !accounts.isEmpty else { return [] }
        let registry = try await store.accounts()
        let scorer = Scorer(indicators: request.indicators)
        var feedProblems: [(AccountRecord, String)] = []
        let evidence = try await self.accounts.evidence(for: accounts, store: store, asOf: request.asOf, now: now)
        let findings = AccountChecks.run(evidence, registry: registry, indicators: request.indicators, scanner: request.scanner)
        // Unit-level findings (duplicates) first, then each account with its scorecard.
        try await store.record(findings.filter { $0.target.kind == .unit }, in: runCode)
        for item in evidence {
            let own = findings.filter { $0.target == item.target }
            try await store.record(own, in: runCode)
            InspectionMetrics.stored(findings: own.map(\.indicator.rawValue))
            let card = scorer.score(item.target, findings: own)
            try await store.record([card], in: runCode)
            if let problem = item.feedProblem { feedProblems.append((item.account, problem)) }
            progress(Self.line(card, findings: own.count))
        }
        return feedProblems
    }

    /// Marks the run finished and reads back what it holds.
    public func finish(_ runCode: String, resumed: Bool) async throws -> InspectionOutcome {
        try await store.finishRun(runCode, at: now())
        let (finishedRun, findings) = try await store.findings(of: runCode)
        let cards = try await store.scorecards(of: runCode).1
        return InspectionOutcome(run: finishedRun, resumed: resumed, scorecards: cards, findings: findings, feedProblems: [])
    }

    static func line(_ card: Scorecard, findings: Int) -> String {
        let vetoes = card.vetoes.isEmpty ? "" : "，单项否决：\(card.vetoes.map(\.rawValue).joined(separator: "、"))"
        let score = card.score.rounded() == card.score ? String(Int(card.score)) : String(format: "%.1f", card.score)
        let notes = card.notes.isEmpty ? "" : "（\(card.notes.joined(separator: "；"))）"
        return "\(card.target.code)  \(card.target.name)  \(card.verdict)  \(score)分  问题\(findings)个\(vetoes)\(notes)"
    }
}
