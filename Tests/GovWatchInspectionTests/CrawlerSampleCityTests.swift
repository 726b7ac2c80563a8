import Foundation
import GovWatchCore
import GovWatchPage
import GovWatchSampleCity
import Testing

@testable import GovWatchInspection

/// Real HTTP over loopback: the sample city's fixture server as the crawler's proxy.
@Suite("Crawler on the sample city", .serialized)
struct CrawlerSampleCityTests {
    static let city = SampleCity.standard

    private func crawl(
        _ code: String, configure: (inout CrawlConfiguration) -> Void = { _ in }
    ) async throws -> (SiteCrawlResult, [CrawlProgress]) {
        let server = try await FixtureServer.start(city: Self.city)
        var configuration = CrawlerTestSupport.configuration(proxy: server.proxyURL)
        configure(&configuration)
        let crawler = try WebsiteCrawler(configuration: configuration)
        let site = try #require(Self.city.sites.first { $0.code == code })
        let reports = ProgressLog()
        do {
            let result = try await crawler.crawl(
                site: CrawlerTestSupport.siteRecord(site), columns: CrawlerTestSupport.columnRecords(Self.city, site: code),
                asOf: Self.city.asOf, store: nil, progress: { reports.append($0) })
            try await crawler.shutdown()
            try await server.shutdown()
            return (result, reports.all)
        } catch {
            try? await crawler.shutdown()
            try? await server.shutdown()
            throw error
        }
    }

    private func normalized(_ url: String?) -> String? {
        url.flatMap { NormalizedURL($0)?.description }
    }

    @Test("a department site: pages, columns with last updates, undated and blank lists, identity, search")
    func departmentSite() async throws {
        let code = "4390000006"  // 鸿溪市发展和改革委员会 (TRS): stale and undated columns
        let (result, reports) = try await crawl(code)
        let evidence = result.evidence
        let home = try #require(evidence.homepage)
        #expect(home.loaded)
        #expect(home.identity.siteCode == code)
        #expect(!home.items.isEmpty)
        #expect(home.searchWorks)
        #expect(!home.https)
        #expect(result.statistics.pages > 30)
        // No planted content problem on this site: the crawl keeps no text.
        #expect(evidence.documents.isEmpty)
        #expect(reports.last?.finished == true)

        // Every registered column was read; planted stale columns show the planted last update.
        let registered = CrawlerTestSupport.columnRecords(Self.city, site: code)
        for column in registered {
            let found = evidence.columns.first { $0.column.url == column.url }
            #expect(found?.loaded == true, "栏目 \(column.name) 未加载")
            #expect(found?.discovered == false)
        }
        let stale = Self.city.plantedProblems.filter { $0.indicator == .siteColumnStale && $0.target.code == code }
        #expect(stale.count == 10)
        for problem in stale {
            let column = try #require(evidence.columns.first { $0.column.url == normalized(problem.url) })
            let expected = problem.detail["lastUpdated"].flatMap { $0.isEmpty ? nil : ChinaTime.parseDay($0) }
            #expect(column.lastUpdated == expected, "\(column.column.name)")
            #expect(!column.items.isEmpty, "\(column.column.name) 没有条目")
        }
        // The undated column lists its items without dates.
        let undated = try #require(evidence.columns.first { $0.column.name == "项目建设" })
        #expect(undated.items.count == 6)
        #expect(undated.items.allSatisfy { $0.date == nil })
        #expect(!undated.placeholderOnly)
        // The mailbox's letters.
        #expect(evidence.messages.count == 4)
        #expect(evidence.messages.allSatisfy { !$0.url.isEmpty })
    }

