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
                passed: row.passed, incomplete: row.incomplete ?? false,
                unconfirmedColumns: row.unconfirmedColumns ?? 0)
        }
        .sorted { (kindOrder[$0.target.kind.rawValue] ?? 9, $0.target.code) < (kindOrder[$1.target.kind.rawValue] ?? 9, $1.target.code) }
        return PeriodResults(
            runs: runRows.map(\.run),
            scorecards: try await applyingBonuses(cards, runOfTarget: latest.mapValues(\.runID), runCodes: codes), findings: findings,
            runOfTarget: latest.mapValues { codes[$0.runID]! })
    }

    /// The tickets (整改单) as they stood at `moment`: those first seen by then, each with its
    /// state after the last audit-log transition at or before `moment` and the number of
    /// times it had been reopened by then (回访未通过 or the problem recurring).
    ///
    /// The notice of a past period counts its backlog as it was at the period's end, not as
    /// it is today. A ticket without any logged transition keeps its current state.
    public func tickets(asOf moment: Date) async throws -> [Ticket] {
        let current = try await tickets()
        guard !current.isEmpty else { return [] }
        var lastState: [Int: (at: Date, id: Int, state: TicketState)] = [:]
        var reopenedBy: [Int: Int] = [:]
        var logged = Set<Int>()
        var after = 0
        while true {
            let page = try await ticketEvents(after: after, limit: 1_000)
            for event in page {
                guard let ticketID = event.ticketID, let id = event.id else { continue }
                logged.insert(ticketID)
                guard event.at <= moment else { continue }
                if lastState[ticketID].map({ ($0.at, $0.id) < (event.at, id) }) ?? true {
                    lastState[ticketID] = (event.at, id, event.to)
                }
                if event.action == .reinspectReopened || event.action == .recurred {
                    reopenedBy[ticketID, default: 0] += 1
                }
            }
            guard let last = page.last?.id, page.count == 1_000 else { break }
            after = last
        }
        return current.compactMap { ticket -> Ticket? in
            guard ticket.firstSeen <= moment, let id = ticket.id else { return nil }
            var then = ticket
            if let state = lastState[id]?.state {
                then.state = state
                then.reopened = reopenedBy[id] ?? 0
            } else if logged.contains(id) {
                then.state = .open
                then.reopened = 0
            }
            return then
        }
    }
}
