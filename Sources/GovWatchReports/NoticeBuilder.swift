import Foundation
import GovWatchCore
import GovWatchStore

/// Everything a notice is computed from: the period's results and tickets, the previous
/// period's, and the registry (for units, kinds of site and platforms).
public struct NoticeInput: Sendable {
    public var period: ReportPeriod
    public var results: PeriodResults
    /// Tickets as they stood at the end of the period (`Store.tickets(asOf:)`).
    public var tickets: [Ticket]
    public var previousResults: PeriodResults
    /// Tickets as they stood at the end of the previous period.
    public var previousTickets: [Ticket]
    public var sites: [SiteRecord]
    public var accounts: [AccountRecord]

    public init(
        period: ReportPeriod, results: PeriodResults, tickets: [Ticket], previousResults: PeriodResults,
        previousTickets: [Ticket], sites: [SiteRecord], accounts: [AccountRecord]
    ) {
        self.period = period
        self.results = results
        self.tickets = tickets
        self.previousResults = previousResults
        self.previousTickets = previousTickets
        self.sites = sites
        self.accounts = accounts
    }

    /// Reads the period, the previous period of the same length and the registry.
    public static func load(from store: Store, period: ReportPeriod) async throws -> NoticeInput {
        let previous = period.previous
        return NoticeInput(
            period: period,
            results: try await store.periodResults(asOfAfter: period.start, through: period.end),
            tickets: try await store.tickets(asOf: period.end),
            previousResults: try await store.periodResults(asOfAfter: previous.start, through: previous.end),
            previousTickets: try await store.tickets(asOf: previous.end),
            sites: try await store.sites(), accounts: try await store.accounts())
    }
}

/// Computes a `Notice` from its input: pure, deterministic, no I/O.
public struct NoticeBuilder: Sendable {
    public var settings: NoticeSettings
    public var template: NoticeTemplate
    /// The date used when the settings give none (the caller's today).
    public var today: CalendarDate

    public init(settings: NoticeSettings = NoticeSettings(), template: NoticeTemplate = .standard, today: CalendarDate) {
        self.settings = settings
        self.template = template
        self.today = today
    }

    public func build(_ input: NoticeInput) -> Notice {
        let registry = Registry(sites: input.sites, accounts: input.accounts)
        let results = input.results
        let overview = Self.overview(results, registry: registry)
        let previous = input.previousResults.runs.isEmpty ? nil : Self.overview(input.previousResults, registry: registry)
        let problems = Self.problems(results.findings, registry: registry)
        let backlog = Self.backlog(input.tickets, at: input.period)
        let previousBacklog = input.previousTickets.isEmpty ? nil : Self.backlog(input.previousTickets, at: input.period.previous)

        let office = settings.office ?? Self.defaultOffice(registry: registry)
        let officeShort = settings.officeShort ?? Self.shortName(ofOffice: office)
        let rule = settings.commendation ?? CommendationRule()
        let prominent = Set((settings.prominentIndicators?.map { IndicatorID(rawValue: $0) }) ?? NoticeSettings.defaultProminentIndicators)
        let commended = Self.commended(results, tickets: input.tickets, rule: rule, excluding: office, registry: registry)
        let problemSites = Self.problemTargets(results, kind: .site, prominent: prominent, registry: registry)
        let problemAccounts = Self.problemTargets(results, kind: .account, prominent: prominent, registry: registry)
        let date = settings.date ?? today

        var notice = Notice(
            period: input.period,
            title: settings.title ?? "\(office)关于\(input.period.chineseName)全市政府网站和政府系统政务新媒体检查情况的通报",
            documentNumber: settings.documentNumber, recipients: settings.recipients ?? NoticeSettings.defaultRecipients,
            office: office, officeShort: officeShort, date: date,
            dateText: (settings.chineseNumeralDate ?? false) ? ChineseDates.numerals(date) : ChineseDates.full(date),
            opening: [], overview: overview, previous: previous, previousName: input.period.previousName,
            achievements: [], problems: problems, backlog: backlog, previousBacklog: previousBacklog, requirements: [],
            commended: commended, commendationRule: rule.description, problemSites: problemSites,
            problemSitesRule: Self.listingRule(prominent, prefix: "site.", targets: "网站"),
            problemAccounts: problemAccounts, problemAccountsRule: Self.listingRule(prominent, prefix: "account.", targets: "账号"),
            contact: settings.contact, runs: results.runs.map(\.code))
        let values = NoticeWording.placeholderValues(notice)
        notice.opening = template.filled(.opening, values: values).flatMap(\.paragraphs)
        notice.achievements = template.filled(.achievements, values: values)
        notice.requirements = template.filled(.requirements, values: values)
        return notice
    }

