import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix

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

    /// The database handle for queries.
    public var database: any Database {
        databases.database(logger: logger, on: sqliteEventLoop ?? MultiThreadedEventLoopGroup.singleton.any())!
    }

    private init(location: DatabaseLocation, databases: Databases, logger: Logger) {
        self.location = location
        self.databases = databases
        self.logger = logger
        if case .sqlite = location {
            sqliteEventLoop = MultiThreadedEventLoopGroup.singleton.next()
        } else {
            sqliteEventLoop = nil
        }
    }

    /// Opens (creating an SQLite file if needed) and runs pending migrations.
    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "govwatch.store")) async throws
        -> Store
    {
        let group = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
        switch location {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
        }
        let store = Store(location: location, databases: databases, logger: logger)
        do {
            try await store.migrate()
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        return store
    }

    /// Every migration, in order; append new ones, never edit an applied one.
    static let migrations: [any Migration] = [
        CreateRegistry(), CreateInspections(), CreateTickets(), CreateCrawlState(), CreateFeedStates(),
        CreateJobsAndNotifications(), CreateSettings(), AddCrawlOrderIndex(),
    ]

    private func migrate() async throws {
        let migrations = Migrations()
        migrations.add(Self.migrations)
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger,
            on: sqliteEventLoop ?? MultiThreadedEventLoopGroup.singleton.any(), migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Closes every connection; call before the process exits.
    public func close() async {
        await databases.shutdownAsync()
    }
}
