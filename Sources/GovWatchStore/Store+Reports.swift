import FluentKit
import Foundation
import GovWatchCore

/// What the inspections of a period found, one result per target: the scorecard and the
/// findings of the last finished run in the period that scored the target.
public struct PeriodResults: Sendable {
    /// The finished runs whose as-of time falls in the period, oldest first.
    public var runs: [InspectionRun]
    /// One scorecard per target (sites and accounts), from the target's last run in the period.
    public var scorecards: [Scorecard]
    /// The findings of each target in that same run, and the unit-level findings
    /// (`account.duplicate`, `unit.*`) of each unit's last run in the period.
    public var findings: [Finding]
    /// The run each target's result comes from, by `"kind code"` (`"site 4390000002"`).
    public var runOfTarget: [String: String]

    public init(runs: [InspectionRun], scorecards: [Scorecard], findings: [Finding], runOfTarget: [String: String]) {
        self.runs = runs
        self.scorecards = scorecards
        self.findings = findings
        self.runOfTarget = runOfTarget
    }
}

/// A rectification ticket (整改单) as the notice counts it, at a given moment.
///
/// ADAPTER: built straight from the `tickets` and `ticket_events` tables, because the
/// tickets API (`Store+Tickets.swift`, issue 6) was not in the tree when the notice was
/// written. When it lands, `reportTickets(at:)` should call it instead; the notice only
/// depends on this struct.
public struct ReportTicket: Sendable, Hashable {
    /// The unit responsible (主办单位 of the target).
    public var unit: String
    public var target: Target
    public var indicator: IndicatorID
    public var level: Level
    /// `open`, `feedback`, `closed` or `dismissed`, as it stood at the moment asked for.
    public var state: String
    public var deadline: CalendarDate?
    /// Open past the end of its deadline day at the moment asked for.
    public var overdue: Bool
    /// Times the ticket was reopened (a problem reported fixed and found again), to date.
    public var reopened: Int

    public init(
        unit: String, target: Target, indicator: IndicatorID, level: Level, state: String, deadline: CalendarDate?,
        overdue: Bool, reopened: Int
    ) {
        self.unit = unit
        self.target = target
        self.indicator = indicator
        self.level = level
        self.state = state
        self.deadline = deadline
        self.overdue = overdue
        self.reopened = reopened
    }
}

/// The queries behind the quarterly notice (`GovWatchReports`).
extension Store {
    /// Finished runs with an as-of time in `(after, through]`, oldest first (as-of, then id).
    ///
    /// `--as-of 2022-03-31` is stored as 2022-04-01 00:00, the end of the first quarter, so
    /// the interval is open at its start and closed at its end.
    public func finishedRuns(asOfAfter after: Date, through end: Date) async throws -> [InspectionRun] {
        try await finishedRunRows(asOfAfter: after, through: end).map(\.run)
    }

    func finishedRunRows(asOfAfter after: Date, through end: Date) async throws -> [InspectionRunRow] {
        try await InspectionRunRow.query(on: database)
            .filter(\.$asOf > after).filter(\.$asOf <= end).filter(\.$status == "finished")
            .all()
            .sorted { ($0.asOf, $0.id ?? 0) < ($1.asOf, $1.id ?? 0) }
    }