    // MARK: The registry

    /// Units, site categories and platforms of the registered targets.
    struct Registry {
        var sites: [String: SiteRecord]
        var accounts: [String: AccountRecord]

        init(sites: [SiteRecord], accounts: [AccountRecord]) {
            self.sites = Dictionary(sites.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
            self.accounts = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }

        /// The unit responsible for a target; a target no longer registered counts as its own unit.
        func unit(of target: Target) -> String {
            switch target.kind {
            case .site: sites[target.code]?.unit ?? target.name
            case .account: accounts[target.code]?.unit ?? target.name
            case .unit: target.code
            }
        }

        func category(ofSite target: Target) -> SiteCategory {
            guard let site = sites[target.code] else {
                return SiteCategory.isCountyLevel(target.name) ? .countyDepartment : .cityDepartment
            }
            return SiteCategory.classify(kind: site.kind, unit: site.unit, parent: site.parent)
        }

        func platform(ofAccount target: Target) -> Platform {
            accounts[target.code]?.platform ?? .other
        }

        /// How the notice names a target: the site's name, or the account's name.
        func name(of target: Target) -> String {
            switch target.kind {
            case .site: sites[target.code]?.name ?? target.name
            case .account: accounts[target.code]?.name ?? target.name
            case .unit: target.code
            }
        }
    }

    /// The office that runs the city portal, as `…人民政府办公室`; `市人民政府办公室` without one.
    static func defaultOffice(registry: Registry) -> String {
        let portals = registry.sites.values
            .filter { SiteCategory.classify(kind: $0.kind, unit: $0.unit, parent: $0.parent) == .cityPortal }
            .sorted { $0.code < $1.code }
        guard let unit = portals.first?.unit else { return "市人民政府办公室" }
        if unit.hasSuffix("办公室") { return unit }
        if unit.hasSuffix("人民政府") { return unit + "办公室" }
        return unit
    }

    /// `市政府办公室` for `鸿溪市人民政府办公室`, `县政府办公室` for a county's; otherwise the name.
    static func shortName(ofOffice office: String) -> String {
        guard office.hasSuffix("人民政府办公室") else { return office }
        let place = office.dropLast("人民政府办公室".count)
        if let last = place.last, "市县区州盟旗".contains(last) { return "\(last)政府办公室" }
        return office
    }

    // MARK: 一、总体情况

    static func overview(_ results: PeriodResults, registry: Registry) -> Overview {
        var overview = Overview()
        var byCategory: [SiteCategory: Tally] = [:]
        var byPlatform: [Platform: Tally] = [:]
        for card in results.scorecards {
            switch card.target.kind {
            case .site:
                overview.sites.add(passed: card.passed)
                if !card.vetoes.isEmpty { overview.vetoedSites += 1 }
                if card.incomplete { overview.incompleteSites += 1 }
                if card.bonus > 0 {
                    overview.bonusSites.append(BonusScore(
                        name: registry.name(of: card.target), code: card.target.code, score: card.score, bonus: card.bonus,
                        total: card.total))
                }
                byCategory[registry.category(ofSite: card.target), default: Tally()].add(passed: card.passed)
            case .account:
                overview.accounts.add(passed: card.passed)
                if !card.vetoes.isEmpty { overview.vetoedAccounts += 1 }
                byPlatform[registry.platform(ofAccount: card.target), default: Tally()].add(passed: card.passed)
            case .unit:
                continue
            }
        }
        overview.sitesByCategory = SiteCategory.allCases.compactMap { category in
            byCategory[category].map { NamedTally(name: category.chineseName, tally: $0) }
        }
        overview.accountsByPlatform = Platform.allCases.compactMap { platform in
            byPlatform[platform].map { NamedTally(name: platform.chineseName, tally: $0) }
        }
        let counted = results.findings.filter(Self.isCountedProblem)
        overview.problemCount = counted.count
        overview.problemsByType = Dictionary(grouping: counted, by: \.indicator)
            .sorted { ProblemCatalog.rank(of: $0.key) < ProblemCatalog.rank(of: $1.key) }
            .map { indicator, findings in
                let type = ProblemCatalog.type(of: indicator)
                return TypeCount(
                    name: type.name, indicator: indicator, count: findings.count,
                    targets: Set(findings.map(\.target)).count, measure: type.measure)
            }
        return overview
    }

