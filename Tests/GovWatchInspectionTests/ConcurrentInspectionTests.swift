import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchStore
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import GovWatchInspection

/// An inspection crawls several sites at once; the crawler's `concurrency` still bounds the
/// requests of all of them together.
@Suite("Sites inspected at once")
struct ConcurrentInspectionTests {
    @Test("crawls sharing a crawler keep to its concurrency over all their hosts")
    func globalLimit() async throws {
        let inFlight = TinySite.InFlight()
        var pages: [String: TinySite.Page] = [:]
        var links = ""
        for index in 0..<12 {
            pages["/p\(index).html"] = .init(body: "<html><body><p>第\(index)页</p></body></html>", delay: .seconds(5), gather: 2)
            links += "<a href=\"/p\(index).html\">第\(index)篇文章标题</a>"
        }
        pages["/"] = .init(body: "<html><head><title>首页</title></head><body>\(links)</body></html>")
        let first = try await TinySite.start(pages, inFlight: inFlight)
        let second = try await TinySite.start(pages, inFlight: inFlight)
        var configuration = CrawlerTestSupport.configuration(proxy: nil)
        configuration.concurrency = 3
        configuration.perHostConcurrency = 4
        let crawler = try WebsiteCrawler(configuration: configuration)
        let asOf = Date()
        async let one = crawler.crawl(
            site: SiteRecord(code: "4390000091", name: "甲", url: first.base + "/", kind: .department, unit: "甲"), columns: [], asOf: asOf,
            store: nil)
        async let two = crawler.crawl(
            site: SiteRecord(code: "4390000092", name: "乙", url: second.base + "/", kind: .department, unit: "乙"), columns: [],
            asOf: asOf, store: nil)
        let results = try await [one, two]
        try await crawler.shutdown()
        try await first.shutdown()
        try await second.shutdown()
        for result in results {
            #expect(result.evidence.links.filter { $0.url.contains("/p") && $0.status == 200 }.count == 12)
        }
        #expect(first.hits("/p5.html") == 1 && second.hits("/p5.html") == 1)
        // Never more than the limit, and the limit was used.
        #expect(inFlight.most <= 3)
        #expect(inFlight.most >= 2)
    }

    @Test("the runner inspects up to sitesAtOnce sites at a time and stores each one")
    func sitesAtOnce() async throws {
        let city = SampleCity.standard
        let (store, folder) = try await CrawlerTestSupport.temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await RegistryImporter.importFile(.sites, data: city.registryCSVData(.sites), file: "sites.csv", into: store)
        let registered = try await store.sites()
        let source = SlowEvidence()
        let runner = InspectionRunner(
            store: store, sites: source, accounts: AccountEvidenceBuilder(http: try SimpleHTTP(client: .shared, proxy: nil)),
            sitesAtOnce: 3)
        let outcome = try await runner.run(
            InspectionRequest(asOf: city.asOf, indicators: .national2019, scanner: try ContentScanner.standard()))
        await store.close()
        #expect(registered.count > 3)
        #expect(source.most == 3)
        #expect(outcome.scorecards.filter { $0.target.kind == .site }.count == registered.count)
    }
}

/// Evidence that counts how many sites are asked for at once. The first sites are held
/// until three are in at once, so the peak does not depend on the machine's speed (should
/// the runner never ask for three at once, they are let go after a minute and the peak
/// shows it).
private final class SlowEvidence: SiteEvidenceSource {
    private let counts = NIOLockedValueBox((now: 0, most: 0))
    var most: Int { counts.withLockedValue { $0.most } }

    func evidence(for site: SiteRecord, columns: [ColumnRecord], asOf: Date, runCode: String) async throws -> SiteEvidence {
        counts.withLockedValue { $0.now += 1; $0.most = max($0.most, $0.now) }
        let giveUp = ContinuousClock.now.advanced(by: .seconds(60))
        while most < 3, ContinuousClock.now < giveUp { try await Task.sleep(for: .milliseconds(5)) }
        counts.withLockedValue { $0.now -= 1 }
        return SiteEvidence(site: site, asOf: asOf)
    }
}
