import Foundation
import GovWatchCore
import GovWatchStore
import Hummingbird

/// 总览 (`/`): pass rates of the latest run and their trend over runs, by kind of site and by
/// platform; units ranked by open and overdue tickets (清零 progress); and what needs
/// attention today. Everything is limited to a unit user's scope.
struct OverviewRoutes: Sendable {
    let store: Store
    let pages: PageRenderer
    let configuration: ServerConfiguration
    let cache: ComputedPageCache

    /// How many runs the trend shows, and how many rows each attention list shows.
    static let trendRuns = 8
    static let listRows = 10

    func register(on routes: Routes) {
        routes.get("/", access: .signedIn) { _, context in try await overview(context) }
    }

    /// Passed and total of a group of scorecards.
    struct Tally {
        var passed = 0
        var total = 0
        mutating func add(_ card: Scorecard) {
            total += 1
            if card.passed { passed += 1 }
        }
        var percent: Double? { total == 0 ? nil : Double(passed) * 100 / Double(total) }
    }

    /// What the overview is computed from: nearly everything.
    static let tables: [DataVersions.Table] = [
        .units, .sites, .accounts, .runs, .scorecards, .bonusPoints, .tickets, .probes, .settings,
    ]
    /// What its run results (rates and trend) are computed from: no ticket, no probe.
    static let resultTables: [DataVersions.Table] = [.units, .sites, .accounts, .runs, .scorecards, .bonusPoints, .settings]

    /// The run results' values, shared by the requests that render them.
    struct RunResults: @unchecked Sendable {
        // Plain values (strings, numbers, arrays and dictionaries of them) built once and only
        // read afterwards; `Any` is what the Mustache renderer takes.
        let values: [String: Any]
    }

    func overview(_ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let now = configuration.clock()
        // The same for everyone of a role and scope; the clock's part (overdue, the last 24
        // hours of probes) is at most a minute behind.
        let content = try await cache.value(
            ComputedPageCache.key("overview", ComputedPageCache.audience(identity)), reading: Self.tables, in: store, slot: .minute, at: now,
            size: \.bytes
        ) { try await overviewContent(identity, now: now) }
        return try pages.page(content, frame: PageFrame(title: "总览", identity: identity, path: "/"))
    }

