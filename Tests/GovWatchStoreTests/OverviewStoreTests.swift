import Foundation
import GovWatchCore
import GovWatchStore
import Testing

/// The overview's grouped queries, on SQLite and PostgreSQL, over the web queries' city
/// (`WebQueriesStoreTests.seeded`): they agree with the same figures computed from every
/// row, and stay within a unit's subtree.
@Suite struct OverviewStoreTests {
    @Test(arguments: TestDatabases.backends)
    func backlogCountedInTheDatabaseMatchesTheTicketsAndItsScope(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            _ = try await WebQueriesStoreTests().seeded(store)
            let tickets = try await store.tickets()
            let deadline = try #require(tickets.first?.deadline)
            // One ticket reported fixed, so the states differ between units.
            let feedback = try #require(tickets.first { $0.unit == "鸿溪市教育局" })
            _ = try await store.feedback(feedback.code, text: "已修复", actor: "教育局", at: deadline.endOfDay.addingTimeInterval(-3_600))

            let after = deadline.endOfDay.addingTimeInterval(3_600)
            let expected = UnitBacklog.compute(try await store.tickets(), at: after)
            let counted = try await store.ticketBacklog(at: after, within: nil)
            #expect(Set(counted) == Set(expected))
            // Ranked by overdue tickets first, then backlog.
            #expect(counted.map(\.overdue) == counted.map(\.overdue).sorted(by: >))
            let education = try #require(counted.first { $0.unit == "鸿溪市教育局" })
            #expect(education.feedback == 1 && education.overdue == education.open)

            let county = try #require(try await store.unitSubtree(named: "青川县人民政府"))
            let scoped = try await store.ticketBacklog(at: after, within: county)
            #expect(Set(scoped.map(\.unit)) == ["青川县人民政府", "青川县卫生健康局"])
            #expect(try await store.ticketBacklog(at: after, within: UnitSubtree(root: "", ids: [], names: [])).isEmpty)
            // On the deadline day nothing is overdue yet.
            #expect(try await store.ticketBacklog(at: deadline.endOfDay, within: nil).allSatisfy { $0.overdue == 0 })
        }
    }

    @Test(arguments: TestDatabases.backends)
    func probeFailuresAreTheSitesWhoseNewestProbeFailed(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            _ = try await WebQueriesStoreTests().seeded(store)
            let now = ChinaTime.parseMoment("2022-04-01T09:00:00")!
            func probe(_ code: String, minutesAgo: Double, ok: Bool) async throws {
                try await store.record(
                    Probe(
                        siteCode: code, at: now.addingTimeInterval(-minutesAgo * 60), ok: ok, status: ok ? 200 : 503,
                        latencyMilliseconds: ok ? 300 : nil, error: ok ? nil : "服务不可用"))
            }
            // The county portal failed last; the education bureau failed earlier but recovered;
            // the county department failed only two days ago, before the window.
            try await probe("4301210002", minutesAgo: 2 * 24 * 60, ok: false)
            try await probe("4301000002", minutesAgo: 60, ok: false)
            try await probe("4301210001", minutesAgo: 45, ok: true)
            try await probe("4301000002", minutesAgo: 30, ok: true)
            try await probe("4301210001", minutesAgo: 15, ok: false)

            let since = now.addingTimeInterval(-86_400)
            let failures = try await store.latestProbeFailures(since: since, within: nil)
            #expect(failures.map(\.siteCode) == ["4301210001"])
            #expect(failures.first?.probe.status == 503 && failures.first?.unit == "青川县人民政府")

            let education = try #require(try await store.unitSubtree(named: "鸿溪市教育局"))
            #expect(try await store.latestProbeFailures(since: since, within: education).isEmpty)
            let county = try #require(try await store.unitSubtree(named: "青川县人民政府"))
            #expect(try await store.latestProbeFailures(since: since, within: county).map(\.siteCode) == ["4301210001"])
            #expect(try await store.latestProbeFailures(since: now.addingTimeInterval(-3 * 86_400), within: county).count == 2)
        }
    }
}