    /// A finding counts as a problem when its type is counted and it is a veto or a deduction.
    static func isCountedProblem(_ finding: Finding) -> Bool {
        finding.level != .notice && ProblemCatalog.type(of: finding.indicator).counted
    }

    // MARK: 三、主要问题

    static func problems(_ findings: [Finding], registry: Registry) -> Problems {
        var problems = Problems()
        let by = Dictionary(grouping: findings, by: \.indicator)
        func perTarget(_ indicator: IndicatorID, items: (Finding) -> String?) -> [NamedCount] {
            Dictionary(grouping: by[indicator] ?? [], by: \.target)
                .map { target, found in
                    // Items in the order of their pages (column URLs), then by name.
                    let ordered = found.map { ($0.url ?? "", items($0)) }.sorted { ($0.0, $0.1 ?? "") < ($1.0, $1.1 ?? "") }
                    return NamedCount(
                        name: registry.name(of: target), unit: registry.unit(of: target), count: found.count,
                        items: ordered.compactMap(\.1),
                        note: target.kind == .account ? registry.platform(ofAccount: target).chineseName : nil)
                }
                .sorted { ($1.count, $0.name) < ($0.count, $1.name) }
        }
        func names(_ indicator: IndicatorID) -> [String] {
            Set((by[indicator] ?? []).map(\.target)).map { registry.name(of: $0) }.sorted()
        }

        problems.staleColumns = perTarget(.siteColumnStale) { $0.detail["column"]?.stringValue }
        problems.staleColumnVetoSites = Array(Set(names(.siteColumnsStaleVeto) + names(.siteColumnsUnupdatedVeto))).sorted()
        problems.blankColumns = perTarget(.siteColumnBlank) { $0.detail["column"]?.stringValue }
        problems.blankColumnVetoSites = names(.siteColumnsBlankVeto)
        problems.brokenLinks = perTarget(.siteLinksBroken) { $0.detail["link"]?.stringValue }
        problems.brokenOnHomepage = (by[.siteLinksBroken] ?? []).filter { $0.detail["onHomepage"] == .bool(true) }.count

        // Severe errors: one entry per target and wrong term. A site's findings (one per page)
        // carry the site-wide count and page count; an account's are one per post.
        var severe: [SevereError] = []
        for indicator in [IndicatorID.siteContentSevereError, .accountContentSevereError] {
            let groups = Dictionary(grouping: by[indicator] ?? []) { "\($0.target.kind.rawValue)\u{1F}\($0.target.code)\u{1F}\($0.detail["wrong"]?.stringValue ?? "")" }
            for found in groups.values {
                let first = found[0]
                let onSite = indicator == .siteContentSevereError
                let occurrences = found.reduce(0) { $0 + Int($1.detail["occurrences"]?.numberValue ?? 1) }
                let count = onSite ? max(occurrences, found.compactMap { $0.detail["count"]?.numberValue }.map(Int.init).max() ?? 0) : occurrences
                let pages = onSite ? max(found.count, found.compactMap { $0.detail["pageCount"]?.numberValue }.map(Int.init).max() ?? 0) : found.count
                severe.append(SevereError(
                    target: registry.name(of: first.target), unit: registry.unit(of: first.target), onSite: onSite,
                    wrong: first.detail["wrong"]?.stringValue ?? "", correct: first.detail["correct"]?.stringValue ?? "",
                    count: count, pages: pages))
            }
        }
        problems.severeErrors = severe.sorted { ($0.onSite ? 0 : 1, -$0.count, $0.target, $0.wrong) < ($1.onSite ? 0 : 1, -$1.count, $1.target, $1.wrong) }

        // Personal information.
        let sitePrivacy = by[.siteContentPrivacy] ?? []
        let accountPrivacy = by[.accountContentPrivacy] ?? []
        problems.privacyByColumnType = tally(sitePrivacy) {
            ProblemCatalog.columnTypeName($0.detail["columnCategory"]?.stringValue, attachment: $0.detail["attachment"] == .bool(true))
        }
        problems.privacyByKind = tally(sitePrivacy) { ProblemCatalog.privacyKindName($0.detail["kind"]?.stringValue) }
        problems.accountPrivacyByKind = tally(accountPrivacy) { ProblemCatalog.privacyKindName($0.detail["kind"]?.stringValue) }
        problems.privacyTargets = perTarget(.siteContentPrivacy) { _ in nil } + perTarget(.accountContentPrivacy) { _ in nil }

        // New media.
        problems.duplicateAccounts = (by[.accountDuplicate] ?? []).map { finding in
            let platform = finding.detail["platform"]?.stringValue.flatMap(Platform.init(rawValue:)) ?? .other
            let ids: [String]
            if case .array(let values) = finding.detail["accounts"] ?? .null {
                ids = values.compactMap(\.stringValue)
            } else {
                ids = []
            }
            let main = finding.detail["main"]?.stringValue
            let ordered = ids.sorted { ($0 == main ? 0 : 1, $0) < ($1 == main ? 0 : 1, $1) }
            return NamedCount(
                name: finding.target.code, unit: finding.target.code, count: ids.count,
                items: ordered.map { registry.accounts[$0]?.name ?? $0 }, note: platform.chineseName)
        }
        .sorted { ($1.count, $0.name) < ($0.count, $1.name) }
        problems.staleAccounts = accountEntries(by[.accountStale] ?? [], registry: registry)
        problems.zombieAccounts = accountEntries(by[.accountZombie] ?? [], registry: registry)
        if let days = (by[.accountStale] ?? []).compactMap({ $0.detail["days"]?.numberValue }).max() {
            problems.staleAccountDays = Int(days)
        }
        if let days = (by[.accountZombie] ?? []).compactMap({ $0.detail["days"]?.numberValue }).max() {
            problems.zombieAccountDays = Int(days)
        }
        problems.closuresUnfiled = (by[.accountClosureUnfiled] ?? []).map { finding in
            let status = finding.detail["status"]?.stringValue == "closed" ? "已注销" : "已停用"
            let unfiled = finding.detail["closureFiled"] == nil || finding.detail["closureFiled"] == .null
            var what: [String] = []
            if let late = finding.detail["daysLate"]?.numberValue {
                // Judged against the filing deadline (`filingDays` after the stop date).
                what.append(unfiled ? "\(status)超过备案期限\(Int(late))天仍未备案" : "\(status)后逾期\(Int(late))天才备案")
            } else if unfiled {
                what.append("\(status)未备案")
            }
            if finding.detail["downloadable"] == .bool(true) {
                what.append("\(status)后仍提供下载")
            }
            if what.isEmpty { what.append("\(status)未按规定备案") }
            return NamedCount(
                name: registry.name(of: finding.target), unit: registry.unit(of: finding.target), count: 1, items: what,
                note: registry.platform(ofAccount: finding.target).chineseName)
        }
        .sorted { $0.name < $1.name }

        // Everything else, by where it was found.
        let handled: Set<IndicatorID> = [
            .siteColumnStale, .siteColumnsStaleVeto, .siteColumnsUnupdatedVeto, .siteColumnBlank, .siteColumnsBlankVeto,
            .siteLinksBroken, .siteContentSevereError, .accountContentSevereError, .siteContentPrivacy,
            .accountContentPrivacy, .accountDuplicate, .accountStale, .accountZombie, .accountClosureUnfiled,
        ]
        let others = by.filter { !handled.contains($0.key) }
            .sorted { ProblemCatalog.rank(of: $0.key) < ProblemCatalog.rank(of: $1.key) }
            .map { indicator, found in
                OtherProblem(
                    name: ProblemCatalog.type(of: indicator).name, indicator: indicator,
                    level: found.map(\.level).min() ?? .notice,
                    targets: Set(found.map(\.target)).map { registry.name(of: $0) }.sorted(), count: found.count)
            }
        problems.otherSiteProblems = others.filter { $0.indicator.rawValue.hasPrefix("site.") }
        problems.otherAccountProblems = others.filter { $0.indicator.rawValue.hasPrefix("account.") }
        problems.otherUnitProblems = others.filter {
            !$0.indicator.rawValue.hasPrefix("site.") && !$0.indicator.rawValue.hasPrefix("account.")
        }
        return problems
    }