    /// Each target's latest result in the period (see `PeriodResults`).
    ///
    /// A target scored by several runs (a monthly full inspection, then a re-inspection)
    /// counts once, with its last result. Unit-level findings come from the last run in the
    /// period that scored any site or account of the unit, so a duplicate-account finding
    /// that a later run no longer reports does not linger.
    public func periodResults(asOfAfter after: Date, through end: Date) async throws -> PeriodResults {
        let db = database
        let runRows = try await finishedRunRows(asOfAfter: after, through: end)
        guard !runRows.isEmpty else { return PeriodResults(runs: [], scorecards: [], findings: [], runOfTarget: [:]) }
        let order = Dictionary(uniqueKeysWithValues: runRows.enumerated().map { ($0.element.id!, $0.offset) })
        let runIDs = runRows.map { $0.id! }

        // The latest scorecard of every target.
        var latest: [String: ScorecardRow] = [:]
        for row in try await ScorecardRow.query(on: db).filter(\.$runID ~~ runIDs).all() {
            let key = "\(row.targetKind) \(row.targetCode)"
            if let current = latest[key], order[current.runID]! >= order[row.runID]! { continue }
            latest[key] = row
        }

        // The latest run of every unit that runs a scored target.
        let units = try await UnitRow.query(on: db).all().keyed(by: \.id)
        var unitOfTarget: [String: String] = [:]
        for site in try await SiteRow.query(on: db).all() { unitOfTarget["site \(site.code)"] = units[site.unitID]?.name }
        for account in try await AccountRow.query(on: db).all() {
            unitOfTarget["account \(account.accountID)"] = units[account.unitID]?.name
        }
        var latestOfUnit: [String: Int] = [:]
        for (key, row) in latest {
            guard let unit = unitOfTarget[key] else { continue }
            if let current = latestOfUnit[unit], order[current]! >= order[row.runID]! { continue }
            latestOfUnit[unit] = row.runID
        }

        let chosenRuns = Set(latest.values.map(\.runID)).union(latestOfUnit.values)
        let rows = try await FindingRow.query(on: db).filter(\.$runID ~~ Array(chosenRuns)).all()
        var findings: [Finding] = []
        for row in rows {
            let keep: Bool
            if row.targetKind == Target.Kind.unit.rawValue {
                keep = latestOfUnit[row.targetCode] == row.runID
            } else {
                keep = latest["\(row.targetKind) \(row.targetCode)"]?.runID == row.runID
            }
            if keep { findings.append(try row.finding()) }
        }
        findings.sort {
            ($0.target.kind.rawValue, $0.target.code, $0.indicator.rawValue, $0.url ?? "", $0.fingerprint)
                < ($1.target.kind.rawValue, $1.target.code, $1.indicator.rawValue, $1.url ?? "", $1.fingerprint)
        }

        let codes = Dictionary(uniqueKeysWithValues: runRows.map { ($0.id!, $0.code) })
        let kindOrder: [String: Int] = ["site": 0, "account": 1, "unit": 2]
        let cards = latest.values.map { row in
            Scorecard(
                target: Target(kind: Target.Kind(rawValue: row.targetKind) ?? .site, code: row.targetCode, name: row.targetName),
                score: row.score, vetoes: row.vetoes.split(separator: ",").map { IndicatorID(rawValue: String($0)) },
                passed: row.passed)
        }
        .sorted { (kindOrder[$0.target.kind.rawValue] ?? 9, $0.target.code) < (kindOrder[$1.target.kind.rawValue] ?? 9, $1.target.code) }
        return PeriodResults(
            runs: runRows.map(\.run), scorecards: cards, findings: findings,
            runOfTarget: latest.mapValues { codes[$0.runID]! })
    }

    /// Every ticket that existed at `moment`, with its state then (see `ReportTicket`).
    ///
    /// The state is the last audit-log transition at or before `moment` (a ticket with no
    /// transition logged by then is open); a ticket with no logged transition at all has
    /// its current state. Overdue: open at `moment` with a deadline day that ended by then.
    public func reportTickets(at moment: Date) async throws -> [ReportTicket] {
        let db = database
        let units = try await UnitRow.query(on: db).all().keyed(by: \.id)
        let rows = try await TicketRow.query(on: db).filter(\.$firstSeen <= moment).all()
        guard !rows.isEmpty else { return [] }
        let events = try await TicketEventRow.query(on: db).filter(\.$at <= moment).all()
        var lastEvent: [Int: TicketEventRow] = [:]
        let logged = Set(try await TicketEventRow.query(on: db).all().map(\.ticketID))
        for event in events {
            if let current = lastEvent[event.ticketID], (current.at, current.id ?? 0) >= (event.at, event.id ?? 0) { continue }
            lastEvent[event.ticketID] = event
        }
        return rows.map { row in
            let id = row.id!
            let state: String
            if let event = lastEvent[id] {
                state = event.toState
            } else if !logged.contains(id) {
                state = row.state
            } else {
                state = "open"
            }
            let deadline = row.deadline.flatMap(ChinaTime.parseDay)
            let overdue = state == "open" && (deadline.map { $0.endOfDay <= moment } ?? false)
            return ReportTicket(
                unit: units[row.unitID]?.name ?? row.targetName,
                target: Target(kind: Target.Kind(rawValue: row.targetKind) ?? .site, code: row.targetCode, name: row.targetName),
                indicator: IndicatorID(rawValue: row.indicator), level: Level(rawValue: row.level) ?? .notice, state: state,
                deadline: deadline, overdue: overdue, reopened: row.reopened)
        }
        .sorted { ($0.unit, $0.target.code, $0.indicator.rawValue) < ($1.unit, $1.target.code, $1.indicator.rawValue) }
    }
}
