import FluentKit
import FluentSQLiteDriver
import Foundation
import GovWatchCore
import SQLKit

/// A crawl session as the crawler sees it.
public struct CrawlSessionInfo: Sendable, Hashable {
    public var id: Int
    public var key: String
    public var siteCode: String
    public var asOf: Date
    /// `running` or `finished`.
    public var status: String
    public var settings: String

    public var isFinished: Bool { status == "finished" }
}

/// One URL row of a crawl session, as plain values (see `CrawlURLRow`).
public struct CrawlURLEntry: Sendable, Hashable {
    /// Nil for a URL not yet stored.
    public var id: Int?
    public var url: String
    public var depth: Int
    public var role: String
    public var kind: String
    public var state: String
    public var status: Int?
    public var error: String?
    public var finalURL: String?
    public var contentHash: String?
    public var etag: String?
    public var lastModified: String?
    public var notModified: Bool
    public var record: String?

    public init(
        id: Int? = nil, url: String, depth: Int, role: String, kind: String, state: String = "queued", status: Int? = nil,
        error: String? = nil, finalURL: String? = nil, contentHash: String? = nil, etag: String? = nil,
        lastModified: String? = nil, notModified: Bool = false, record: String? = nil
    ) {
        self.id = id
        self.url = url
        self.depth = depth
        self.role = role
        self.kind = kind
        self.state = state
        self.status = status
        self.error = error
        self.finalURL = finalURL
        self.contentHash = contentHash
        self.etag = etag
        self.lastModified = lastModified
        self.notModified = notModified
        self.record = record
    }
}

/// Persistence of crawls: the frontier and per-URL results, written as the crawl goes so
/// that a crawl killed at any moment resumes where it stopped (no loss, no duplicates).
extension Store {
    /// The session with this key, created (as `running`) when there is none.
    ///
    /// - Returns: the session and whether it already existed (a resume, or a finished crawl
    ///   whose results can be read back without fetching anything).
    public func openCrawlSession(key: String, siteCode: String, asOf: Date, settings: String, startedAt: Date) async throws
        -> (session: CrawlSessionInfo, existed: Bool)
    {
        try await database.transaction { db in
            if let row = try await CrawlSessionRow.query(on: db).filter(\.$key == key).first() {
                return (try row.info(), true)
            }
            let row = CrawlSessionRow()
            row.key = key
            row.siteCode = siteCode
            row.asOf = asOf
            row.status = "running"
            row.startedAt = startedAt
            row.settings = settings
            try await row.create(on: db)
            return (try row.info(), false)
        }
    }

    /// The session with this key, if any.
    public func crawlSession(key: String) async throws -> CrawlSessionInfo? {
        try await CrawlSessionRow.query(on: database).filter(\.$key == key).first()?.info()
    }

    /// The newest finished session of a site other than `excluding`: the source of
    /// validators for conditional requests.
    public func latestFinishedCrawlSession(siteCode: String, excluding: Int?) async throws -> CrawlSessionInfo? {
        var query = CrawlSessionRow.query(on: database).filter(\.$siteCode == siteCode).filter(\.$status == "finished")
        if let excluding { query = query.filter(\.$id != excluding) }
        return try await query.sort(\.$id, .descending).first()?.info()
    }

    /// Marks a session finished and deletes the older sessions of its site: only the newest
    /// finished crawl is kept (for conditional requests and for reading evidence back).
    public func finishCrawlSession(_ sessionID: Int, at: Date) async throws {
        try await database.transaction { db in
            guard let row = try await CrawlSessionRow.find(sessionID, on: db) else { return }
            row.status = "finished"
            row.finishedAt = at
            try await row.update(on: db)
            let older = try await CrawlSessionRow.query(on: db).filter(\.$siteCode == row.siteCode)
                .filter(\.$id != sessionID).filter(\.$status == "finished").all()
            for session in older {
                let id = try session.requireID()
                try await CrawlURLRow.query(on: db).filter(\.$sessionID == id).delete()
                try await session.delete(on: db)
            }
        }
    }