    @Test("content screen: only texts with a problem are kept, each with the category of its column")
    func keptTexts() async throws {
        let planted = try #require(
            Self.city.plantedProblems.first { $0.indicator == .siteContentPrivacy && $0.detail["sheet"] == "Sheet1" })
        let (result, _) = try await crawl(planted.target.code)
        let documents = result.evidence.documents
        let scanner = try ContentScanner.standard()
        #expect(!documents.isEmpty)
        #expect(documents.count < result.statistics.pages)
        // Kept texts are masked; their personal-information marks say where the masked numbers were.
        #expect(documents.allSatisfy { !scanner.scan($0.text, personalInformation: $0.personalInformation).problems.isEmpty })
        // The notice page with the table of names, and its spreadsheet, of the notice column.
        let page = try #require(documents.first { !$0.isAttachment && $0.columnCategory == .notice })
        #expect(scanner.scan(page.text, personalInformation: page.personalInformation).problems.contains { $0.kind == .idCard })
        #expect(scanner.scan(page.text).problems.allSatisfy { $0.kind != .idCard })  // no ID number in clear
        #expect(documents.contains { $0.isAttachment && $0.url.hasSuffix("#Sheet1") && $0.columnCategory == .notice })
    }

    @Test("blank columns: 暂无信息 and placeholder-only lists")
    func blankColumns() async throws {
        let code = "4390000008"  // 鸿溪市生态环境局 (Hanweb)
        let (result, _) = try await crawl(code)
        let blanks = Self.city.plantedProblems.filter { $0.indicator == .siteColumnBlank && $0.target.code == code }
        #expect(blanks.count == 6)
        for problem in blanks {
            let column = try #require(result.evidence.columns.first { $0.column.url == normalized(problem.url) })
            #expect(column.loaded)
            #expect(column.placeholderOnly, "\(column.column.name)")
            #expect(column.items.allSatisfy { $0.date == nil })
        }
        let others = result.evidence.columns.filter { column in !blanks.contains { normalized($0.url) == column.column.url } }
        #expect(others.contains { !$0.items.isEmpty })
        #expect(others.allSatisfy { !$0.placeholderOnly })
    }

    @Test("broken links of every kind, with referrers and the homepage flag; hostile links checked")
    func brokenLinks() async throws {
        let code = "4390000005"  // 鸿溪市自然资源和规划局
        let (result, _) = try await crawl(code)
        let links = Dictionary(result.evidence.links.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        let planted = Self.city.plantedProblems.filter { $0.indicator == .siteLinksBroken && $0.target.code == code }
        #expect(planted.count >= 6)
        for problem in planted where problem.mustBeFound {
            let target = try #require(normalized(problem.detail["link"]))
            let link = try #require(links[target], "未检查 \(target)")
            #expect(link.isBroken, "\(target) 应为错链")
            if let page = normalized(problem.url) {
                #expect(link.referrers.contains(page) || (problem.detail["onHomepage"] == "true"), "\(target) 引用页")
            }
            #expect(link.onHomepage == (problem.detail["onHomepage"] == "true"), "\(target) onHomepage")
            if let status = problem.detail["status"].flatMap(Int.init) {
                #expect(link.status == status, "\(target) 状态码")
            }
        }
        let loop = try #require(links["http://hostile.hongxi.gov.cn/loop.html"])
        #expect(loop.error == "重定向循环")
        #expect(loop.external)
        let cycle = try #require(links["http://hostile.hongxi.gov.cn/cycle-a.html"])
        #expect(cycle.error == "重定向循环")
        // 429 with Retry-After and a host failing one request in four: retries get through.
        #expect(links["http://hostile.hongxi.gov.cn/busy.html"]?.isBroken == false)
        #expect(links["http://hostile.hongxi.gov.cn/flaky.html"]?.isBroken == false)
        // Healthy links are not broken.
        #expect(result.evidence.links.filter { !$0.isBroken }.count > 20)
    }

    @Test("hostile pages crawled as a site: bounded, each reported, the crawl completes")
    func hostileHost() async throws {
        let server = try await FixtureServer.start(city: Self.city)
        var configuration = CrawlerTestSupport.configuration(proxy: server.proxyURL)
        configuration.maximumPageBytes = 2 * 1024 * 1024
        configuration.maximumVariantsPerPath = 20
        let crawler = try WebsiteCrawler(configuration: configuration)
        let site = SiteRecord(
            code: "4390099999", name: "测试站点", url: "http://hostile.hongxi.gov.cn/", kind: .department, unit: "测试")
        let result = try await crawler.crawl(site: site, columns: [], asOf: Self.city.asOf, store: nil)
        try await crawler.shutdown()
        try await server.shutdown()

        let links = Dictionary(result.evidence.links.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        func link(_ path: String) -> LinkEvidence? { links["http://hostile.hongxi.gov.cn" + path] }
        #expect(link("/loop.html")?.error == "重定向循环")
        #expect(link("/cycle-a.html")?.error == "重定向循环")
        #expect(link("/huge.html")?.error?.contains("响应过大") == true)
        #expect(link("/bomb.html")?.isBroken == true)
        // The 24-hour trickle was cut by the response timeout (its error says so), so the
        // crawl ended; no bound on the wall-clock time, which a loaded machine stretches.
        #expect(link("/trickle.html")?.error?.contains("超时") == true)
        #expect(link("/flaky.html")?.isBroken == false)
        #expect(link("/busy.html")?.isBroken == false)
        // The endless calendar stops at the variants cap.
        let calendar = result.evidence.links.filter { $0.url.contains("/calendar/") && !$0.isBroken }
        #expect(!calendar.isEmpty)
        #expect(calendar.count <= 20)
    }
}

/// Progress reports collected from the crawler's callback.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [CrawlProgress] = []

    func append(_ report: CrawlProgress) {
        lock.lock()
        reports.append(report)
        lock.unlock()
    }

    var all: [CrawlProgress] {
        lock.lock()
        defer { lock.unlock() }
        return reports
    }
}
