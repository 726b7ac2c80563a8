import FluentKit
import Foundation
import GovWatchCore
import SQLKit
import Testing

@testable import GovWatchStore

/// The read side of the store (`Store.readDatabase`): on SQLite read-only connections beside
/// the one writer, so the pages' reads neither queue behind each other nor behind a write;
/// and the plain-row reads of the hot pages (tickets, findings, probes) against the Fluent
/// model reads they replaced.
@Suite("Store read connections")
struct ReadConnectionsStoreTests {
    static func setting(_ key: String, on database: any Database) async throws -> String? {
        struct Row: Decodable { var value: String }
        let sql = try #require(database as? any SQLDatabase)
        return try await sql.select().column("value").from(SettingRow.schema).where("key", .equal, key)
            .first(decoding: Row.self)?.value
    }

    @Test("SQLite: two reads are open at once on two connections while the writer commits")
    func readsOverlapBesideTheWriter() async throws {
        try await TestDatabases.withStore(.sqlite) { store in
            let loops = Array(Store.eventLoops.makeIterator())
            try #require(loops.count >= 2)
            let first = try #require(store.databases.database(.sqliteRead, logger: store.logger, on: loops[0]))
            let second = try #require(store.databases.database(.sqliteRead, logger: store.logger, on: loops[1]))
            try await store.setSetting("read-test", to: "before")
            // A long read: a transaction held open on the first read connection, its snapshot
            // taken by its first statement.
            try await first.transaction { held in
                #expect(try await Self.setting("read-test", on: held) == "before")
                // The writer is not held up by the open read, and commits.
                try await store.setSetting("read-test", to: "after")
                // A second read meanwhile, on the other connection, sees the committed write.
                #expect(try await Self.setting("read-test", on: second) == "after")
                // The long read is still open and still reads its own snapshot: the two reads
                // ran at the same time on two connections.
                #expect(try await Self.setting("read-test", on: held) == "before")
            }
            #expect(try await store.setting("read-test") == "after")
        }
    }

    @Test("SQLite: the read connections cannot write")
    func readConnectionsAreReadOnly() async throws {
        try await TestDatabases.withStore(.sqlite) { store in
            try await store.setSetting("read-only-test", to: "kept")
            for _ in 0..<4 {
                let sql = try #require(store.readDatabase as? any SQLDatabase)
                await #expect(throws: (any Error).self) {
                    try await sql.raw("DELETE FROM settings").run()
                }
            }
            #expect(try await store.setting("read-only-test") == "kept")
        }
    }

    @Test("a write is seen by the next read", arguments: TestDatabases.backends)
    func readYourWrites(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            // More rounds than read connections, so every connection serves a read after a write.
            for round in 0..<12 {
                try await store.setSetting("round", to: String(round))
                #expect(try await store.setting("round") == String(round))
            }
            let run = try await WebQueriesStoreTests().seeded(store)
            let before = try await store.tickets(ScopedTicketFilter(state: .open), limit: 100, offset: 0)
            let ticket = try #require(before.items.first)
            _ = try await store.dismiss(ticket.code, reason: "测试", actor: "tester", at: WebQueriesStoreTests().now)
            let after = try await store.tickets(ScopedTicketFilter(state: .open), limit: 100, offset: 0)
            #expect(after.total == before.total - 1)
            #expect(!after.items.contains { $0.id == ticket.id })
            #expect(try await store.run(run.code).code == run.code)
        }
    }

    @Test("plain-row reads of tickets, findings and probes give what the model reads give", arguments: TestDatabases.backends)
    func plainRowsMatchModelReads(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let seeding = WebQueriesStoreTests()
            let run = try await seeding.seeded(store)
            let runID = try await store.runRow(run.code).requireID()
            let county = try #require(try await store.unitSubtree(named: "青川县人民政府"))
            let nowhere = UnitSubtree(root: "无", ids: [], names: [])

            for scope in [nil, county, nowhere] {
                let targets: [Target.Kind: Set<String>]? = if let scope { try await store.targetCodes(within: scope) } else { nil }
                for filter in [
                    FindingFilter(units: scope), FindingFilter(target: "4301210002", units: scope),
                    FindingFilter(indicator: "site.links.broken", units: scope), FindingFilter(level: .deduction, units: scope),
                    FindingFilter(indicator: "unit.staff.unassigned", units: scope),
                ] {
                    for (limit, offset) in [(50, 0), (3, 0), (3, 3), (5, 100)] {
                        let (_, rows) = try await store.findings(of: run.code, filter: filter, limit: limit, offset: offset)
                        let models = try await store.findingsPageThroughModels(
                            runID: runID, filter: filter, targets: targets, limit: limit, offset: offset)
                        #expect(rows.items == models.items)
                        #expect(rows.total == models.total)
                    }
                }
            }
            let (_, all) = try await store.findings(of: run.code, filter: FindingFilter(), limit: 50, offset: 0)
            #expect(all.total == 11 && all.items.count == 11)

            let later = seeding.now.addingTimeInterval(365 * 86_400)
            for scope in [nil, county, nowhere] {
                for filter in [
                    ScopedTicketFilter(units: scope), ScopedTicketFilter(state: .open, units: scope),
                    ScopedTicketFilter(state: .closed, units: scope),
                    ScopedTicketFilter(indicator: "site.links.broken", units: scope),
                    ScopedTicketFilter(overdueAt: later, units: scope), ScopedTicketFilter(overdueAt: seeding.now, units: scope),
                ] {
                    for (limit, offset) in [(50, 0), (2, 0), (2, 2)] {
                        let rows = try await store.tickets(filter, limit: limit, offset: offset)
                        let models = try await store.ticketsThroughModels(store.ticketQuery(filter), limit: limit, offset: offset)
                        #expect(rows.items == models)
                        #expect(rows.total == (try await store.ticketQuery(filter).count()))
                    }
                }
            }
            #expect(try await store.tickets(ScopedTicketFilter(), limit: 50, offset: 0).items.count == 11)

            // A week of probes every quarter hour, some failed, and one outside the week.
            let start = seeding.now
            for index in 0..<(4 * 24 * 7 + 1) {
                let at = start.addingTimeInterval(Double(index) * 900)
                let ok = index % 7 != 3
                try await store.record(
                    Probe(
                        siteCode: "4301210001", at: at, ok: ok, status: ok ? 200 : (index % 2 == 0 ? 503 : nil),
                        latencyMilliseconds: ok ? 100 + index : nil, error: ok ? nil : "连接超时"))
            }
            let end = start.addingTimeInterval(7 * 86_400)
            let probes = try await store.probes(site: "4301210001", from: start, to: end)
            #expect(probes.count == 4 * 24 * 7)
            #expect(probes == (try await store.probesThroughModels(site: "4301210001", from: start, to: end)))
            #expect(try await store.probes(site: "4301000002", from: start, to: end).isEmpty)
            await #expect(throws: Store.UnknownSite.self) {
                _ = try await store.probes(site: "0000000000", from: start, to: end)
            }
        }
    }
}