    /// Lightweight rows of a session in id order, without the extracted records: for
    /// rebuilding the crawler's seen-set and counters on resume, and for listing link
    /// results, a page at a time (memory stays flat).
    public func crawlURLIndex(session: Int, afterID: Int, limit: Int) async throws -> [CrawlURLEntry] {
        try await crawlRows(session: session, afterID: afterID, limit: limit, withResults: false)
    }

    /// Queued rows of one depth after `afterID`, in id order: the next slice of the frontier.
    public func queuedCrawlURLs(session: Int, depth: Int, afterID: Int, limit: Int) async throws -> [CrawlURLEntry] {
        guard let sql = database as? any SQLDatabase else {
            return try await CrawlURLRow.query(on: database)
                .filter(\.$sessionID == session).filter(\.$state == "queued").filter(\.$depth == depth)
                .filter(\.$id > afterID).sort(\.$id).limit(limit).all().map { $0.entry() }
        }
        // Plain SQL like `crawlRows`: decoding Fluent models was ~6% of a crawl's CPU.
        if let sqlite = database as? any SQLiteDatabase {
            return try await Self.sqliteCrawlRows(
                sqlite, where: "session_id = ?1 AND state = 'queued' AND depth = ?2 AND id > ?3",
                binds: [.integer(session), .integer(depth), .integer(afterID)], limit: limit, withResults: false)
        }
        let rows = try await sql.select().columns(Self.crawlColumns(withResults: false)).from(CrawlURLRow.schema)
            .where(SQLIdentifier("session_id"), .equal, SQLBind(session))
            .where(SQLIdentifier("state"), .equal, SQLBind("queued"))
            .where(SQLIdentifier("depth"), .equal, SQLBind(depth))
            .where(SQLIdentifier("id"), .greaterThan, SQLBind(afterID))
            .orderBy(SQLIdentifier("id")).limit(limit).all()
        return try rows.map { try Self.crawlEntry($0, withResults: false) }
    }

    /// The smallest depth that still has queued rows, nil when the frontier is empty.
    public func shallowestQueuedDepth(session: Int) async throws -> Int? {
        guard let sql = database as? any SQLDatabase else {
            return try await CrawlURLRow.query(on: database)
                .filter(\.$sessionID == session).filter(\.$state == "queued")
                .sort(\.$depth).first()?.depth
        }
        return try await sql.select().column(SQLIdentifier("depth")).from(CrawlURLRow.schema)
            .where(SQLIdentifier("session_id"), .equal, SQLBind(session))
            .where(SQLIdentifier("state"), .equal, SQLBind("queued"))
            .orderBy(SQLIdentifier("depth")).limit(1).first()
            .map { try $0.decode(column: "depth", as: Int.self) }
    }

    /// Every row of a session with its result, in id order, a page at a time.
    public func crawlResults(session: Int, afterID: Int, limit: Int) async throws -> [CrawlURLEntry] {
        try await crawlRows(session: session, afterID: afterID, limit: limit, withResults: true)
    }

    /// Rows in id order read with plain SQL into plain values: reading every row of a large
    /// crawl through Fluent models cost more time and memory than the rows themselves.
    private func crawlRows(session: Int, afterID: Int, limit: Int, withResults: Bool) async throws -> [CrawlURLEntry] {
        guard let sql = database as? any SQLDatabase else {
            // Not an SQL database (never in this product).
            return try await CrawlURLRow.query(on: database)
                .filter(\.$sessionID == session).filter(\.$id > afterID).sort(\.$id).limit(limit).all()
                .map { row in
                    var entry = row.entry()
                    if !withResults { entry.record = nil }
                    return entry
                }
        }
        if let sqlite = database as? any SQLiteDatabase {
            return try await Self.sqliteCrawlRows(
                sqlite, where: "session_id = ?1 AND id > ?2", binds: [.integer(session), .integer(afterID)], limit: limit,
                withResults: withResults)
        }
        let rows = try await sql.select().columns(Self.crawlColumns(withResults: withResults)).from(CrawlURLRow.schema)
            .where(SQLIdentifier("session_id"), .equal, SQLBind(session)).where(SQLIdentifier("id"), .greaterThan, SQLBind(afterID))
            .orderBy(SQLIdentifier("id")).limit(limit).all()
        return try rows.map { try Self.crawlEntry($0, withResults: withResults) }
    }