    /// Counts by a label, most first (ties by label).
    static func tally(_ findings: [Finding], label: (Finding) -> String) -> [NamedCount] {
        Dictionary(grouping: findings, by: label)
            .map { NamedCount(name: $0.key, unit: "", count: $0.value.count) }
            .sorted { ($1.count, $0.name) < ($0.count, $1.name) }
    }

    /// Stale or zombie accounts, with the last post day in `items` (empty when none is known).
    static func accountEntries(_ findings: [Finding], registry: Registry) -> [NamedCount] {
        findings.map { finding in
            let last = finding.detail["lastPost"]?.stringValue.flatMap { ChinaTime.parseMoment($0) }.map(CalendarDate.init)
            return NamedCount(
                name: registry.name(of: finding.target), unit: registry.unit(of: finding.target), count: 1,
                items: last.map { [ChineseDates.full($0)] } ?? [], note: registry.platform(ofAccount: finding.target).chineseName)
        }
        .sorted { $0.name < $1.name }
    }

    // MARK: Rectification

    /// The backlog at the end of `period`, per unit as `govwatch tickets` counts it.
    static func backlog(_ tickets: [Ticket], at period: ReportPeriod) -> Backlog {
        var backlog = Backlog(asOf: period.lastDay)
        let units = UnitBacklog.compute(tickets, at: period.end)
        backlog.total = tickets.count
        for unit in units {
            backlog.open += unit.open
            backlog.feedback += unit.feedback
            backlog.closed += unit.closed
            backlog.dismissed += unit.dismissed
            backlog.overdue += unit.overdue
            backlog.reopened += unit.reopened
        }
        backlog.units = units.filter { !$0.cleared }
        backlog.clearedUnits = units.filter(\.cleared).map(\.unit).sorted()
        return backlog
    }

