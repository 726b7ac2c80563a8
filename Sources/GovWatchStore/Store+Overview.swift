import FluentKit
import Foundation
import GovWatchCore
import SQLKit

/// A site whose newest availability probe failed.
public struct ProbeFailure: Sendable, Hashable {
    public var siteCode: String
    public var siteName: String
    public var unit: String
    public var probe: Probe
}

/// Queries of the overview page (总览), grouped in the database: the benchmark holds 50,000
/// tickets and a probe per site every quarter hour, too many to load for a summary.
extension Store {
    /// Per-unit backlog at `moment` of the units within `scope`, counted in the database;
    /// sorted as `UnitBacklog.compute` sorts (largest backlog first, then name). `reopened`
    /// is the sum of the tickets' reopen counts.
    public func ticketBacklog(at moment: Date, within scope: UnitSubtree?) async throws -> [UnitBacklog] {
        guard let sql = readDatabase as? any SQLDatabase else {
            return UnitBacklog.compute(try await tickets(), at: moment).filter { scope?.contains(unit: $0.unit) ?? true }
        }
        struct StateCount: Decodable {
            var unit_id: Int
            var state: String
            var count: Int
            var reopened: Int?
        }
        struct UnitCount: Decodable {
            var unit_id: Int
            var count: Int
        }
        func restricted(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            guard let scope else { return query }
            // An empty subtree (a unit user without a unit) matches nothing.
            return query.where("unit_id", .in, scope.ids.isEmpty ? [-1] : Array(scope.ids))
        }
        let byState = try await restricted(
            sql.select().column("unit_id").column("state")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                // SUM of a bigint is numeric on PostgreSQL: cast back to decode an integer.
                .column(SQLRaw("CAST(SUM(reopened) AS BIGINT)"), as: "reopened")
                .from(TicketRow.schema)
        ).groupBy("unit_id").groupBy("state").all(decoding: StateCount.self)
        // 待整改 after the deadline day (`Ticket.isOverdue`); days sort as text.
        let today = CalendarDate(moment.addingTimeInterval(-0.001)).description
        let overdue = try await restricted(
            sql.select().column("unit_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from(TicketRow.schema)
                .where("state", .equal, TicketState.open.rawValue)
                .where("deadline", .isNot, SQLLiteral.null)
                .where("deadline", .lessThan, today)
        ).groupBy("unit_id").all(decoding: UnitCount.self)
        let unitIDs = Array(Set(byState.map(\.unit_id)))
        let names = unitIDs.isEmpty ? [:] : try await UnitRow.query(on: readDatabase).filter(\.$id ~~ unitIDs).all()
            .keyed(by: \.id).mapValues(\.name)
        var entries: [Int: UnitBacklog] = [:]
        for row in byState {
            var entry = entries[row.unit_id] ?? UnitBacklog(unit: names[row.unit_id] ?? "")
            switch TicketState(rawValue: row.state) {
            case .open: entry.open += row.count
            case .feedback: entry.feedback += row.count
            case .closed: entry.closed += row.count
            case .dismissed: entry.dismissed += row.count
            case nil: break
            }
            entry.reopened += row.reopened ?? 0
            entries[row.unit_id] = entry
        }
        for row in overdue { entries[row.unit_id]?.overdue = row.count }
        return entries.values.sorted { ($1.overdue, $1.backlog, $0.unit) < ($0.overdue, $0.backlog, $1.unit) }
    }

    /// The sites within `scope` whose newest probe since `since` failed, newest failure first.
    public func latestProbeFailures(since: Date, within scope: UnitSubtree?) async throws -> [ProbeFailure] {
        struct SiteName: Decodable {
            var id: Int
            var code: String
            var name: String
            var unit_id: Int
        }
        // Plain rows, not Fluent models (see `sites(within:)`): the overview asks on every load.
        var siteRows: [Int: SiteName] = [:]
        if let sql = readDatabase as? any SQLDatabase {
            var query = sql.select().columns("id", "code", "name", "unit_id").from(SiteRow.schema)
            if let scope { query = query.where("unit_id", .in, scope.ids.isEmpty ? [-1] : Array(scope.ids)) }
            for site in try await query.all(decoding: SiteName.self) { siteRows[site.id] = site }
        } else {
            let sites = SiteRow.query(on: readDatabase)
            if let scope { sites.filter(\.$unitID ~~ Array(scope.ids)) }
            for site in try await sites.all() {
                siteRows[try site.requireID()] = SiteName(id: try site.requireID(), code: site.code, name: site.name, unit_id: site.unitID)
            }
        }
        guard !siteRows.isEmpty else { return [] }
        // The newest probe id of each site since `since`, found in the database.
        var newest: [Int] = []
        if let sql = readDatabase as? any SQLDatabase {
            struct Latest: Decodable { var last_id: Int }
            let recent = try await ProbeRow.query(on: readDatabase).filter(\.$probedAt >= since).sort(\.$id).field(\.$id).first()
            guard let firstID = recent?.id else { return [] }
            newest = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("id")), as: "last_id")
                .from(ProbeRow.schema).where("id", .greaterThanOrEqual, firstID)
                .groupBy("site_id").all(decoding: Latest.self).map(\.last_id)
        }
        guard !newest.isEmpty else { return [] }
        let failed = try await ProbeRow.query(on: readDatabase).filter(\.$id ~~ newest).filter(\.$ok == false).all()
        guard !failed.isEmpty else { return [] }
        let unitIDs = Array(Set(failed.compactMap { siteRows[$0.siteID]?.unit_id }))
        let units = try await UnitRow.query(on: readDatabase).filter(\.$id ~~ unitIDs).all().keyed(by: \.id).mapValues(\.name)
        return failed.compactMap { row -> ProbeFailure? in
            guard let site = siteRows[row.siteID] else { return nil }
            return ProbeFailure(
                siteCode: site.code, siteName: site.name, unit: units[site.unit_id] ?? "",
                probe: Probe(
                    siteCode: site.code, at: row.probedAt, ok: row.ok, status: row.status,
                    latencyMilliseconds: row.latencyMilliseconds, error: row.error))
        }
        .sorted { ($1.probe.at, $0.siteCode) < ($0.probe.at, $1.siteCode) }
    }
}