    /// Crawl rows read straight from SQLite's values. SQLKit's `decode(column:as:)` runs a
    /// `Decoder` per column; it was most of the time of reading a finished crawl back (the
    /// evidence build of a 100,000-page crawl reads every row).
    ///
    /// The statement runs on the connection itself: the database's own `query` hands each
    /// row to an event loop as a separate task (a wake-up and a future per row), which was
    /// half of reading a large crawl back. Here the rows are decoded on SQLite's thread as
    /// they are stepped.
    private static func sqliteCrawlRows(
        _ sqlite: any SQLiteDatabase, where condition: String, binds: [SQLiteData], limit: Int, withResults: Bool
    ) async throws -> [CrawlURLEntry] {
        let columns = crawlColumnNames(withResults: withResults).map { "\"\($0)\"" }.joined(separator: ", ")
        let query = "SELECT \(columns) FROM \"\(CrawlURLRow.schema)\" WHERE \(condition) ORDER BY id LIMIT \(max(0, limit))"
        return try await sqlite.withConnection { connection in
            let decoded = DecodedRows()
            try await connection.query(query, binds) { row in decoded.append { try sqliteCrawlEntry(row, withResults: withResults) } }
            return try decoded.result()
        }
    }

    /// Rows decoded on SQLite's thread, one statement at a time; the first failure wins.
    private final class DecodedRows: @unchecked Sendable {
        // Only touched by the statement's thread while it steps, then read after it finished.
        private var entries: [CrawlURLEntry] = []
        private var failure: (any Error)?

        func append(_ decode: () throws -> CrawlURLEntry) {
            guard failure == nil else { return }
            do { entries.append(try decode()) } catch { failure = error }
        }

        func result() throws -> [CrawlURLEntry] {
            if let failure { throw failure }
            return entries
        }
    }

    /// One crawl row from SQLite's values.
    private static func sqliteCrawlEntry(_ row: SQLiteRow, withResults: Bool) throws -> CrawlURLEntry {
        func value(_ name: String) throws -> SQLiteData {
            guard let data = row.column(name) else { throw CrawlRowError(column: name) }
            return data
        }
        func integer(_ name: String) throws -> Int? {
            switch try value(name) {
            case .null: return nil
            case .integer(let number): return number
            default: throw CrawlRowError(column: name)
            }
        }
        func text(_ name: String) throws -> String? {
            switch try value(name) {
            case .null: return nil
            case .text(let string): return string
            default: throw CrawlRowError(column: name)
            }
        }
        func required<T>(_ read: (String) throws -> T?, _ name: String) throws -> T {
            guard let result = try read(name) else { throw CrawlRowError(column: name) }
            return result
        }
        var entry = CrawlURLEntry(
            id: try required(integer, "id"), url: try required(text, "url"), depth: try required(integer, "depth"),
            role: try required(text, "role"), kind: try required(text, "kind"), state: try required(text, "state"),
            status: try integer("status"), error: try text("error"))
        if withResults {
            entry.finalURL = try text("final_url")
            entry.contentHash = try text("content_hash")
            entry.etag = try text("etag")
            entry.lastModified = try text("last_modified")
            entry.notModified = try required(integer, "not_modified") != 0
            entry.record = try text("record")
        }
        return entry
    }

    /// A crawl row whose column is missing or of an unexpected type (a damaged database).
    struct CrawlRowError: Error, CustomStringConvertible {
        var column: String
        var description: String { "抓取记录的字段 \(column) 缺失或类型不符" }
    }

    private static func crawlColumnNames(withResults: Bool) -> [String] {
        var columns = ["id", "url", "depth", "role", "kind", "state", "status", "error"]
        if withResults { columns += ["final_url", "content_hash", "etag", "last_modified", "not_modified", "record"] }
        return columns
    }

    private static func crawlColumns(withResults: Bool) -> [SQLIdentifier] {
        crawlColumnNames(withResults: withResults).map { SQLIdentifier($0) }
    }

