import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchStore
import GovWatchTestSupport
import Testing

@testable import GovWatchInspection

/// Resumable crawling, conditional requests and robots.txt, with the state in SQLite (and,
/// for resuming, in PostgreSQL).
@Suite("Crawler state: resume, 304s, robots.txt", .serialized)
struct CrawlerResumeTests {
    static let city = SampleCity.standard
    static let code = "4390000006"

    /// URLs of the session stored as done so far.
    static func doneCount(_ store: Store, sessionKey: String) async throws -> Int {
        guard let session = try await store.crawlSession(key: sessionKey) else { return 0 }
        return try await store.crawlResults(session: session.id, afterID: 0, limit: 100_000).filter { $0.state == "done" }.count
    }

    private func inputs() throws -> (SiteRecord, [ColumnRecord]) {
        let site = try #require(Self.city.sites.first { $0.code == Self.code })
        return (CrawlerTestSupport.siteRecord(site), CrawlerTestSupport.columnRecords(Self.city, site: Self.code))
    }

    @Test("a crawl cancelled mid-way resumes from the store to the same evidence, without duplicates (SQLite)")
    func resumeAfterCancellation() async throws {
        try await resumeAfterCancellation(on: "sqlite")
    }

    @Test("a crawl cancelled mid-way resumes from the store to the same evidence, without duplicates (PostgreSQL)",
        .requires(ToolAvailability.postgres))
    func resumeAfterCancellationOnPostgreSQL() async throws {
        try await resumeAfterCancellation(on: "postgres")
    }

    private func resumeAfterCancellation(on backend: String) async throws {
        let store: Store
        if backend == "sqlite" {
            store = try await CrawlerTestSupport.temporaryStore().0
        } else {
            // The crawl state in PostgreSQL, as workers sharing one database keep it.
            let (postgres, _) = try await SchedulerTests.freshStore("postgres")
            store = postgres
        }
        let server = try await FixtureServer.start(city: Self.city)
        var configuration = CrawlerTestSupport.configuration(proxy: server.proxyURL)
        configuration.conditionalRequests = false
        let (site, columns) = try inputs()

        let crawler = try WebsiteCrawler(configuration: configuration)
        let full = try await crawler.crawl(site: site, columns: columns, asOf: Self.city.asOf, store: store, sessionKey: "full")
        try await crawler.shutdown()

        // The same crawl, stopped part-way at a known point whatever the machine's speed: the
        // server answers half the requests of the full crawl and holds the next one; once
        // answered pages are committed, the crawl is cancelled while it waits for that answer.
        var slow = configuration
        slow.perHostConcurrency = 1
        slow.commitBatchSize = 4
        // A held request must not time out into a broken link before the cancel reaches it.
        slow.firstByteTimeout = .seconds(600)
        slow.responseTimeout = .seconds(600)
        server.holdRequests(after: (full.statistics.pages + full.statistics.checks) / 2)
        let slowCrawler = try WebsiteCrawler(configuration: slow)
        let partial = Task {
            try await slowCrawler.crawl(site: site, columns: columns, asOf: Self.city.asOf, store: store, sessionKey: "resumed")
        }
        await server.waitForHeldRequest()
        while try await Self.doneCount(store, sessionKey: "resumed") == 0 {
            try await Task.sleep(for: .milliseconds(10))  // a batch of answered pages is being committed
        }
        partial.cancel()
        let outcome = await partial.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        try await slowCrawler.shutdown()
        server.releaseHeldRequests()

        let session = try #require(try await store.crawlSession(key: "resumed"))
        #expect(!session.isFinished)
        let stored = try await store.crawlResults(session: session.id, afterID: 0, limit: 100_000)
        let doneBefore = stored.filter { $0.state == "done" }.count
        #expect(doneBefore > 0)
        #expect(stored.contains { $0.state == "queued" })

        let again = try WebsiteCrawler(configuration: configuration)
        let resumed = try await again.crawl(site: site, columns: columns, asOf: Self.city.asOf, store: store, sessionKey: "resumed")
        try await again.shutdown()
        try await server.shutdown()
        #expect(resumed.statistics.resumed)
        // Only what was left was fetched.
        #expect(resumed.statistics.pages + resumed.statistics.checks < full.statistics.pages + full.statistics.checks)

        let finalRows = try await store.crawlResults(session: session.id, afterID: 0, limit: 100_000)
        #expect(Set(finalRows.map(\.url)).count == finalRows.count)
        #expect(!finalRows.contains { $0.state == "queued" })
        #expect(CrawlerTestSupport.digest(resumed.evidence) == CrawlerTestSupport.digest(full.evidence))
        #expect(!full.evidence.links.isEmpty && !full.evidence.columns.isEmpty && !full.evidence.messages.isEmpty)

        // A finished session is read back, nothing fetched.
        let reader = try WebsiteCrawler(configuration: configuration)
        let readBack = try await reader.crawl(site: site, columns: columns, asOf: Self.city.asOf, store: store, sessionKey: "resumed")
        try await reader.shutdown()
        #expect(readBack.statistics.pages == 0 && readBack.statistics.checks == 0)
        #expect(CrawlerTestSupport.digest(readBack.evidence) == CrawlerTestSupport.digest(full.evidence))
        await store.close()
    }

