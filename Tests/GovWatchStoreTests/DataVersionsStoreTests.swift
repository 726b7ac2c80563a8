import FluentKit
import Foundation
import GovWatchCore
import GovWatchTestSupport
import SQLKit
import Testing

@testable import GovWatchStore

/// The write counters behind the web pages' cache (`Store.dataVersions()`): every write to a
/// counted table moves its version, in the same commit, whichever process or connection
/// wrote; a version never comes back; housekeeping and backups keep that.
@Suite("Store data versions")
struct DataVersionsStoreTests {
    let seed = WebQueriesStoreTests()

    @Test("a write moves the versions of the tables it wrote, seen by another process at once", arguments: TestDatabases.backends)
    func writesMoveTheirTablesVersions(_ backend: TestDatabases.Backend) async throws {
        let location = try await TestDatabases.fresh(backend)
        let store = try await Store.open(location)
        // Another process on the same database: a store of its own, with its own connections.
        let other = try await Store.open(location)
        do {
            let empty = try await other.dataVersions()
            let run = try await seed.seeded(store)
            let seeded = try await other.dataVersions()
            for table in [DataVersions.Table.units, .sites, .accounts, .runs, .findings, .scorecards, .tickets, .ticketEvents] {
                #expect(seeded[table] > empty[table], "\(table) after the seed")
            }

            // A ticket action: its ticket and its history, nothing else.
            let ticket = try #require(try await store.tickets(ScopedTicketFilter(state: .open), limit: 1, offset: 0).items.first)
            _ = try await store.dismiss(ticket.code, reason: "测试", actor: "tester", at: seed.now)
            let dismissed = try await other.dataVersions()
            #expect(dismissed[.tickets] > seeded[.tickets])
            #expect(dismissed[.ticketEvents] > seeded[.ticketEvents])
            for table in [DataVersions.Table.units, .sites, .accounts, .runs, .findings, .scorecards, .probes, .settings] {
                #expect(dismissed[table] == seeded[table], "\(table) is not written by a ticket action")
            }

            // A setting, then a read of the other process's own: seen there too.
            try await other.setSetting("versions-test", to: "1")
            #expect(try await store.dataVersions()[.settings] > dismissed[.settings])

            // Writes the pages never show (audit log, sessions) move nothing.
            let beforeAudit = try await store.dataVersions()
            try await store.sqlDatabase.raw(
                "INSERT INTO audit_log (at, actor, action, object, detail) VALUES (\(bind: seed.now), 'tester', 'test', 'x', '{}')"
            ).run()
            #expect(try await store.dataVersions() == beforeAudit)

            // A finished run moves `inspection_runs`, which every results page reads.
            try await store.finishRun(run.code, at: seed.now.addingTimeInterval(60))
            #expect(try await other.dataVersions()[.runs] > beforeAudit[.runs])
        } catch {
            await other.close()
            await store.close()
            throw error
        }
        await other.close()
        await store.close()
    }

    @Test("a write rolled back moves no version")
    func rolledBackWritesMoveNothing() async throws {
        try await TestDatabases.withStore(.sqlite) { store in
            try await store.setSetting("kept", to: "1")
            let before = try await store.dataVersions()
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await store.database.transaction { db in
                    let sql = try #require(db as? any SQLDatabase)
                    try await sql.raw("UPDATE settings SET value = '2' WHERE key = 'kept'").run()
                    throw Abort()
                }
            }
            #expect(try await store.dataVersions() == before)
            #expect(try await store.setting("kept") == "1")
        }
    }

    @Test("PostgreSQL: each connection counts on a row of its own; folding them keeps every sum", .requires(ToolAvailability.postgres))
    func compactionKeepsTheSums() async throws {
        try await TestDatabases.withStore(.postgres) { store in
            _ = try await seed.seeded(store)
            // Writes from several connections of the pool at once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 { group.addTask { try await store.setSetting("parallel-\(index)", to: "x") } }
                try await group.waitForAll()
            }
            let before = try await store.dataVersions()
            let rowsBefore = try await store.sqlDatabase.raw("SELECT COUNT(*) AS n FROM data_versions").first()?
                .decode(column: "n", as: Int.self) ?? 0
            let tables = Set(before.versions.keys.map(\.rawValue))
            #expect(rowsBefore >= tables.count)
            let folded = try await store.compactDataVersions()
            #expect(folded == rowsBefore)
            #expect(try await store.dataVersions() == before)
            let rowsAfter = try await store.sqlDatabase.raw("SELECT COUNT(*) AS n FROM data_versions").first()?
                .decode(column: "n", as: Int.self) ?? 0
            #expect(rowsAfter == tables.count)
            // Counting goes on after the fold.
            try await store.setSetting("after-fold", to: "x")
            #expect(try await store.dataVersions()[.settings] == before[.settings] + 1)
        }
    }

    @Test("a copy (backup, restore, migration) leaves the counters out and the target's keep growing", arguments: TestDatabases.backends)
    func copiesLeaveTheCountersOut(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(.sqlite) { source in
            _ = try await seed.seeded(source)
            let target = try await Store.open(try await TestDatabases.fresh(backend))
            do {
                try await target.setSetting("to be replaced", to: "x")
                let before = try await target.dataVersions()
                let report = try await source.copy(into: target, replacing: true)
                #expect(report.mismatches.isEmpty)
                #expect(!report.source.map(\.table).contains(CreateDataVersions.table))
                let after = try await target.dataVersions()
                for table in DataVersions.Table.allCases { #expect(after[table] >= before[table], "\(table)") }
                #expect(after[.findings] > before[.findings])
                #expect(after[.settings] > before[.settings])
            } catch {
                await target.close()
                throw error
            }
            await target.close()
        }
    }

    @Test("after a restore every version is past what any process saw before")
    func advancePastEarlierVersions() async throws {
        try await TestDatabases.withStore(.sqlite) { store in
            _ = try await seed.seeded(store)
            let seen = try await store.dataVersions()
            // What pg_restore does to the counters: the backup's (older) rows instead.
            try await store.sqlDatabase.raw("DELETE FROM data_versions").run()
            try await store.advanceDataVersions(past: seen)
            let after = try await store.dataVersions()
            for table in DataVersions.Table.allCases { #expect(after[table] > seen[table], "\(table)") }
        }
    }
}
