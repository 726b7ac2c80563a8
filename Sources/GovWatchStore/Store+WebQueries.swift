import FluentKit
import Foundation
import GovWatchCore
import SQLKit

/// A unit and every unit below it (a county and its departments): what a unit user of the
/// web platform may see. Queries take an optional subtree; nil means every unit.
public struct UnitSubtree: Sendable, Hashable {
    /// The unit the subtree hangs from.
    public var root: String
    public var ids: Set<Int>
    public var names: Set<String>

    public init(root: String, ids: Set<Int>, names: Set<String>) {
        self.root = root
        self.ids = ids
        self.names = names
    }

    public func contains(unit name: String) -> Bool { names.contains(name) }

    /// The units both subtrees hold.
    public func intersection(_ other: UnitSubtree) -> UnitSubtree {
        UnitSubtree(root: other.root, ids: ids.intersection(other.ids), names: names.intersection(other.names))
    }
}

/// A page of a list: the items asked for and how many there are in all.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

/// Which findings of a run `findings(of:filter:)` lists.
public struct FindingFilter: Sendable, Hashable {
    /// `target.code`: 网站标识码, account id or unit name.
    public var target: String?
    public var indicator: String?
    public var level: Level?
    /// Only targets of these units (a unit user's scope, narrowed by a `unit` filter).
    public var units: UnitSubtree?

    public init(target: String? = nil, indicator: String? = nil, level: Level? = nil, units: UnitSubtree? = nil) {
        self.target = target
        self.indicator = indicator
        self.level = level
        self.units = units
    }
}

/// Which tickets `tickets(page:)` lists.
public struct ScopedTicketFilter: Sendable, Hashable {
    public var state: TicketState?
    public var indicator: String?
    /// Only tickets overdue at this moment (待整改 after the deadline day).
    public var overdueAt: Date?
    /// Only tickets of these units.
    public var units: UnitSubtree?

    public init(state: TicketState? = nil, indicator: String? = nil, overdueAt: Date? = nil, units: UnitSubtree? = nil) {
        self.state = state
        self.indicator = indicator
        self.overdueAt = overdueAt
        self.units = units
    }
}

/// How many targets of a run passed and failed, and how many problems it found.
public struct RunCounts: Sendable, Hashable {
    public var targets = 0
    public var passed = 0
    public var failed = 0
    public var findings = 0
    public init() {}
}

/// Queries of the web platform, each limited to a unit subtree when given: the registry,
/// runs, findings, scorecards and tickets a person may see.
extension Store {
    /// The unit named `name` and every unit below it; nil when no such unit is registered.
    public func unitSubtree(named name: String) async throws -> UnitSubtree? {
        let units = try await UnitRow.query(on: readDatabase).all()
        guard let root = units.first(where: { $0.name == name }), let rootID = root.id else { return nil }
        return Self.subtree(of: rootID, in: units)
    }

    /// The unit with this id and every unit below it; nil when no such unit is registered.
    public func unitSubtree(id: Int) async throws -> UnitSubtree? {
        let units = try await UnitRow.query(on: readDatabase).all()
        guard units.contains(where: { $0.id == id }) else { return nil }
        return Self.subtree(of: id, in: units)
    }

    static func subtree(of rootID: Int, in units: [UnitRow]) -> UnitSubtree {
        let children = Dictionary(grouping: units.filter { $0.parentID != nil }, by: { $0.parentID! })
        var ids: Set<Int> = []
        var pending = [rootID]
        // Parents come from import files: a cycle is not possible through `UnitDirectory`, but
        // the visited set keeps a hand-edited database from looping.
        while let next = pending.popLast() {
            guard ids.insert(next).inserted else { continue }
            pending.append(contentsOf: (children[next] ?? []).compactMap(\.id))
        }
        let names = Set(units.filter { ids.contains($0.id ?? -1) }.map(\.name))
        let root = units.first { $0.id == rootID }?.name ?? ""
        return UnitSubtree(root: root, ids: ids, names: names)
    }

    // MARK: Registry