    private static func crawlEntry(_ row: any SQLRow, withResults: Bool) throws -> CrawlURLEntry {
        var entry = CrawlURLEntry(
            id: try row.decode(column: "id", as: Int.self), url: try row.decode(column: "url", as: String.self),
            depth: try row.decode(column: "depth", as: Int.self), role: try row.decode(column: "role", as: String.self),
            kind: try row.decode(column: "kind", as: String.self), state: try row.decode(column: "state", as: String.self),
            status: try row.decode(column: "status", as: Int?.self), error: try row.decode(column: "error", as: String?.self))
        if withResults {
            entry.finalURL = try row.decode(column: "final_url", as: String?.self)
            entry.contentHash = try row.decode(column: "content_hash", as: String?.self)
            entry.etag = try row.decode(column: "etag", as: String?.self)
            entry.lastModified = try row.decode(column: "last_modified", as: String?.self)
            entry.notModified = try row.decode(column: "not_modified", as: Bool.self)
            entry.record = try row.decode(column: "record", as: String?.self)
        }
        return entry
    }

    /// The stored result of one URL in a session (for conditional requests, and for the
    /// pages the evidence builder follows).
    public func crawlResult(session: Int, url: String) async throws -> CrawlURLEntry? {
        guard let sql = database as? any SQLDatabase else {
            return try await CrawlURLRow.query(on: database).filter(\.$sessionID == session).filter(\.$url == url).first()?.entry()
        }
        return try await sql.select().columns(Self.crawlColumns(withResults: true)).from(CrawlURLRow.schema)
            .where(SQLIdentifier("session_id"), .equal, SQLBind(session)).where(SQLIdentifier("url"), .equal, SQLBind(url))
            .limit(1).first().map { try Self.crawlEntry($0, withResults: true) }
    }

    /// Writes finished results and newly admitted URLs in one transaction, so the frontier
    /// and the results never disagree after a crash. New URLs already present are ignored.
    public func commitCrawlBatch(session: Int, results: [CrawlURLEntry], newURLs: [CrawlURLEntry]) async throws {
        guard !results.isEmpty || !newURLs.isEmpty else { return }
        try await database.transaction { db in
            if let sql = db as? any SQLDatabase {
                try await Self.updateCrawlResults(results, session: session, on: sql)
            } else {
                // Not an SQL database (never in this product): one update per row.
                for result in results {
                    guard let id = result.id else { continue }
                    try await CrawlURLRow.query(on: db).filter(\.$id == id)
                        .set(\.$state, to: result.state).set(\.$status, to: result.status).set(\.$error, to: result.error)
                        .set(\.$finalURL, to: result.finalURL).set(\.$contentHash, to: result.contentHash)
                        .set(\.$etag, to: result.etag).set(\.$lastModified, to: result.lastModified)
                        .set(\.$notModified, to: result.notModified).set(\.$record, to: result.record)
                        .update()
                }
            }
            try await Self.insertCrawlURLs(newURLs, session: session, on: db)
        }
    }

    /// Writes results over their rows with one statement per batch: an insert of the full
    /// rows that always conflicts on `id` and so updates them (SQLite ≥ 3.24 and PostgreSQL
    /// both support `ON CONFLICT … DO UPDATE`). One statement instead of one per row matters:
    /// each statement is a round trip to the database thread, once per crawled page.
    private static func updateCrawlResults(_ results: [CrawlURLEntry], session: Int, on sql: any SQLDatabase) async throws {
        let rows = results.filter { $0.id != nil }
        let resultColumns = ["state", "status", "error", "final_url", "content_hash", "etag", "last_modified", "not_modified", "record"]
        var start = 0
        while start < rows.count {
            let end = min(start + insertBatchSize, rows.count)
            var upsert = sql.insert(into: CrawlURLRow.schema)
                .columns(["id", "session_id", "url", "depth", "role", "kind"] + resultColumns)
            for row in rows[start..<end] {
                upsert = upsert.values(
                    SQLBind(row.id), SQLBind(session), SQLBind(row.url), SQLBind(row.depth), SQLBind(row.role), SQLBind(row.kind),
                    SQLBind(row.state), SQLBind(row.status), SQLBind(row.error), SQLBind(row.finalURL),
                    SQLBind(row.contentHash), SQLBind(row.etag), SQLBind(row.lastModified), SQLBind(row.notModified),
                    SQLBind(row.record))
            }
            try await upsert.onConflict(with: ["id"]) { update in
                resultColumns.reduce(update) { $0.set(excludedValueOf: $1) }
            }.run()
            start = end
        }
    }