    func overviewContent(_ identity: Identity, now: Date) async throws -> PageContent {
        let scope = identity.scope
        var values: [String: Any] = [
            "canInspect": identity.user.role == .admin || identity.user.role == .inspector,
            "today": PageFormatting.day(now),
        ]
        if identity.user.role == .unit {
            values["scopeNote"] = "您可以查看\(identity.user.unitName ?? "本单位")及其下属单位的情况。"
        }
        // The run results (rates and trend: the scorecards of eight runs, the heaviest part)
        // are kept apart, so a ticket action recomputes only the ticket parts below.
        let results = try await cache.value(
            ComputedPageCache.key("overview-results", [ComputedPageCache.scopeKey(scope)]), reading: Self.resultTables,
            in: store, slot: .none, at: now, size: { _ in 64 << 10 }
        ) { RunResults(values: try await runResults(scope: scope)) }
        values.merge(results.values) { _, result in result }

        // 清零: units ranked by overdue, then open tickets.
        let backlog = try await store.ticketBacklog(at: now, within: scope)
        let withTickets = backlog.filter { $0.open + $0.feedback + $0.closed + $0.dismissed > 0 }
        let cleared = withTickets.filter(\.cleared).count
        values["backlog"] = [
            "units": withTickets.count, "cleared": cleared,
            "progress": PageFormatting.rate(cleared, of: withTickets.count),
            "rows": withTickets.filter { !$0.cleared }.prefix(Self.listRows).map { entry -> [String: Any] in
                [
                    "unit": entry.unit, "open": entry.open, "overdue": entry.overdue, "feedback": entry.feedback,
                    "closed": entry.closed, "hasOverdue": entry.overdue > 0,
                    "link": "/tickets?unit=" + (entry.unit.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                ]
            },
            "hasRows": withTickets.contains { !$0.cleared },
            "hasTickets": !withTickets.isEmpty,
        ] as [String: Any]

        // What needs attention today.
        let overdue = try await store.tickets(ScopedTicketFilter(overdueAt: now, units: scope), limit: Self.listRows, offset: 0)
        let awaiting = try await store.tickets(ScopedTicketFilter(state: .feedback, units: scope), limit: Self.listRows, offset: 0)
        let unreachable = try await store.latestProbeFailures(since: now.addingTimeInterval(-86_400), within: scope)
        values["overdue"] = ["total": overdue.total, "any": overdue.total > 0, "items": overdue.items.map { Self.ticketValues($0) }]
        values["awaiting"] = ["total": awaiting.total, "any": awaiting.total > 0, "items": awaiting.items.map { Self.ticketValues($0) }]
        values["unreachable"] = [
            "total": unreachable.count, "any": !unreachable.isEmpty,
            "items": unreachable.prefix(Self.listRows).map { failure -> [String: Any] in
                [
                    "code": failure.siteCode, "name": failure.siteName, "unit": failure.unit,
                    "at": PageFormatting.minute(failure.probe.at),
                    "reason": failure.probe.status.map { "HTTP \($0)" } ?? failure.probe.error ?? "无响应",
                ]
            },
        ] as [String: Any]
        return try pages.content("overview", values: values)
    }

    /// The run results' part of the overview: the latest run's rates by kind and platform, its
    /// vetoes, the trend over the finished runs, and the runs under way.
    func runResults(scope: UnitSubtree?) async throws -> [String: Any] {
        var values: [String: Any] = [:]
        let sites = try await store.sites(within: scope)
        let siteKinds = Dictionary(sites.map { ($0.code, $0.kind) }, uniquingKeysWith: { first, _ in first })
        let platforms = Dictionary(
            try await store.accounts(within: scope).map { ($0.id, $0.platform) }, uniquingKeysWith: { first, _ in first })

        let recentRuns = try await store.runs(limit: 30, offset: 0).items
        let finished = Array(recentRuns.filter { $0.status == "finished" }.prefix(Self.trendRuns))
        let running = recentRuns.filter { $0.status == "running" }

        // The scorecards of every run shown, read at once (the trend needs up to eight runs).
        let cardsByRun = try await store.scorecards(ofRuns: finished.map(\.code), within: scope)

        // Latest run: rates per kind of site and per platform.
        if let latest = finished.first {
            let cards = cardsByRun[latest.code] ?? []
            var sitesTally = Tally(), accountsTally = Tally()
            var byKind: [SiteKind: Tally] = [:]
            var byPlatform: [Platform: Tally] = [:]
            for card in cards {
                switch card.target.kind {
                case .site:
                    sitesTally.add(card)
                    if let kind = siteKinds[card.target.code] { byKind[kind, default: Tally()].add(card) }
                case .account:
                    accountsTally.add(card)
                    if let platform = platforms[card.target.code] { byPlatform[platform, default: Tally()].add(card) }
                case .unit: break
                }
            }
            var rows: [[String: Any]] = []
            var bars: [(label: String, value: Double, note: String)] = []
            func addRow(_ label: String, _ tally: Tally, group: Bool) {
                guard tally.total > 0 else { return }
                rows.append([
                    "label": label, "passed": tally.passed, "failed": tally.total - tally.passed, "total": tally.total,
                    "rate": PageFormatting.rate(tally.passed, of: tally.total), "group": group,
                ])
                bars.append((label, tally.percent ?? 0, "\(tally.passed)/\(tally.total) 合格"))
            }
            addRow("网站", sitesTally, group: true)
            for kind in SiteKind.allCases { addRow("　" + kind.chineseName, byKind[kind] ?? Tally(), group: false) }
            addRow("政务新媒体", accountsTally, group: true)
            for platform in Platform.allCases { addRow("　" + platform.chineseName, byPlatform[platform] ?? Tally(), group: false) }
            let vetoed = cards.filter { !$0.vetoes.isEmpty && $0.target.kind != .unit }
            values["latest"] = [
                "code": latest.code, "asOf": PageFormatting.asOfDay(latest.asOf),
                "finishedAt": latest.finishedAt.map(PageFormatting.minute) ?? "—",
                "rows": rows, "hasRows": !rows.isEmpty,
                "chart": rows.isEmpty
                    ? "" : SVGChart.percentBars(title: "最近一次检查合格率（\(latest.code)）", rows: bars.map { ($0.label.trimmingCharacters(in: .whitespaces), $0.value, $0.note) }),
                "vetoCount": vetoed.count, "hasVetoes": !vetoed.isEmpty,
                "vetoes": vetoed.prefix(Self.listRows).map { card -> [String: Any] in
                    [
                        "name": card.target.name, "link": Self.link(card.target, platforms: platforms),
                        "kindName": card.target.kind == .site ? "网站" : "新媒体",
                        "vetoes": card.vetoes.map(PageFormatting.indicatorName).joined(separator: "、"),
                    ]
                },
            ] as [String: Any]
        }

        // Trend over the finished runs, oldest first.
        if finished.count > 1 {
            let chronological = Array(finished.reversed())
            var siteRates: [Double?] = [], accountRates: [Double?] = [], portalRates: [Double?] = [], departmentRates: [Double?] = []
            for run in chronological {
                var sites = Tally(), accounts = Tally(), portals = Tally(), departments = Tally()
                for card in cardsByRun[run.code] ?? [] {
                    switch card.target.kind {
                    case .site:
                        sites.add(card)
                        if siteKinds[card.target.code] == .portal { portals.add(card) } else { departments.add(card) }
                    case .account: accounts.add(card)
                    case .unit: break
                    }
                }
                siteRates.append(sites.percent)
                accountRates.append(accounts.percent)
                portalRates.append(portals.percent)
                departmentRates.append(departments.percent)
            }
            let series = [
                SVGChart.Series(name: "网站", color: SVGChart.palette[0], values: siteRates),
                SVGChart.Series(name: "门户网站", color: SVGChart.palette[3], values: portalRates),
                SVGChart.Series(name: "部门网站", color: SVGChart.palette[5], values: departmentRates),
                SVGChart.Series(name: "政务新媒体", color: SVGChart.palette[1], values: accountRates),
            ].filter { $0.values.contains { $0 != nil } }
            values["trend"] = [
                "chart": SVGChart.percentLines(
                    title: "近\(chronological.count)次检查合格率走势", labels: Self.trendLabels(chronological),
                    series: series),
                "runs": chronological.count,
            ] as [String: Any]
        }

        values["running"] = running.map { run -> [String: Any] in
            ["code": run.code, "asOf": PageFormatting.asOfDay(run.asOf), "startedAt": PageFormatting.minute(run.startedAt)]
        }
        values["hasRunning"] = !running.isEmpty
        values["runningCount"] = running.count
        values["hasRuns"] = !recentRuns.isEmpty
        return values
    }

    /// The as-of day of each run (`03-31`), with the run's number of that day when two runs
    /// share it (`03-31 #2`).
    static func trendLabels(_ runs: [InspectionRun]) -> [String] {
        let days = runs.map { PageFormatting.shortDay($0.asOf.addingTimeInterval(-1)) }
        return zip(runs, days).map { run, day in
            days.filter { $0 == day }.count > 1 ? "\(day) #\(Int(run.code.suffix(4)) ?? 0)" : day
        }
    }

    static func ticketValues(_ ticket: Ticket) -> [String: Any] {
        [
            "code": ticket.code, "unit": ticket.unit, "target": ticket.target.name,
            "indicatorName": PageFormatting.indicatorName(ticket.indicator), "deadline": ticket.deadline?.description ?? "—",
        ]
    }

    static func link(_ target: Target, platforms: [String: Platform]) -> String {
        switch target.kind {
        case .site: return "/sites/\(target.code)"
        case .account:
            let id = target.code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return "/accounts/\(id)" + (platforms[target.code].map { "?platform=\($0.rawValue)" } ?? "")
        case .unit: return "/tickets"
        }
    }
}