    /// Units within `scope`, by name.
    public func units(within scope: UnitSubtree?) async throws -> [UnitListing] {
        // As `units()` lists them, with the sites and accounts counted in the database rather
        // than loaded (the filter menu of every list page asks for this).
        guard let sql = readDatabase as? any SQLDatabase else {
            return try await units().filter { scope?.contains(unit: $0.name) ?? true }
        }
        struct UnitCount: Decodable {
            var unit_id: Int
            var count: Int
        }
        func counts(_ table: String) async throws -> [Int: Int] {
            let rows = try await sql.select().column("unit_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from(table).groupBy("unit_id").all(decoding: UnitCount.self)
            return Dictionary(rows.map { ($0.unit_id, $0.count) }, uniquingKeysWith: +)
        }
        let units = try await unitRows(sql)
        let sites = try await counts(SiteRow.schema)
        let accounts = try await counts(AccountRow.schema)
        return units.values.compactMap { unit -> UnitListing? in
            guard scope?.contains(unit: unit.name) ?? true else { return nil }
            return UnitListing(
                name: unit.name, parent: unit.parent_id.flatMap { units[$0]?.name },
                sites: sites[unit.id] ?? 0, accounts: accounts[unit.id] ?? 0)
        }
        .sorted { $0.name < $1.name }
    }

    /// Sites within `scope`, by code, as `sites()` gives them.
    ///
    /// Read through SQLKit into plain structs, not Fluent models: Fluent finds a model's
    /// fields by reflection (`Mirror`) for every row, and profiling the pages under load
    /// (`benchmarks/web.sh`) showed most of a request's time spent there for a few hundred
    /// registry rows. The same holds for the other registry reads of the pages below.
    public func sites(within scope: UnitSubtree?) async throws -> [SiteRecord] {
        guard let sql = readDatabase as? any SQLDatabase else {
            return try await sites().filter { scope?.contains(unit: $0.unit) ?? true }
        }
        struct Row: Decodable {
            var code: String
            var name: String
            var url: String
            var kind: String
            var unit_id: Int
            var icp: String?
            var police: String?
            var aliases: String?
        }
        let units = try await unitRows(sql)
        return try await sql.select()
            .columns("code", "name", "url", "kind", "unit_id", "icp", "police", "aliases")
            .from(SiteRow.schema).orderBy("code").all(decoding: Row.self)
            .compactMap { site -> SiteRecord? in
                let unit = units[site.unit_id]
                guard scope?.contains(unit: unit?.name ?? "") ?? true else { return nil }
                return SiteRecord(
                    code: site.code, name: site.name, url: site.url, kind: SiteKind(rawValue: site.kind) ?? .department,
                    unit: unit?.name ?? "", parent: unit?.parent_id.flatMap { units[$0]?.name }, icp: site.icp,
                    police: site.police, aliases: site.aliases.map { $0.split(separator: " ").map(String.init) } ?? [])
            }
    }

    /// Accounts within `scope`, by platform and id, as `accounts()` gives them.
    public func accounts(within scope: UnitSubtree?) async throws -> [AccountRecord] {
        guard let sql = readDatabase as? any SQLDatabase else {
            return try await accounts().filter { scope?.contains(unit: $0.unit) ?? true }
        }
        struct Row: Decodable {
            var platform: String
            var account_id: String
            var name: String
            var unit_id: Int
            var is_main: Bool
            var status: String
            var feed: String?
            var closure_filed: String?
            var download_url: String?
            var interaction: Bool?
            var closed_on: String?
        }
        let units = try await unitRows(sql)
        return try await sql.select()
            .columns(
                "platform", "account_id", "name", "unit_id", "is_main", "status", "feed", "closure_filed", "download_url",
                "interaction", "closed_on"
            )
            .from(AccountRow.schema).all(decoding: Row.self)
            .compactMap { account -> AccountRecord? in
                let unit = units[account.unit_id]?.name ?? ""
                guard scope?.contains(unit: unit) ?? true else { return nil }
                return AccountRecord(
                    platform: Platform(rawValue: account.platform) ?? .other, id: account.account_id,
                    name: account.name, unit: unit, main: account.is_main,
                    status: AccountStatus(rawValue: account.status) ?? .active, feed: account.feed,
                    closureFiled: account.closure_filed.flatMap(ChinaTime.parseDay), downloadURL: account.download_url,
                    interaction: account.interaction, closedOn: account.closed_on.flatMap(ChinaTime.parseDay))
            }
            .sorted { ($0.platform.rawValue, $0.id) < ($1.platform.rawValue, $1.id) }
    }

    /// Every unit by id (name and parent), read without Fluent's models.
    struct UnitNameRow: Decodable {
        var id: Int
        var name: String
        var parent_id: Int?
    }

    func unitRows(_ sql: any SQLDatabase) async throws -> [Int: UnitNameRow] {
        let rows = try await sql.select().columns("id", "name", "parent_id").from(UnitRow.schema).all(decoding: UnitNameRow.self)
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The targets (sites, accounts, units) of `scope` by kind, for filtering findings and scorecards.
    func targetCodes(within scope: UnitSubtree) async throws -> [Target.Kind: Set<String>] {
        let ids = Array(scope.ids)
        let sites = try await SiteRow.query(on: readDatabase).filter(\.$unitID ~~ ids).field(\.$code).all().map(\.code)
        let accounts = try await AccountRow.query(on: readDatabase).filter(\.$unitID ~~ ids).field(\.$accountID).all().map(\.accountID)
        return [.site: Set(sites), .account: Set(accounts), .unit: scope.names]
    }

    // MARK: Runs

    /// Runs, newest first.
    public func runs(limit: Int, offset: Int) async throws -> Page<InspectionRun> {
        let total = try await InspectionRunRow.query(on: readDatabase).count()
        let rows = try await InspectionRunRow.query(on: readDatabase).sort(\.$id, .descending).range(offset..<(offset + limit)).all()
        return Page(items: rows.map(\.run), total: total)
    }

    /// A run's counts, of the targets within `scope` only.
    public func counts(of runCode: String, within scope: UnitSubtree?) async throws -> RunCounts {
        let run = try await runRow(runCode)
        let runID = try run.requireID()
        let targets: [Target.Kind: Set<String>]? = if let scope { try await targetCodes(within: scope) } else { nil }
        func visible(_ kind: String, _ code: String) -> Bool {
            guard let targets else { return true }
            return targets[Target.Kind(rawValue: kind) ?? .site]?.contains(code) ?? false
        }
        var counts = RunCounts()
        for card in try await ScorecardRow.query(on: readDatabase).filter(\.$runID == runID)
            .field(\.$targetKind).field(\.$targetCode).field(\.$passed).all() where visible(card.targetKind, card.targetCode)
        {
            counts.targets += 1
            if card.passed { counts.passed += 1 } else { counts.failed += 1 }
        }
        guard let sql = readDatabase as? any SQLDatabase else { return counts }
        // Grouped in the database: a national run holds hundreds of thousands of findings.
        struct Group: Decodable {
            var target_kind: String
            var target_code: String
            var count: Int
        }
        let groups = try await sql.select()
            .column("target_kind").column("target_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            .from(FindingRow.schema).where("run_id", .equal, runID)
            .groupBy("target_kind").groupBy("target_code")
            .all(decoding: Group.self)
        counts.findings = groups.filter { visible($0.target_kind, $0.target_code) }.reduce(0) { $0 + $1.count }
        return counts
    }

    // MARK: Findings and scorecards

    /// A page of a run's findings, in a stable order (target, indicator, fingerprint).
    public func findings(of runCode: String, filter: FindingFilter, limit: Int, offset: Int) async throws
        -> (InspectionRun, Page<Finding>)
    {
        let run = try await runRow(runCode)
        let runID = try run.requireID()
        let targets: [Target.Kind: Set<String>]? = if let units = filter.units { try await targetCodes(within: units) } else { nil }
        if let sql = readDatabase as? any SQLDatabase {
            return (run.run, try await findingsPage(sql, runID: runID, filter: filter, targets: targets, limit: limit, offset: offset))
        }
        return (
            run.run,
            try await findingsPageThroughModels(runID: runID, filter: filter, targets: targets, limit: limit, offset: offset)
        )
    }

    /// The page of `findings(of:filter:limit:offset:)` read as Fluent models: the reference
    /// the plain-row read is tested against, and the path of a driver without SQL.
    func findingsPageThroughModels(
        runID: Int, filter: FindingFilter, targets: [Target.Kind: Set<String>]?, limit: Int, offset: Int
    ) async throws -> Page<Finding> {
        func query() -> QueryBuilder<FindingRow> {
            let query = FindingRow.query(on: readDatabase).filter(\.$runID == runID)
            if let target = filter.target { query.filter(\.$targetCode == target) }
            if let indicator = filter.indicator { query.filter(\.$indicator == indicator) }
            if let level = filter.level { query.filter(\.$level == level.rawValue) }
            if let targets {
                query.group(.or) { any in
                    for kind in Target.Kind.allCases {
                        let codes = Array(targets[kind] ?? [])
                        any.group(.and) { all in
                            all.filter(\.$targetKind == kind.rawValue).filter(\.$targetCode ~~ codes)
                        }
                    }
                }
            }
            return query
        }
        let total = try await query().count()
        let rows = try await query().sort(\.$targetKind).sort(\.$targetCode).sort(\.$indicator).sort(\.$fingerprint)
            .range(offset..<(offset + limit)).all()
        return Page(items: try rows.map { try $0.finding() }, total: total)
    }

    /// A finding as `findings(of:filter:limit:offset:)` reads it: a plain row, not a Fluent
    /// model (Fluent reflects over a model's fields for every row; a site page reads up to
    /// four pages of findings).
    struct FindingListRow: Decodable {
        var target_kind: String
        var target_code: String
        var target_name: String
        var indicator: String
        var level: String
        var url: String?
        var detail: String
        var evidence: String?
        var fingerprint: String

        func finding() throws -> Finding {
            var finding = Finding(
                target: Target(kind: Target.Kind(rawValue: target_kind) ?? .site, code: target_code, name: target_name),
                indicator: IndicatorID(rawValue: indicator), level: Level(rawValue: level) ?? .notice, url: url,
                detail: try JSONDecoder().decode(JSONValue.self, from: Data(detail.utf8)), evidence: evidence,
                locationKey: "")
            finding.fingerprint = fingerprint
            return finding
        }
    }

    /// The page and count of `findings(of:filter:limit:offset:)` through SQLKit, with the same
    /// conditions and order as the Fluent query.
    func findingsPage(
        _ sql: any SQLDatabase, runID: Int, filter: FindingFilter, targets: [Target.Kind: Set<String>]?, limit: Int, offset: Int
    ) async throws -> Page<Finding> {
        // Fluent's `~~ []` matches nothing: a kind without codes drops out of the OR, and a
        // scope without any target matches no finding at all.
        let scoped = targets.map { targets in
            Target.Kind.allCases.compactMap { kind -> (String, [String])? in
                let codes = (targets[kind] ?? []).sorted()
                return codes.isEmpty ? nil : (kind.rawValue, codes)
            }
        }
        if let scoped, scoped.isEmpty { return Page(items: [], total: 0) }
        func conditions(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            query.where("run_id", .equal, runID)
            if let target = filter.target { query.where("target_code", .equal, target) }
            if let indicator = filter.indicator { query.where("indicator", .equal, indicator) }
            if let level = filter.level { query.where("level", .equal, level.rawValue) }
            if let scoped {
                query.where { any in
                    for (kind, codes) in scoped {
                        any.orWhere { all in all.where("target_kind", .equal, kind).where("target_code", .in, codes) }
                    }
                    return any
                }
            }
            return query
        }
        struct Count: Decodable { var count: Int }
        let total =
            try await conditions(
                sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from(FindingRow.schema)
            ).first(decoding: Count.self)?.count ?? 0
        let rows = try await conditions(
            sql.select()
                .columns("target_kind", "target_code", "target_name", "indicator", "level", "url", "detail", "evidence", "fingerprint")
                .from(FindingRow.schema)
        )
        .orderBy("target_kind").orderBy("target_code").orderBy("indicator").orderBy("fingerprint")
        .limit(limit).offset(offset)
        .all(decoding: FindingListRow.self)
        return Page(items: try rows.map { try $0.finding() }, total: total)
    }

    /// The scorecards of a run within `scope` (sites, accounts, units by code), bonuses applied.
    public func scorecards(of runCode: String, within scope: UnitSubtree?) async throws -> (InspectionRun, [Scorecard]) {
        let (run, cards) = try await scorecards(of: runCode)
        guard let scope else { return (run, cards) }
        let targets = try await targetCodes(within: scope)
        return (run, cards.filter { targets[$0.target.kind]?.contains($0.target.code) ?? false })
    }

    /// The scorecards of several runs within `scope`, by run code, each run's as
    /// `scorecards(of:within:)` gives them (same order, bonuses applied), read in one query for
    /// all runs: the overview's trend asked for eight runs one by one.
    public func scorecards(ofRuns runCodes: [String], within scope: UnitSubtree?) async throws -> [String: [Scorecard]] {
        guard !runCodes.isEmpty else { return [:] }
        var codeOfRun: [Int: String] = [:]
        for run in try await InspectionRunRow.query(on: readDatabase).filter(\.$code ~~ runCodes).all() {
            codeOfRun[try run.requireID()] = run.code
        }
        let runIDs = Array(codeOfRun.keys)
        guard !runIDs.isEmpty else { return [:] }
        let targets: [Target.Kind: Set<String>]? = if let scope { try await targetCodes(within: scope) } else { nil }
        let bonuses = try await BonusPointsRow.query(on: readDatabase).filter(\.$runID ~~ runIDs).all()
            .keyed { "\($0.runID) \($0.siteCode)" }
        let order: [String: Int] = ["site": 0, "account": 1, "unit": 2]
        struct Row: Decodable {
            var run_id: Int
            var target_kind: String
            var target_code: String
            var target_name: String
            var score: Double
            var vetoes: String
            var passed: Bool
            var incomplete: Bool?
            var unconfirmed_columns: Int?
        }
        // Plain rows rather than `ScorecardRow` models: eight runs are thousands of cards, and
        // Fluent reflects over a model's fields for every row.
        let rows: [Row]
        if let sql = readDatabase as? any SQLDatabase {
            rows = try await sql.select()
                .columns(
                    "run_id", "target_kind", "target_code", "target_name", "score", "vetoes", "passed", "incomplete",
                    "unconfirmed_columns"
                )
                .from(ScorecardRow.schema).where("run_id", .in, runIDs).all(decoding: Row.self)
        } else {
            rows = try await ScorecardRow.query(on: readDatabase).filter(\.$runID ~~ runIDs).all().map {
                Row(
                    run_id: $0.runID, target_kind: $0.targetKind, target_code: $0.targetCode, target_name: $0.targetName,
                    score: $0.score, vetoes: $0.vetoes, passed: $0.passed, incomplete: $0.incomplete,
                    unconfirmed_columns: $0.unconfirmedColumns)
            }
        }
        var cards: [String: [(order: Int, card: Scorecard)]] = [:]
        for row in rows {
            guard let runCode = codeOfRun[row.run_id] else { continue }
            let kind = Target.Kind(rawValue: row.target_kind) ?? .site
            if let targets, !(targets[kind]?.contains(row.target_code) ?? false) { continue }
            var card = Scorecard(
                target: Target(kind: kind, code: row.target_code, name: row.target_name),
                score: row.score, vetoes: row.vetoes.split(separator: ",").map { IndicatorID(rawValue: String($0)) },
                passed: row.passed, incomplete: row.incomplete ?? false, unconfirmedColumns: row.unconfirmed_columns ?? 0)
            if kind == .site, let bonus = bonuses["\(row.run_id) \(row.target_code)"] {
                card = bonus.entry(run: runCode).apply(to: card)
            }
            cards[runCode, default: []].append((order[row.target_kind] ?? 9, card))
        }
        return cards.mapValues { list in
            list.sorted { ($0.order, $0.card.target.code) < ($1.order, $1.card.target.code) }.map(\.card)
        }
    }

    /// The newest scorecard of a target, with its run; nil when no run scored it.
    public func latestScorecard(kind: Target.Kind, code: String) async throws -> (InspectionRun, Scorecard)? {
        let rows = try await ScorecardRow.query(on: readDatabase).filter(\.$targetKind == kind.rawValue)
            .filter(\.$targetCode == code).sort(\.$runID, .descending).limit(1).all()
        guard let row = rows.first, let run = try await InspectionRunRow.find(row.runID, on: readDatabase) else { return nil }
        // The one card with its bonus, not every card of the run (hundreds) to pick one.
        guard let card = try await applyingBonuses([row.scorecard], runID: row.runID, runCode: run.code).first else { return nil }
        return (run.run, card)
    }

    // MARK: Tickets

    /// A page of tickets, in id order; `total` counts every ticket the filter matches.
    public func tickets(_ filter: ScopedTicketFilter, limit: Int, offset: Int) async throws -> Page<Ticket> {
        let today = Self.overdueDay(filter)
        func query() -> QueryBuilder<TicketRow> { ticketQuery(filter) }
        let total: Int
        if let sql = readDatabase as? any SQLDatabase {
            // COUNT(*) with the same conditions: Fluent counts `COUNT(id)`, which SQLite answers by
            // reading a whole index (13 ms for 50,000 tickets, on every list page), while an
            // unconditional COUNT(*) comes from the table's b-tree at once.
            struct Count: Decodable { var count: Int }
            let count = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from(TicketRow.schema)
            // An empty subtree matches nothing, as Fluent's `~~ []` does (ids are positive).
            if let units = filter.units { count.where("unit_id", .in, units.ids.isEmpty ? [-1] : Array(units.ids)) }
            if let state = filter.state { count.where("state", .equal, state.rawValue) }
            if let indicator = filter.indicator { count.where("indicator", .equal, indicator) }
            if let today {
                count.where("state", .equal, TicketState.open.rawValue).where("deadline", .isNot, SQLLiteral.null)
                    .where("deadline", .lessThan, today)
            }
            total = try await count.first(decoding: Count.self)?.count ?? 0
        } else {
            total = try await query().count()
        }
        if let sql = readDatabase as? any SQLDatabase {
            // Plain rows, not Fluent models (see `sites(within:)`), with the conditions above.
            let query = sql.select().columns(TicketListRow.columns.map { SQLIdentifier($0) }).from(TicketRow.schema)
            if let units = filter.units { query.where("unit_id", .in, units.ids.isEmpty ? [-1] : Array(units.ids)) }
            if let state = filter.state { query.where("state", .equal, state.rawValue) }
            if let indicator = filter.indicator { query.where("indicator", .equal, indicator) }
            if let today {
                query.where("state", .equal, TicketState.open.rawValue).where("deadline", .isNot, SQLLiteral.null)
                    .where("deadline", .lessThan, today)
            }
            let rows = try await query.orderBy("id").limit(limit).offset(offset).all(decoding: TicketListRow.self)
            let unitIDs = Array(Set(rows.map(\.unit_id)))
            let names =
                unitIDs.isEmpty
                ? [:]
                : Dictionary(
                    try await sql.select().columns("id", "name", "parent_id").from(UnitRow.schema).where("id", .in, unitIDs)
                        .all(decoding: UnitNameRow.self).map { ($0.id, $0.name) },
                    uniquingKeysWith: { first, _ in first })
            return Page(items: rows.map { $0.ticket(unit: names[$0.unit_id] ?? "") }, total: total)
        }
        return Page(items: try await ticketsThroughModels(query(), limit: limit, offset: offset), total: total)
    }

    /// 待整改 after the deadline day has ended (`Ticket.isOverdue`): the deadline is before the
    /// day of `moment` in China Standard Time (days sort as text).
    static func overdueDay(_ filter: ScopedTicketFilter) -> String? {
        filter.overdueAt.map { CalendarDate($0.addingTimeInterval(-0.001)).description }
    }

    /// The tickets `filter` matches, as a Fluent query.
    func ticketQuery(_ filter: ScopedTicketFilter) -> QueryBuilder<TicketRow> {
        let query = TicketRow.query(on: readDatabase)
        if let units = filter.units { query.filter(\.$unitID ~~ Array(units.ids)) }
        if let state = filter.state { query.filter(\.$state == state.rawValue) }
        if let indicator = filter.indicator { query.filter(\.$indicator == indicator) }
        if let today = Self.overdueDay(filter) {
            query.filter(\.$state == TicketState.open.rawValue).filter(\.$deadline != nil).filter(\.$deadline < today)
        }
        return query
    }

    /// A page of tickets read as Fluent models: the reference the plain-row read is tested
    /// against, and the path of a driver without SQL.
    func ticketsThroughModels(_ query: QueryBuilder<TicketRow>, limit: Int, offset: Int) async throws -> [Ticket] {
        let rows = try await query.sort(\.$id).range(offset..<(offset + limit)).all()
        let unitIDs = Array(Set(rows.map(\.unitID)))
        let names = try await UnitRow.query(on: readDatabase).filter(\.$id ~~ unitIDs).all().keyed(by: \.id).mapValues(\.name)
        return rows.map { $0.ticket(unit: names[$0.unitID] ?? "") }
    }

    /// A ticket as the ticket lists read it: the columns of `TicketRow`, without the model.
    struct TicketListRow: Decodable {
        static let columns = [
            "id", "fingerprint", "unit_id", "target_kind", "target_code", "target_name", "indicator", "level", "url", "evidence",
            "state", "occurrences", "first_seen", "last_seen", "deadline", "assignee", "feedback_text", "reopened", "signature",
            "last_run",
        ]
        var id: Int
        var fingerprint: String
        var unit_id: Int
        var target_kind: String
        var target_code: String
        var target_name: String
        var indicator: String
        var level: String
        var url: String?
        var evidence: String?
        var state: String
        var occurrences: Int
        var first_seen: Date
        var last_seen: Date
        var deadline: String?
        var assignee: String?
        var feedback_text: String?
        var reopened: Int
        var signature: String
        var last_run: String?

        /// As `TicketRow.ticket(unit:)` builds it.
        func ticket(unit: String) -> Ticket {
            Ticket(
                id: id, fingerprint: fingerprint, unit: unit,
                target: Target(kind: Target.Kind(rawValue: target_kind) ?? .site, code: target_code, name: target_name),
                indicator: IndicatorID(rawValue: indicator), level: Level(rawValue: level) ?? .notice, url: url,
                evidence: evidence, signature: signature, state: TicketState(rawValue: state) ?? .open, occurrences: occurrences,
                firstSeen: first_seen, lastSeen: last_seen, lastRun: last_run, deadline: deadline.flatMap(ChinaTime.parseDay),
                assignee: assignee, feedbackText: feedback_text, reopened: reopened)
        }
    }

    /// One ticket by its id as people write it, only when its unit is within `scope`; nil
    /// otherwise (outside the scope is the same as not there).
    public func ticket(_ code: String, within scope: UnitSubtree?) async throws -> Ticket? {
        guard let id = TicketCode.parse(code), let row = try await TicketRow.find(id, on: readDatabase) else { return nil }
        if let scope, !scope.ids.contains(row.unitID) { return nil }
        let unit = try await UnitRow.find(row.unitID, on: readDatabase)?.name ?? ""
        return row.ticket(unit: unit)
    }
}

extension ScorecardRow {
    /// The stored card without its bonus, as `Store.scorecards(of:)` builds it.
    var scorecard: Scorecard {
        Scorecard(
            target: Target(kind: Target.Kind(rawValue: targetKind) ?? .site, code: targetCode, name: targetName),
            score: score, vetoes: vetoes.split(separator: ",").map { IndicatorID(rawValue: String($0)) },
            passed: passed, incomplete: incomplete ?? false, unconfirmedColumns: unconfirmedColumns ?? 0)
    }
}
