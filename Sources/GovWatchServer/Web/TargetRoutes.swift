import Foundation
import GovWatchCore
import GovWatchStore
import Hummingbird

/// 网站 and 新媒体: the lists of sites and accounts with their latest results, and each
/// target's page (scorecard, findings with their evidence highlighted, availability probes
/// of the week, columns). A unit user sees only its unit and sub-units; any other target
/// answers 404.
struct TargetRoutes: Sendable {
    let store: Store
    let pages: PageRenderer
    let configuration: ServerConfiguration
    let cache: ComputedPageCache

    func register(on routes: Routes) {
        routes.get("/sites", access: .signedIn) { request, context in try await siteList(request, context) }
        routes.get("/sites/{code}", access: .signedIn) { request, context in try await sitePage(request, context) }
        routes.get("/accounts", access: .signedIn) { request, context in try await accountList(request, context) }
        routes.get("/accounts/{id}", access: .signedIn) { request, context in try await accountPage(request, context) }
    }

    // MARK: Shared

    /// The newest finished run (the one results are read from), else the newest of any state.
    static func latestRun(in store: Store) async throws -> InspectionRun? {
        let runs = try await store.runs(limit: 20, offset: 0).items
        return runs.first { $0.status == "finished" } ?? runs.first
    }

    /// The units a `unit` filter names, within the user's scope: nil for no filter, an empty
    /// subtree when the unit is unknown or outside the scope.
    static func unitFilter(_ name: String?, scope: UnitSubtree?, in store: Store) async throws -> UnitSubtree? {
        guard let name else { return nil }
        guard let subtree = try await store.unitSubtree(named: name) else { return UnitSubtree(root: name, ids: [], names: []) }
        return scope.map { subtree.intersection($0) } ?? subtree
    }

    static func unitOptions(scope: UnitSubtree?, selected: String?, in store: Store) async throws -> [[String: Any]] {
        let units = try await store.units(within: scope).map(\.name).sorted()
        return PageFormatting.options([("", "全部单位")] + units.map { ($0, $0) }, selected: selected)
    }

    static let verdictChoices: [(value: String, label: String)] = [
        ("", "全部结果"), ("yes", "合格"), ("no", "不合格"), ("incomplete", "未能完成检查"), ("none", "未评分"),
    ]

    static func matches(_ card: Scorecard?, verdict: String?) -> Bool {
        switch verdict {
        case nil: true
        case "yes": card?.passed == true
        case "no": card?.passed == false
        case "incomplete": card?.incomplete == true
        case "none": card == nil
        default: true
        }
    }

    /// A page of findings of one target in a run, each with its evidence in parts.
    func findingValues(run: InspectionRun, code: String, scope: UnitSubtree?, limit: Int, offset: Int) async throws
        -> (items: [[String: Any]], total: Int)
    {
        let (_, page) = try await store.findings(
            of: run.code, filter: FindingFilter(target: code, units: scope), limit: limit, offset: offset)
        let items = page.items.map { finding -> [String: Any] in
            var values: [String: Any] = [
                "indicatorName": PageFormatting.indicatorName(finding.indicator), "indicator": finding.indicator.rawValue,
                "levelName": PageFormatting.levelName(finding.level), "level": finding.level.rawValue,
                "parts": EvidenceHighlight.parts(of: finding.evidence, detail: finding.detail).map {
                    ["text": $0.text, "marked": $0.marked] as [String: Any]
                },
            ]
            if let url = finding.url {
                values["url"] = url
                if let link = PageFormatting.safeLink(url) { values["href"] = link }
            }
            return values
        }
        return (items, page.total)
    }

    // MARK: Sites