    // MARK: Attachments

    /// `检查不合格，或存在泄露个人信息、严重表述错误等问题的网站`.
    static func listingRule(_ prominent: Set<IndicatorID>, prefix: String, targets: String) -> String {
        let names = prominent.filter { $0.rawValue.hasPrefix(prefix) }
            .sorted { ProblemCatalog.rank(of: $0) < ProblemCatalog.rank(of: $1) }
            .map { ProblemCatalog.type(of: $0).name.replacingOccurrences(of: "新媒体", with: "") }
        guard !names.isEmpty else { return "检查不合格的\(targets)" }
        return "检查不合格，或存在\(names.joined(separator: "、"))问题的\(targets)"
    }

    static func commended(
        _ results: PeriodResults, tickets: [Ticket], rule: CommendationRule, excluding office: String, registry: Registry
    ) -> [CommendedUnit] {
        let cards = Dictionary(grouping: results.scorecards.filter { $0.target.kind != .unit }) { registry.unit(of: $0.target) }
        let serious = results.findings.filter { $0.level != .notice }
        let unitsWithSerious = Set(serious.map { registry.unit(of: $0.target) })
        // Notice-level tickets (HTTPS, site search) are suggestions: they do not bar a unit.
        let unresolved = Set(tickets.filter { ($0.state == .open || $0.state == .feedback) && $0.level != .notice }.map(\.unit))
        let unitFindings = Set(serious.filter { $0.target.kind == .unit }.map(\.target.code))
        return cards.compactMap { unit, cards -> CommendedUnit? in
            guard unit != office, cards.allSatisfy(\.passed), !unitFindings.contains(unit) else { return nil }
            let lowest = cards.map(\.score).min() ?? 0
            if let minimum = rule.minimumScore, lowest < minimum { return nil }
            if rule.requireNoFindings ?? true, unitsWithSerious.contains(unit) { return nil }
            if rule.requireNoOpenTickets ?? true, unresolved.contains(unit) { return nil }
            return CommendedUnit(
                unit: unit,
                sites: cards.filter { $0.target.kind == .site }.map { registry.name(of: $0.target) }.sorted(),
                accounts: cards.filter { $0.target.kind == .account }.map { card in
                    "\(registry.name(of: card.target))（\(registry.platform(ofAccount: card.target).chineseName)）"
                }.sorted(),
                lowestScore: lowest)
        }
        .sorted { (SiteCategory.isCountyLevel($0.unit) ? 1 : 0, $0.unit) < (SiteCategory.isCountyLevel($1.unit) ? 1 : 0, $1.unit) }
    }

