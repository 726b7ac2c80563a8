import FluentKit
import Foundation
import SQLKit

/// How many times each table the web pages read has been written (migration
/// `016_CreateDataVersions`): a page computed from some tables stays right while their
/// versions stay the same, in this process and in every other one sharing the database.
///
/// A version only ever grows (it counts committed writing statements, or rows on SQLite),
/// so a set of versions never comes back after a change: equal versions mean no write
/// happened in between.
public struct DataVersions: Sendable, Hashable {
    /// The tables whose writes are counted: everything a cached page may be computed from.
    /// Sessions, tokens, the audit log, the crawl frontier and the work queues are left out:
    /// they change all the time and no cached page shows them.
    public enum Table: String, CaseIterable, Sendable {
        case units, people, sites, accounts, posts
        case siteColumns = "site_columns"
        case runs = "inspection_runs"
        case findings, scorecards
        case bonusPoints = "bonus_points"
        case tickets
        case ticketEvents = "ticket_events"
        case ticketAttachments = "ticket_attachments"
        case probes, settings
    }

    public var versions: [Table: Int64]

    public init(versions: [Table: Int64] = [:]) {
        self.versions = versions
    }

    public subscript(table: Table) -> Int64 { versions[table] ?? 0 }

    /// The versions of `tables`, in their order: the part of a cache key that says which
    /// state of the data a value was computed from.
    public func stamp(_ tables: [Table]) -> [Int64] { tables.map { self[$0] } }
}

extension Store {
    /// The current versions, read in one statement (one snapshot). Read them before the
    /// data a cached value is computed from: a write committed in between then leaves the
    /// value fresher than its versions say, never older.
    public func dataVersions() async throws -> DataVersions {
        let sql = try readSQLDatabase
        let rows = try await sql.raw("SELECT name, CAST(SUM(version) AS BIGINT) AS version FROM data_versions GROUP BY name").all()
        var versions: [DataVersions.Table: Int64] = [:]
        for row in rows {
            guard let table = DataVersions.Table(rawValue: try row.decode(column: "name", as: String.self)) else { continue }
            versions[table] = try row.decode(column: "version", as: Int64.self)
        }
        return DataVersions(versions: versions)
    }

    /// Folds PostgreSQL's per-connection counter rows into one row per table (backend 0, a
    /// process id PostgreSQL never gives), keeping every sum: the rows would otherwise grow
    /// with every connection ever opened. A connection writing meanwhile waits for the fold
    /// or starts a fresh row; either way its count is kept. SQLite has one row per table.
    /// Returns how many rows were folded.
    @discardableResult
    public func compactDataVersions() async throws -> Int {
        let sql = try sqlDatabase
        guard sql.dialect.name == "postgresql" else { return 0 }
        let row = try await sql.raw(
            """
            WITH gone AS (DELETE FROM data_versions WHERE backend <> 0 RETURNING name, version),
            folded AS (
                INSERT INTO data_versions (name, backend, version) SELECT name, 0, SUM(version) FROM gone GROUP BY name
                ON CONFLICT (name, backend) DO UPDATE SET version = data_versions.version + excluded.version
            )
            SELECT COUNT(*) AS folded FROM gone
            """
        ).first()
        return try row?.decode(column: "folded", as: Int.self) ?? 0
    }

    /// Moves every version past `earlier` (and past its own value): after a restore replaced
    /// the table of counters with a backup's, versions a running process saw before could
    /// otherwise come back with other data.
    func advanceDataVersions(past earlier: DataVersions) async throws {
        let sql = try sqlDatabase
        let now = try await dataVersions()
        for table in DataVersions.Table.allCases {
            let jump = max(earlier[table], now[table]) + 1 - now[table]
            try await sql.raw(
                """
                INSERT INTO data_versions (name, backend, version) VALUES (\(bind: table.rawValue), -1, \(bind: jump))
                ON CONFLICT (name, backend) DO UPDATE SET version = data_versions.version + excluded.version
                """
            ).run()
        }
    }
}