    func siteList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let (limit, offset) = PageFormatting.paging(request)
        let unit = PageFormatting.parameter(request, "unit")
        let kind = PageFormatting.parameter(request, "kind").flatMap(SiteKind.init(rawValue:))
        let verdict = PageFormatting.parameter(request, "passed")
        let units = try await Self.unitFilter(unit, scope: identity.scope, in: store)
        let run = try await Self.latestRun(in: store)
        var cards: [String: Scorecard] = [:]
        if let run {
            for card in try await store.scorecards(of: run.code, within: identity.scope).1 where card.target.kind == .site {
                cards[card.target.code] = card
            }
        }
        let sites = try await store.sites(within: identity.scope).filter { site in
            (units?.contains(unit: site.unit) ?? true) && (kind == nil || site.kind == kind)
                && Self.matches(cards[site.code], verdict: verdict)
        }
        let shown = sites.dropFirst(offset).prefix(limit)
        let rows = shown.map { site -> [String: Any] in
            var row: [String: Any] = [
                "code": site.code, "name": site.name, "url": site.url, "kindName": site.kind.chineseName, "unit": site.unit,
            ]
            if let card = cards[site.code] { row["card"] = PageFormatting.scorecardValues(card) }
            return row
        }
        var filters: [(String, String)] = []
        if let unit { filters.append(("unit", unit)) }
        if let kind { filters.append(("kind", kind.rawValue)) }
        if let verdict { filters.append(("passed", verdict)) }
        var values: [String: Any] = [
            "sites": rows, "hasSites": !rows.isEmpty,
            "unitOptions": try await Self.unitOptions(scope: identity.scope, selected: unit, in: store),
            "kindOptions": PageFormatting.options(
                [("", "全部类型")] + SiteKind.allCases.map { ($0.rawValue, $0.chineseName) }, selected: kind?.rawValue),
            "verdictOptions": PageFormatting.options(Self.verdictChoices, selected: verdict),
            "pager": PageFormatting.pager(path: "/sites", filters: filters, limit: limit, offset: offset, total: sites.count),
            "limit": limit,
        ]
        if let run { values["run"] = ["code": run.code, "asOf": PageFormatting.asOfDay(run.asOf)] }
        return try pages.page("sites", frame: PageFrame(title: "网站", identity: identity, path: "/sites"), values: values)
    }

    /// What a site's page is computed from.
    static let sitePageTables: [DataVersions.Table] = [
        .units, .sites, .siteColumns, .runs, .findings, .scorecards, .bonusPoints, .probes, .settings,
    ]

    /// A page's content and the name its frame is titled with.
    struct TitledContent: Sendable {
        var title: String
        var content: PageContent
    }

    func sitePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let code = context.parameters.get("code") ?? ""
        let (limit, offset) = PageFormatting.paging(request)
        let now = configuration.clock()
        // The same for everyone of a role and scope; the week of probes ends at most a minute ago.
        let page = try await cache.value(
            ComputedPageCache.key("site", [code, "\(limit)", "\(offset)"] + ComputedPageCache.audience(identity)),
            reading: Self.sitePageTables, in: store,
            slot: .minute, at: now, size: { $0.content.bytes }
        ) { try await sitePageContent(code: code, identity: identity, limit: limit, offset: offset, now: now) }
        return try pages.page(page.content, frame: PageFrame(title: page.title, identity: identity, path: "/sites/\(code)"))
    }

    func sitePageContent(code: String, identity: Identity, limit: Int, offset: Int, now: Date) async throws -> TitledContent {
        guard let site = try await store.sites(within: identity.scope).first(where: { $0.code == code }) else {
            throw WebError.notFound
        }
        let indicators = try await store.indicatorSet()
        var siteValues: [String: Any] = [
            "code": site.code, "name": site.name, "url": site.url, "kindName": site.kind.chineseName, "unit": site.unit,
        ]
        // Absent keys, not empty strings: a Mustache section renders for any string.
        siteValues["href"] = PageFormatting.safeLink(site.url)
        siteValues["parent"] = site.parent.flatMap { $0.isEmpty ? nil : $0 }
        siteValues["icp"] = site.icp.flatMap { $0.isEmpty ? nil : $0 }
        siteValues["police"] = site.police.flatMap { $0.isEmpty ? nil : $0 }
        var values: [String: Any] = ["site": siteValues]
        var columnFindings: [String: [Finding]] = [:]
        // The run that last scored the site, else the newest run (findings without a score).
        let scored = try await store.latestScorecard(kind: .site, code: site.code)
        var findingsRun = scored?.0
        if findingsRun == nil { findingsRun = try await Self.latestRun(in: store) }
        if let run = findingsRun {
            values["run"] = ["code": run.code, "asOf": PageFormatting.asOfDay(run.asOf)]
            if let card = scored?.1 { values["card"] = PageFormatting.scorecardValues(card) }
            let findings = try await findingValues(run: run, code: site.code, scope: identity.scope, limit: limit, offset: offset)
            values["findings"] = findings.items
            values["hasFindings"] = !findings.items.isEmpty
            values["pager"] = PageFormatting.pager(
                path: "/sites/\(site.code)", filters: [], limit: limit, offset: offset, total: findings.total)
            // Column states come from the run's column findings (bounded: one per column).
            for indicator in [IndicatorID.siteColumnStale, .siteColumnBlank, .siteInspectionIncomplete] {
                let (_, page) = try await store.findings(
                    of: run.code, filter: FindingFilter(target: site.code, indicator: indicator.rawValue, units: identity.scope),
                    limit: 1_000, offset: 0)
                for finding in page.items {
                    guard let url = finding.url ?? Self.string(finding.detail, "url") else { continue }
                    columnFindings[url, default: []].append(finding)
                }
            }
        }
        let (imported, discovered) = try await store.siteColumns(siteCode: site.code)
        let staleRule = indicators.rule(.siteColumnStale)
        func columnValues(_ column: ColumnRecord, discovered: Bool) -> [String: Any] {
            let findings = columnFindings[column.url] ?? []
            var states: [[String: String]] = []
            var lastUpdated = "—"
            for finding in findings {
                switch finding.indicator {
                case .siteColumnStale:
                    states.append(["name": "不更新", "class": "fail"])
                    lastUpdated = Self.string(finding.detail, "lastUpdated") ?? "无日期"
                case .siteColumnBlank: states.append(["name": "空白", "class": "fail"])
                case .siteInspectionIncomplete: states.append(["name": "未能读取", "class": "incomplete"])
                default: break
                }
            }
            if discovered { states.append(["name": "自动发现，待确认", "class": "notice"]) }
            if states.isEmpty { states.append(["name": "正常", "class": "pass"]) }
            let period = column.periodDays ?? staleRule.thresholds?["\(column.category.rawValue)Days"].map { Int($0) }
            var values: [String: Any] = [
                "name": column.name, "url": column.url, "categoryName": column.category.chineseName,
                "period": period.map { "\($0) 天" } ?? "—", "lastUpdated": lastUpdated, "states": states,
            ]
            values["href"] = PageFormatting.safeLink(column.url)
            return values
        }
        let columns = imported.map { columnValues($0, discovered: false) } + discovered.map { columnValues($0, discovered: true) }
        values["columns"] = columns
        values["hasColumns"] = !columns.isEmpty

        // The week's probes: one mark each, failures in red, the time-out line.
        let weekStart = now.addingTimeInterval(-7 * 86_400)
        let probes = try await store.probes(site: site.code, from: weekStart, to: now)
        let timeout = indicators.probeTimeoutSeconds
        let failures = probes.filter { !$0.ok }.count
        var dayLabels: [(Date, String)] = []
        var day = Calendar.chinaStartOfDay(weekStart).addingTimeInterval(86_400)
        while day < now {
            dayLabels.append((day, PageFormatting.shortDay(day)))
            day = day.addingTimeInterval(86_400)
        }
        let marks = probes.map { probe -> SVGChart.Mark in
            let seconds = Double(probe.latencyMilliseconds ?? 0) / 1000
            let outcome =
                probe.ok
                ? "正常，\(String(format: "%.2f", seconds)) 秒"
                : "失败" + (probe.status.map { "（HTTP \($0)）" } ?? "") + (probe.error.map { "：\($0)" } ?? "")
            return SVGChart.Mark(at: probe.at, value: seconds, failed: !probe.ok, note: "\(PageFormatting.minute(probe.at)) \(outcome)")
        }
        values["probes"] = [
            "count": probes.count, "failures": failures, "rate": PageFormatting.rate(probes.count - failures, of: probes.count),
            "timeout": PageFormatting.score(timeout), "from": PageFormatting.minute(weekStart), "to": PageFormatting.minute(now),
            "chart": SVGChart.probeStrip(
                title: "\(site.name) 近7天首页可用性探测", marks: marks, from: weekStart, to: now, threshold: timeout,
                thresholdLabel: "\(PageFormatting.score(timeout))s", dayLabels: dayLabels),
            "recentFailures": probes.filter { !$0.ok }.suffix(10).reversed().map { probe -> [String: Any] in
                [
                    "at": PageFormatting.minute(probe.at), "status": probe.status.map(String.init) ?? "—",
                    "error": probe.error ?? "",
                ]
            },
        ] as [String: Any]
        values["hasProbes"] = !probes.isEmpty
        return TitledContent(title: site.name, content: try pages.content("site", values: values))
    }

    static func string(_ detail: JSONValue, _ key: String) -> String? {
        guard case .object(let fields) = detail, case .string(let value) = fields[key] else { return nil }
        return value
    }

    // MARK: Accounts

    func accountList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let (limit, offset) = PageFormatting.paging(request)
        let unit = PageFormatting.parameter(request, "unit")
        let platform = PageFormatting.parameter(request, "platform").flatMap(Platform.init(rawValue:))
        let verdict = PageFormatting.parameter(request, "passed")
        let units = try await Self.unitFilter(unit, scope: identity.scope, in: store)
        let run = try await Self.latestRun(in: store)
        var cards: [String: Scorecard] = [:]
        if let run {
            for card in try await store.scorecards(of: run.code, within: identity.scope).1 where card.target.kind == .account {
                cards[card.target.code] = card
            }
        }
        let accounts = try await store.accounts(within: identity.scope).filter { account in
            (units?.contains(unit: account.unit) ?? true) && (platform == nil || account.platform == platform)
                && Self.matches(cards[account.id], verdict: verdict)
        }
        let rows = accounts.dropFirst(offset).prefix(limit).map { account -> [String: Any] in
            var row: [String: Any] = [
                "id": account.id, "name": account.name, "platformName": account.platform.chineseName,
                "platform": account.platform.rawValue, "unit": account.unit, "statusName": account.status.chineseName,
                "main": account.main, "link": Self.accountLink(account),
            ]
            if let card = cards[account.id] { row["card"] = PageFormatting.scorecardValues(card) }
            return row
        }
        var filters: [(String, String)] = []
        if let unit { filters.append(("unit", unit)) }
        if let platform { filters.append(("platform", platform.rawValue)) }
        if let verdict { filters.append(("passed", verdict)) }
        var values: [String: Any] = [
            "accounts": rows, "hasAccounts": !rows.isEmpty,
            "unitOptions": try await Self.unitOptions(scope: identity.scope, selected: unit, in: store),
            "platformOptions": PageFormatting.options(
                [("", "全部平台")] + Platform.allCases.map { ($0.rawValue, $0.chineseName) }, selected: platform?.rawValue),
            "verdictOptions": PageFormatting.options(Self.verdictChoices, selected: verdict),
            "pager": PageFormatting.pager(path: "/accounts", filters: filters, limit: limit, offset: offset, total: accounts.count),
            "limit": limit,
        ]
        if let run { values["run"] = ["code": run.code, "asOf": PageFormatting.asOfDay(run.asOf)] }
        return try pages.page("accounts", frame: PageFrame(title: "新媒体", identity: identity, path: "/accounts"), values: values)
    }

    /// The account page's address: the id, with the platform when ids of two platforms could clash.
    static func accountLink(_ account: AccountRecord) -> String {
        accountPath(account) + "?platform=\(account.platform.rawValue)"
    }

    /// `/accounts/{id}`, the id percent-encoded.
    static func accountPath(_ account: AccountRecord) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "/accounts/" + (account.id.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }

    func accountPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = context.parameters.get("id").map { $0.removingPercentEncoding ?? $0 } ?? ""
        let platform = PageFormatting.parameter(request, "platform").flatMap(Platform.init(rawValue:))
        guard
            let account = try await store.accounts(within: identity.scope).first(where: {
                $0.id == id && (platform == nil || $0.platform == platform)
            })
        else { throw WebError.notFound }
        let (limit, offset) = PageFormatting.paging(request)
        var accountValues: [String: Any] = [
            "id": account.id, "name": account.name, "platformName": account.platform.chineseName, "unit": account.unit,
            "statusName": account.status.chineseName, "main": account.main,
        ]
        accountValues["closureFiled"] = account.closureFiled?.description
        accountValues["closedOn"] = account.closedOn?.description
        var values: [String: Any] = ["account": accountValues]
        let scored = try await store.latestScorecard(kind: .account, code: account.id)
        var findingsRun = scored?.0
        if findingsRun == nil { findingsRun = try await Self.latestRun(in: store) }
        if let run = findingsRun {
            values["run"] = ["code": run.code, "asOf": PageFormatting.asOfDay(run.asOf)]
            if let card = scored?.1 { values["card"] = PageFormatting.scorecardValues(card) }
            let findings = try await findingValues(run: run, code: account.id, scope: identity.scope, limit: limit, offset: offset)
            values["findings"] = findings.items
            values["hasFindings"] = !findings.items.isEmpty
            values["pager"] = PageFormatting.pager(
                path: Self.accountPath(account), filters: [("platform", account.platform.rawValue)], limit: limit, offset: offset,
                total: findings.total)
        }
        return try pages.page(
            "account", frame: PageFrame(title: account.name, identity: identity, path: Self.accountPath(account)), values: values)
    }
}

extension Calendar {
    /// Midnight (China Standard Time) of the day `date` falls on.
    static func chinaStartOfDay(_ date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = PageFormatting.chinaTimeZone
        return calendar.startOfDay(for: date)
    }
}