    static func problemTargets(
        _ results: PeriodResults, kind: Target.Kind, prominent: Set<IndicatorID>, registry: Registry
    ) -> [ProblemTarget] {
        let findings = Dictionary(grouping: results.findings, by: \.target)
        // Accounts named in a unit's duplicate-account finding, other than the main one.
        var duplicated: [String: String] = [:]
        if kind == .account, prominent.contains(.accountDuplicate) {
            for finding in results.findings where finding.indicator == .accountDuplicate {
                guard case .array(let values) = finding.detail["accounts"] ?? .null else { continue }
                let main = finding.detail["main"]?.stringValue
                for id in values.compactMap(\.stringValue) where id != main {
                    duplicated[id] = ProblemCatalog.type(of: .accountDuplicate).name
                }
            }
        }
        return results.scorecards.filter { $0.target.kind == kind }
            .compactMap { card -> ProblemTarget? in
                let own = (findings[card.target] ?? []).filter { $0.level != .notice }
                let isProminent = own.contains { prominent.contains($0.indicator) }
                guard !card.passed || isProminent || card.incomplete || duplicated[card.target.code] != nil else { return nil }
                var parts = Dictionary(grouping: own, by: \.indicator)
                    .sorted { ProblemCatalog.rank(of: $0.key) < ProblemCatalog.rank(of: $1.key) }
                    .map { indicator, found -> String in
                        let type = ProblemCatalog.type(of: indicator)
                        let text = type.counted ? "\(type.name)\(found.count)\(type.measure)" : type.name
                        return card.vetoes.contains(indicator) ? text + "（单项否决）" : text
                    }
                if let duplicate = duplicated[card.target.code] { parts.append(duplicate) }
                if card.incomplete { parts.insert("首页未能读取，未能完成检查，需人工核查", at: 0) }
                if card.unconfirmedColumns > 0 { parts.append("另有\(card.unconfirmedColumns)个自动发现的栏目待确认，未计入单项否决") }
                return ProblemTarget(
                    name: registry.name(of: card.target), code: card.target.code,
                    kind: kind == .site
                        ? registry.category(ofSite: card.target).chineseName
                        : registry.platform(ofAccount: card.target).chineseName,
                    unit: registry.unit(of: card.target), score: card.score, bonus: card.bonus, passed: card.passed,
                    incomplete: card.incomplete,
                    vetoes: card.vetoes.map { ProblemCatalog.type(of: $0).name }, problems: parts.joined(separator: "；"))
            }
            .sorted { ($0.passed ? 1 : 0, $0.score, $0.code) < ($1.passed ? 1 : 0, $1.score, $1.code) }
    }
}
