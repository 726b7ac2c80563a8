import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

extension DatabaseID {
    /// The read-only connections of an SQLite store (`Store.readDatabase`).
    static let sqliteRead = DatabaseID(string: "sqlite-read")
}

/// The database of GovWatch: opened once per process, migrated on first use.
///
/// One set of Fluent migrations serves SQLite and PostgreSQL. Everything the product
/// stores goes through the methods of this type (see the `Store+*.swift` files), so the
/// CLI, the server and the workers share one implementation.
public final class Store: Sendable {
    public let location: DatabaseLocation
    let databases: Databases
    let logger: Logger
    /// SQLite: every query on one event loop, hence one connection. SQLite allows one
    /// writer at a time and the driver sets no busy timeout, so concurrent writers on
    /// several connections fail with "database is locked"; one connection serialises them.
    let sqliteEventLoop: (any EventLoop)?
    /// SQLite: whether `readDatabase` has read connections of its own (`.sqliteRead`).
    let sqliteReaders: Bool

    /// The event loops of every store in the process, apart from the network's
    /// (`MultiThreadedEventLoopGroup.singleton`, which the crawler, the probes and the web
    /// server share). The drivers decode every row on the connection's event loop (SQLiteNIO
    /// submits one task per row), so a query of a few thousand rows held a loop for seconds
    /// on a loaded machine; on a shared loop that stalled the crawler's connections and the
    /// server's requests behind it, and a loopback server in the same process answered after
    /// the crawler's first-byte deadline. Created once, never shut down (like the singleton).
    ///
    /// At least two, also on one core: an SQLite store's read connections are one per loop,
    /// and two let a long read and a short one overlap.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: max(2, min(System.coreCount, 4)))

    /// The database handle for queries.
    public var database: any Database {
        databases.database(logger: logger, on: sqliteEventLoop ?? Self.eventLoops.any())!
    }

    /// The database handle for queries that only read: on SQLite a pool of read-only
    /// connections beside the one writer (one per event loop of `eventLoops`), on PostgreSQL
    /// the same pool as `database`.
    ///
    /// In write-ahead-log mode readers do not wait for the writer nor for each other, while
    /// every query on the one writing connection waits for the query before it: under 32
    /// concurrent page requests the single connection was the bound (`benchmarks/web.sh`).
    /// A read on these connections sees every write the writer has committed (a statement
    /// outside a transaction starts its own read snapshot), so a request that writes and
    /// then reads sees its write. A query that must see an open transaction's own writes
    /// goes through that transaction's handle, never through this one.
    public var readDatabase: any Database {
        guard sqliteReaders else { return database }
        return databases.database(.sqliteRead, logger: logger, on: Self.eventLoops.next())!
    }

    private init(location: DatabaseLocation, databases: Databases, logger: Logger, readers: Bool) {
        self.location = location
        self.databases = databases
        self.logger = logger
        if case .sqlite = location {
            sqliteEventLoop = Self.eventLoops.next()
            sqliteReaders = readers
        } else {
            sqliteEventLoop = nil
            sqliteReaders = false
        }
    }

    /// How long a query waits for a pooled connection. The drivers' 10 s failed a feed poll
    /// on a loaded 2-core machine (SQLite has one connection per event loop, and a crawl, the
    /// feed poller and the server share it); a wait is no error, so only a stuck pool fails.
    static let connectionWait: TimeAmount = .seconds(120)

    /// Opens (creating an SQLite file if needed) and runs pending migrations.
    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "govwatch.store")) async throws
        -> Store
    {
        try await open(location, logger: logger, readers: true)
    }

    /// `readers: false` opens an SQLite file without the read connections: a backup's
    /// snapshot leaves WAL mode at the end, which SQLite refuses while another connection
    /// holds the file open.
    static func open(_ location: DatabaseLocation, logger: Logger, readers: Bool) async throws -> Store {
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: Self.eventLoops)
        switch location {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            databases.use(
                .sqlite(.file(path), connectionPoolTimeout: Self.connectionWait, sqlLogLevel: .trace), as: .sqlite,
                isDefault: true)
            // The same file opened read-only (`mode=ro`: a write fails instead of taking the
            // write lock), for `readDatabase`. The driver keeps one connection per event loop.
            if readers {
                databases.use(
                    .sqlite(.file(Self.readOnlyURI(path: path)), connectionPoolTimeout: Self.connectionWait, sqlLogLevel: .trace),
                    as: .sqliteRead, isDefault: false)
            }
        case .postgres(let url):
            databases.use(
                try .postgres(url: url, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: Self.connectionWait, sqlLogLevel: .trace),
                as: .psql)
        }
        let store = Store(location: location, databases: databases, logger: logger, readers: readers)
        do {
            if case .sqlite = location { try await store.configureSQLite() }
            try await store.migrate()
            if store.sqliteReaders { try await store.configureSQLiteReaders() }
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        return store
    }

    /// Every migration, in order; append new ones, never edit an applied one.
    static let migrations: [any Migration] = [
        CreateRegistry(), CreateInspections(), CreateTickets(), CreateCrawlState(), CreateFeedStates(),
        CreateJobsAndNotifications(), CreateSettings(), AddCrawlOrderIndex(), CreateInspectionTasks(),
        AddScorecardCompleteness(), AddSiteAliasesAndClosureDates(), CreateBonusPoints(), CreateUsersAndAudit(),
        AddInspectionTaskRetryTime(),
        AddWebQueryIndexes(),
        MaskCrawledText(),
        CreateDataVersions(),
    ]

    /// Write-ahead logging: a commit appends to the log instead of copying pages to a
    /// rollback journal it then deletes, and readers (another `govwatch` process, the
    /// dashboard) no longer wait for a writer. `synchronous = NORMAL` syncs the log at
    /// checkpoints rather than at every commit: a killed process loses nothing (the
    /// crawler's resume relies on that); a power cut may lose the last commits but never
    /// corrupts the file. The busy timeout lets a second process wait for the writer
    /// instead of failing with "database is locked".
    private func configureSQLite() async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 10000"] {
            try await sql.raw(SQLQueryString(pragma)).run()
        }
    }

    /// Opens the read connection of every event loop once the file is in WAL mode and
    /// migrated, and gives each the busy timeout: a reader waits too while another process
    /// recovers or truncates the log. The pools keep their connection for the store's life.
    private func configureSQLiteReaders() async throws {
        for loop in Self.eventLoops.makeIterator() {
            guard let sql = databases.database(.sqliteRead, logger: logger, on: loop) as? any SQLDatabase else { return }
            try await sql.raw("PRAGMA busy_timeout = 10000").run()
        }
    }

    /// An SQLite URI naming `path` read-only; the driver opens files with `SQLITE_OPEN_URI`.
    static func readOnlyURI(path: String) -> String {
        var components = URLComponents(url: URL(fileURLWithPath: path).standardizedFileURL, resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "mode", value: "ro")]
        return components.url!.absoluteString
    }

    private func migrate() async throws {
        let migrations = Migrations()
        migrations.add(Self.migrations)
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger,
            on: sqliteEventLoop ?? Self.eventLoops.any(), migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Closes every connection; call before the process exits.
    public func close() async {
        await databases.shutdownAsync()
    }
}