    private static func insertCrawlURLs(_ entries: [CrawlURLEntry], session: Int, on db: any Database) async throws {
        guard !entries.isEmpty else { return }
        if let sql = db as? any SQLDatabase {
            var start = 0
            while start < entries.count {
                let end = min(start + insertBatchSize, entries.count)
                var insert = sql.insert(into: CrawlURLRow.schema)
                    .columns("session_id", "url", "depth", "role", "kind", "state", "not_modified")
                for entry in entries[start..<end] {
                    insert = insert.values(
                        SQLBind(session), SQLBind(entry.url), SQLBind(entry.depth), SQLBind(entry.role),
                        SQLBind(entry.kind), SQLBind(entry.state), SQLBind(false))
                }
                try await insert.ignoringConflicts(with: ["session_id", "url"]).run()
                start = end
            }
            return
        }
        // Not an SQL database (never in this product): one by one, skipping known URLs.
        for entry in entries {
            let exists = try await CrawlURLRow.query(on: db).filter(\.$sessionID == session).filter(\.$url == entry.url).count() > 0
            if exists { continue }
            let row = CrawlURLRow()
            row.sessionID = session
            row.url = entry.url
            row.depth = entry.depth
            row.role = entry.role
            row.kind = entry.kind
            row.state = entry.state
            row.notModified = false
            try await row.create(on: db)
        }
    }

    /// The columns of a site, split into imported (authoritative) and discovered by earlier crawls.
    public func siteColumns(siteCode: String) async throws -> (imported: [ColumnRecord], discovered: [ColumnRecord]) {
        let db = readDatabase
        guard let site = try await SiteRow.query(on: db).filter(\.$code == siteCode).first() else { return ([], []) }
        let rows = try await ColumnRow.query(on: db).filter(\.$siteID == site.requireID()).sort(\.$url).all()
        var imported: [ColumnRecord] = []
        var discovered: [ColumnRecord] = []
        for row in rows {
            let record = ColumnRecord(
                site: siteCode, name: row.name, url: row.url, category: ColumnCategory(rawValue: row.category) ?? .other,
                periodDays: row.periodDays, topLevel: row.topLevel)
            if row.origin == "imported" { imported.append(record) } else { discovered.append(record) }
        }
        return (imported, discovered)
    }

    /// Records columns the crawler discovered (origin `discovered`) for an administrator to
    /// confirm; URLs the site already has (imported or discovered) are left untouched.
    /// - Returns: how many were added.
    @discardableResult
    public func recordDiscoveredColumns(_ columns: [ColumnRecord], siteCode: String) async throws -> Int {
        try await database.transaction { db in
            guard let site = try await SiteRow.query(on: db).filter(\.$code == siteCode).first() else { return 0 }
            let siteID = try site.requireID()
            let known = Set(try await ColumnRow.query(on: db).filter(\.$siteID == siteID).all().map(\.url))
            var added = 0
            for column in columns where !known.contains(column.url) {
                let row = ColumnRow()
                row.siteID = siteID
                row.name = column.name
                row.url = column.url
                row.category = column.category.rawValue
                row.periodDays = column.periodDays
                row.topLevel = column.topLevel
                row.origin = "discovered"
                try await row.create(on: db)
                added += 1
            }
            return added
        }
    }
}

extension CrawlSessionRow {
    func info() throws -> CrawlSessionInfo {
        CrawlSessionInfo(id: try requireID(), key: key, siteCode: siteCode, asOf: asOf, status: status, settings: settings)
    }
}

extension CrawlURLRow {
    func entry() -> CrawlURLEntry {
        CrawlURLEntry(
            id: id, url: url, depth: depth, role: role, kind: kind, state: state, status: status, error: error,
            finalURL: finalURL, contentHash: contentHash, etag: etag, lastModified: lastModified, notModified: notModified,
            record: record)
    }
}