    /// Killed after its session was stored but before its seeds were: the resumed crawl must
    /// not take the empty frontier for a finished crawl. (A worker killed at that moment
    /// once left a site with no pages and no findings.)
    @Test("a crawl killed before its seeds were stored resumes from the homepage")
    func resumeOfASessionWithoutSeeds() async throws {
        let (store, _) = try await CrawlerTestSupport.temporaryStore()
        let server = try await FixtureServer.start(city: Self.city)
        var configuration = CrawlerTestSupport.configuration(proxy: server.proxyURL)
        configuration.conditionalRequests = false
        let (site, columns) = try inputs()
        let crawler = try WebsiteCrawler(configuration: configuration)
        let full = try await crawler.crawl(site: site, columns: columns, asOf: Self.city.asOf, store: store, sessionKey: "full")

        _ = try await store.openCrawlSession(
            key: "seedless", siteCode: site.code, asOf: Self.city.asOf, settings: configuration.admissionSettings, startedAt: Date())
        let resumed = try await crawler.crawl(site: site, columns: columns, asOf: Self.city.asOf, store: store, sessionKey: "seedless")
        try await crawler.shutdown()
        try await server.shutdown()
        #expect(resumed.statistics.pages == full.statistics.pages)
        #expect(CrawlerTestSupport.digest(resumed.evidence) == CrawlerTestSupport.digest(full.evidence))
        await store.close()
    }

    @Test("re-inspection sends ETag / Last-Modified and unchanged pages answer 304 with the same evidence")
    func conditionalRequests() async throws {
        let server = try await FixtureServer.start(city: Self.city)
        let (store, folder) = try await CrawlerTestSupport.temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = CrawlerTestSupport.configuration(proxy: server.proxyURL)
        let (site, columns) = try inputs()
        let crawler = try WebsiteCrawler(configuration: configuration)
        let first = try await crawler.crawl(site: site, columns: columns, asOf: Self.city.asOf, store: store, sessionKey: "month-1")
        let second = try await crawler.crawl(site: site, columns: columns, asOf: Self.city.asOf, store: store, sessionKey: "month-2")
        try await crawler.shutdown()
        try await server.shutdown()
        #expect(first.statistics.notModified == 0)
        #expect(second.statistics.notModified > first.statistics.pages / 2)
        #expect(CrawlerTestSupport.digest(second.evidence) == CrawlerTestSupport.digest(first.evidence))
        // Only the newest finished crawl of the site is kept.
        #expect(try await store.crawlSession(key: "month-1") == nil)
        await store.close()
    }

    @Test("robots.txt is honoured by default and can be switched off")
    func robots() async throws {
        let tiny = try await TinySite.start([
            "/robots.txt": .init(contentType: "text/plain", body: "User-agent: *\nDisallow: /private/\n"),
            "/": .init(body: """
                <html><head><title>首页</title></head><body><a href="/public.html">公开信息目录</a>
                <a href="/private/a.html">内部资料汇编</a></body></html>
                """),
            "/public.html": .init(body: "<html><body><p>公开内容</p></body></html>"),
            "/private/a.html": .init(body: "<html><body><p>内部内容</p></body></html>"),
        ])
        let site = SiteRecord(code: "4390000099", name: "测试", url: tiny.base + "/", kind: .department, unit: "测试")
        var configuration = CrawlerTestSupport.configuration(proxy: nil)
        let polite = try WebsiteCrawler(configuration: configuration)
        let honoured = try await polite.crawl(site: site, columns: [], asOf: Self.city.asOf, store: nil)
        try await polite.shutdown()
        #expect(tiny.hits("/private/a.html") == 0)
        #expect(tiny.hits("/public.html") == 1)
        #expect(!honoured.evidence.links.contains { $0.url.hasSuffix("/private/a.html") })
        #expect(honoured.evidence.links.contains { $0.url.hasSuffix("/public.html") && $0.status == 200 })

        configuration.obeyRobots = false
        let supervisor = try WebsiteCrawler(configuration: configuration)
        let ignored = try await supervisor.crawl(site: site, columns: [], asOf: Self.city.asOf, store: nil)
        try await supervisor.shutdown()
        try await tiny.shutdown()
        #expect(tiny.hits("/private/a.html") == 1)
        #expect(ignored.evidence.links.contains { $0.url.hasSuffix("/private/a.html") && $0.status == 200 })
    }
}
