import Foundation
import GovWatchCore
import GovWatchServer
import GovWatchStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The cache of computed pages (`ComputedPageCache`): one computation for many askers, a new
/// one when the data's versions move, nothing kept from a failure, bounded bytes; and on the
/// real router, pages that follow every write (including another process's), never cross
/// scopes, carry each viewer's own frame, and equal the pages computed without the cache.
@Suite struct PageCacheTests {
    final class Counter: Sendable {
        private let value = Mutex(0)
        var count: Int { value.withLock { $0 } }
        @discardableResult func next() -> Int { value.withLock { $0 += 1; return $0 } }
    }

    // MARK: The cache alone

    @Test func concurrentAskersShareOneComputation() async throws {
        let cache = ComputedPageCache()
        let computations = Counter()
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.value("k", stamp: [1], size: { $0.utf8.count }) {
                        computations.next()
                        try await Task.sleep(for: .milliseconds(50))
                        return "page"
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: "page", count: 20))
        #expect(computations.count == 1)
        #expect(cache.statistics.misses == 1 && cache.statistics.hits == 19)
    }

    @Test func anotherStampComputesAgainAndAFailureIsNotKept() async throws {
        let cache = ComputedPageCache()
        let computations = Counter()
        @Sendable func ask(_ stamp: [Int64], fail: Bool = false) async throws -> Int {
            try await cache.value("k", stamp: stamp, size: { _ in 8 }) {
                let count = computations.next()
                if fail { throw CancellationError() }
                return count
            }
        }
        #expect(try await ask([1]) == 1)
        #expect(try await ask([1]) == 1)
        #expect(try await ask([2]) == 2)
        await #expect(throws: CancellationError.self) { try await ask([3], fail: true) }
        #expect(try await ask([3]) == 4)
        #expect(try await ask([3]) == 4)
    }

    @Test func theLeastRecentlyUsedGoPastTheCapacity() async throws {
        let cache = ComputedPageCache(capacity: 1_100)
        for key in ["a", "b"] { _ = try await cache.value(key, stamp: [1], size: { $0.utf8.count }) { String(repeating: "x", count: 400) } }
        _ = try await cache.value("a", stamp: [1], size: { $0.utf8.count }) { "recomputed" }  // a is used again: b is older
        _ = try await cache.value("c", stamp: [1], size: { $0.utf8.count }) { String(repeating: "x", count: 400) }
        #expect(cache.statistics.bytes <= 1_100)
        #expect(cache.statistics.entries == 2)
        // a was kept (used last but one), b was dropped.
        #expect(try await cache.value("a", stamp: [1], size: { $0.utf8.count }) { "recomputed" } == String(repeating: "x", count: 400))
        #expect(try await cache.value("b", stamp: [1], size: { $0.utf8.count }) { "recomputed" } == "recomputed")
    }

    @Test func noTextInAKeyPartMakesItAnotherKey() {
        #expect(ComputedPageCache.key("site", ["a|1", "b"]) != ComputedPageCache.key("site", ["a", "1|b"]))
        #expect(ComputedPageCache.key("site", ["1:a", ""]) != ComputedPageCache.key("site", ["", "1:a"]))
        #expect(ComputedPageCache.key("site", ["x"]).hasPrefix("site|"))
    }

    @Test func capacityZeroComputesEveryTime() async throws {
        let cache = ComputedPageCache(capacity: 0)
        let computations = Counter()
        for _ in 0..<3 {
            _ = try await cache.value("k", stamp: [1], size: { $0 }) { computations.next() }
        }
        #expect(computations.count == 3)
    }

    // MARK: On the router

    /// The part of a page that is not its frame.
    static func main(_ html: String) -> String {
        guard let start = html.range(of: "<main>"), let end = html.range(of: "</main>") else { return html }
        return String(html[start.upperBound..<end.lowerBound])
    }

    /// The `total` of an API list.
    static func total(_ body: some Sequence<UInt8>) -> Int? {
        (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["total"] as? Int
    }

    static let cachedPages = [
        "/", "/tickets", "/tickets?state=open", "/tickets?overdue=1", "/sites/4301210001", "/sites/4301000002?limit=1",
    ]

    @Test func aWriteByAnotherProcessShowsOnTheNextRequest() async throws {
        try await APITestCity.withServer { city, client in
            let before = try await FindingAndTicketPagesTests.page(client, city, "admin", "/tickets?state=open")
            #expect(before.html.contains("共 6 条"))
            let overview = try await FindingAndTicketPagesTests.page(client, city, "admin", "/")
            let api = try await client.call(.get, "/api/v1/tickets?state=open", headers: city.bearer("admin"))
            #expect(Self.total(api.body) == 6)
            let site = try await FindingAndTicketPagesTests.page(client, city, "admin", "/sites/4301210002")
            #expect(!site.html.contains("错别字样本"))

            // Another process on the same database: its own store and connections.
            let other = try await Store.open(city.store.location)
            do {
                let ticket = try #require(try await city.tickets(of: "鸿溪市教育局").first)
                _ = try await other.dismiss(ticket.code, reason: "另一进程", actor: "admin", at: APITestCity.now)
                try await other.record(
                    [
                        Finding(
                            target: Target(kind: .site, code: "4301210002", name: "青川县卫生健康局"), indicator: .siteContentSevereError,
                            level: .deduction, url: "http://x/typo", detail: ["word": "错别字样本"], evidence: "一段错别字样本",
                            locationKey: "typo")
                    ], in: city.run.code)
            } catch {
                await other.close()
                throw error
            }
            await other.close()

            let after = try await FindingAndTicketPagesTests.page(client, city, "admin", "/tickets?state=open")
            #expect(after.html.contains("共 5 条"))
            let apiAfter = try await client.call(.get, "/api/v1/tickets?state=open", headers: city.bearer("admin"))
            #expect(Self.total(apiAfter.body) == 5)
            let overviewAfter = try await FindingAndTicketPagesTests.page(client, city, "admin", "/")
            #expect(overviewAfter.html != overview.html)
            #expect(try await FindingAndTicketPagesTests.page(client, city, "admin", "/sites/4301210002").html.contains("错别字样本"))

            // A re-scored site changes the overview's rates (kept apart from its ticket parts).
            #expect(overviewAfter.html.contains("2/3 合格"))
            try await city.store.record(
                [Scorecard(target: Target(kind: .site, code: "4301210002", name: "青川县卫生健康局"), score: 40, vetoes: [], passed: false)],
                in: city.run.code)
            let rescored = try await FindingAndTicketPagesTests.page(client, city, "admin", "/")
            #expect(rescored.html.contains("1/3 合格") && !rescored.html.contains("2/3 合格"))
        }
    }

    @Test func aScopesPageIsNeverShownToAnother() async throws {
        try await APITestCity.withServer { city, client in
            // The office fills the cache first.
            for uri in Self.cachedPages { _ = try await FindingAndTicketPagesTests.page(client, city, "admin", uri) }
            let county = try await FindingAndTicketPagesTests.page(client, city, "county", "/tickets")
            #expect(county.html.contains("共 4 条") && !county.html.contains("鸿溪市教育局</td>"))
            #expect(try await FindingAndTicketPagesTests.page(client, city, "county", "/sites/4301000002?limit=1").status == .notFound)
            #expect(try await FindingAndTicketPagesTests.page(client, city, "education", "/sites/4301210001").status == .notFound)
            let countyAPI = try await client.call(.get, "/api/v1/tickets", headers: city.bearer("county"))
            #expect(Self.total(countyAPI.body) == 4)
            // Each sees the overview of its own scope and role, with its own name and token.
            let office = try await FindingAndTicketPagesTests.page(client, city, "admin", "/")
            let unit = try await FindingAndTicketPagesTests.page(client, city, "county", "/")
            #expect(Self.main(office.html) != Self.main(unit.html))
            #expect(unit.html.contains("青川县人民政府及其下属单位"))
            #expect(!office.html.contains("青川县人民政府及其下属单位"))
            #expect(unit.html.contains("county（") && !unit.html.contains("admin（"))
            #expect(ServerTestSupport.csrfToken(in: unit.html) != ServerTestSupport.csrfToken(in: office.html))
        }
    }

    @Test func cachedPagesEqualThePagesComputedWithoutTheCache() async throws {
        let pages = Mutex<[Bool: [String: String]]>([:])
        for cached in [false, true] {
            try await APITestCity.withServer(configure: { $0.pageCacheBytes = cached ? 64 << 20 : 0 }) { city, client in
                var seen: [String: String] = [:]
                for user in ["admin", "county"] {
                    for uri in Self.cachedPages {
                        // Twice: the second answer comes from the cache when it is on.
                        _ = try await FindingAndTicketPagesTests.page(client, city, user, uri)
                        let page = try await FindingAndTicketPagesTests.page(client, city, user, uri)
                        seen["\(user) \(uri)"] = "\(page.status.code) " + Self.main(page.html)
                    }
                    let api = try await client.call(.get, "/api/v1/tickets?limit=3&offset=1", headers: city.bearer(user))
                    seen["\(user) api"] = String(decoding: api.body, as: UTF8.self)
                }
                pages.withLock { $0[cached] = seen }
            }
        }
        let plain = try #require(pages.withLock { $0[false] })
        let cached = try #require(pages.withLock { $0[true] })
        #expect(plain.count == Self.cachedPages.count * 2 + 2)
        for (key, page) in plain.sorted(by: { $0.key < $1.key }) {
            #expect(cached[key] == page, "\(key)")
        }
    }
}
