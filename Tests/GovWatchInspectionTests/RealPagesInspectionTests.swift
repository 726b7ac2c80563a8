import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchStore
import Testing

/// Real government pages (`Tests/Fixtures/real-pages/`) served as sites through a loopback
/// forward proxy, registered, and inspected end to end by the runner `govwatch inspect` uses
/// (crawl, every check, scoring, the run stored). The expected findings and verdicts were
/// written by reading the pages, not from the product's output:
///
/// - www.gov.cn, the portal homepage saved 2023-09-27 19:08 (`<meta name="others">`),
///   inspected as of 2023-09-30: its news is of late September 2023 (article links under
///   `/202309/`, pictures named `W20230927…`), but its blocks show no dates and the
///   articles are not in the corpus, so whether it was updated within 14 days cannot be
///   judged from what was read — a `site.inspection.incomplete` notice (reason `undated`),
///   never a stale-homepage veto; its footer shows 主办单位
///   国务院办公厅, 网站标识码 bm01000001, 京ICP备05070218号, 京公网安备11010202000001号 and the
///   党政机关网站标识 (`<img id="imgConac">`); it has a search box (a form without an action
///   that goes to sousuo.www.gov.cn); its domain is the central portal's own; its 留言
///   channels are on liuyan.www.gov.cn and tousu.www.gov.cn (over https and not in the
///   corpus, so here they may be reported as not loading, but never as absent). Nothing else
///   to report: 合格（未能完成检查）.
/// - www.lottery.gov.cn, whose homepage answered a bot challenge (200, a script that sets a
///   cookie and reloads) and whose registered column 历史开奖 (`/kj/kjlb.html`) is an empty
///   shell that JavaScript fills from an iframe chosen at run time (no data URL in the page):
///   neither could be read, so two `site.inspection.incomplete` notices (reasons `challenge`
///   and `javascript`) and nothing else — no stale, blank, identity, search or channel
///   finding, no veto: 合格（未能完成检查）.
///
/// The corpus holds single pages, not whole sites: the crawl reads the registered pages only
/// (depth 0, no link checks), and neither `site.https.missing` (the loopback proxy has no
/// TLS, so the sites are registered over http) nor `site.links.broken` (the linked pages are
/// not in the corpus) is judged.
@Suite(.serialized) struct RealPagesInspectionTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/real-pages")

    static let portal = "bm01000001"
    static let lottery = "bm99000001"

    static let sites = """
        网站标识码,网站名称,首页网址,网站类型,主办单位
        \(portal),中国政府网,http://www.gov.cn/,政府门户网站,国务院办公厅
        \(lottery),中国体育彩票,http://www.lottery.gov.cn/,部门网站,国家体育总局体育彩票管理中心

        """
    static let columns = """
        网站标识码,栏目名称,栏目地址,栏目类型,更新周期（天）,一级栏目
        \(lottery),历史开奖,http://www.lottery.gov.cn/kj/kjlb.html,通知公告,30,是

        """
    /// 2023-09-30 24:00 China time.
    static let asOf = ChinaTime.parseMoment("2023-09-30", bareDayMeansEnd: true)!

    /// Indicators this test cannot speak to: the proxy has no TLS, and the pages the saved
    /// pages link to (the off-host 留言 channels on https among them) are not in the corpus.
    static let notJudged: Set<IndicatorID> = [.siteHTTPSMissing, .siteLinksBroken]

    struct Inspected {
        var outcome: InspectionOutcome
        var findings: [Finding]
    }

    static let inspected = Task<Inspected, any Error> {
        func page(_ file: String) throws -> TinySite.Page {
            TinySite.Page(body: try String(contentsOf: corpus.appendingPathComponent(file), encoding: .utf8))
        }
        let proxy = try await TinySite.start([
            "http://www.gov.cn/": try page("portal-home-www.gov.cn.html"),
            "http://www.lottery.gov.cn/": try page("other-waf-challenge-www.lottery.gov.cn.html"),
            "http://www.lottery.gov.cn/kj/kjlb.html": try page("column-js-shell-www.lottery.gov.cn-kjlb.html"),
        ])
        let (store, folder) = try await CrawlerTestSupport.temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await RegistryImporter.importFile(.sites, data: Data(sites.utf8), file: "sites.csv", into: store)
        _ = try await RegistryImporter.importFile(.columns, data: Data(columns.utf8), file: "columns.csv", into: store)
        var configuration = CrawlConfiguration()
        configuration.proxy = proxy.base
        configuration.maximumDepth = 0
        configuration.maximumChecks = 0
        let crawler = try CrawlingSiteEvidenceSource(store: store, configuration: configuration)
        let client = try InspectionHTTPClient.make(proxy: proxy.base)
        do {
            let runner = InspectionRunner(
                store: store, sites: crawler, accounts: AccountEvidenceBuilder(http: try SimpleHTTP(client: client, proxy: proxy.base)))
            let outcome = try await runner.run(
                InspectionRequest(asOf: asOf, indicators: .national2019, scanner: try ContentScanner.standard()))
            try await crawler.shutdown()
            try await client.shutdown()
            try await proxy.shutdown()
            await store.close()
            return Inspected(outcome: outcome, findings: outcome.findings.filter { !notJudged.contains($0.indicator) })
        } catch {
            try? await crawler.shutdown()
            try? await client.shutdown()
            try? await proxy.shutdown()
            await store.close()
            throw error
        }
    }

    static func describe(_ findings: [Finding]) -> String {
        findings.map { "\($0.indicator.rawValue) \($0.url ?? "") \($0.detail) \($0.evidence ?? "")" }.joined(separator: "\n")
    }

    @Test("www.gov.cn's portal homepage (saved 2023-09-27) as of 2023-09-30: no veto; its undated news, whose articles are not served, is a notice: 合格（未能完成检查）")
    func portalHomepage() async throws {
        let inspected = try await Self.inspected.value
        let all = inspected.findings.filter { $0.target.code == Self.portal }
        // Its 留言 channels are on liuyan.www.gov.cn and tousu.www.gov.cn, over https, and
        // not in the corpus: the one thing this setup cannot show is that they load. So a
        // channel finding may only say they did not load, never that there is none.
        let channel = all.filter { $0.indicator == .siteInteractionNoChannel }
        for finding in channel {
            #expect(finding.detail["reason"]?.stringValue == "not-loading", "the off-host channels were not found: \(Self.describe([finding]))")
        }
        // Its news blocks show no dates (the dates are only in the articles' pages, which are not
        // in the corpus, and the addresses name only the month, `/202309/`): whether the homepage
        // was updated cannot be judged — a notice, never a stale-homepage veto.
        let undated = all.filter { $0.indicator == .siteInspectionIncomplete }
        #expect(undated.map { $0.detail["reason"]?.stringValue } == ["undated"], "\(Self.describe(undated))")
        #expect(undated.first?.detail["scope"]?.stringValue == "homepage-dates")
        #expect(undated.first?.detail["skippedChecks"] == .array([.string(IndicatorID.siteHomepageStale.rawValue)]))
        let findings = all.filter { $0.indicator != .siteInteractionNoChannel && $0.indicator != .siteInspectionIncomplete }
        #expect(findings.isEmpty, "\(Self.describe(findings))")
        let card = try #require(inspected.outcome.scorecards.first { $0.target.code == Self.portal })
        #expect(card.vetoes.allSatisfy { $0 == .siteInteractionNoChannel }, "\(card.vetoes)")
        #expect(card.incomplete)
        if channel.isEmpty {
            #expect(card.verdict == "合格（未能完成检查）")
        }
    }

    @Test("a bot-challenge homepage and a JavaScript-filled column: incomplete, with their reasons, and nothing else")
    func challengeAndJavaScriptShell() async throws {
        let inspected = try await Self.inspected.value
        let findings = inspected.findings.filter { $0.target.code == Self.lottery }
        let incomplete = findings.filter { $0.indicator == .siteInspectionIncomplete }
        let reasons = Dictionary(incomplete.map { ($0.detail["reason"]?.stringValue ?? "", $0.detail["url"]?.stringValue ?? $0.url ?? "") }) { a, _ in a }
        #expect(reasons == ["challenge": "http://www.lottery.gov.cn/", "javascript": "http://www.lottery.gov.cn/kj/kjlb.html"], "\(Self.describe(incomplete))")
        #expect(incomplete.count == 2, "\(Self.describe(incomplete))")
        let others = findings.filter { $0.indicator != .siteInspectionIncomplete }
        #expect(others.isEmpty, "findings from pages that were not read: \(Self.describe(others))")
        let card = try #require(inspected.outcome.scorecards.first { $0.target.code == Self.lottery })
        #expect(card.vetoes.isEmpty, "\(card.vetoes)")
        #expect(card.incomplete)
        #expect(card.verdict == "合格（未能完成检查）")
    }
}
