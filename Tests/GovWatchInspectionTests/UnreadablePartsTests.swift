import Foundation
import GovWatchCore
import Testing

@testable import GovWatchInspection

/// What the inspection could not read, end to end: sites served through a loopback forward
/// proxy (`TinySite`), crawled by `WebsiteCrawler`, judged by `SiteChecks`.
@Suite(.serialized) struct UnreadablePartsTests {
    static let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/real-pages")

    static func corpusPage(_ file: String) throws -> TinySite.Page {
        TinySite.Page(body: try String(contentsOf: corpus.appendingPathComponent(file), encoding: .utf8))
    }

    static func html(_ title: String, _ body: String) -> TinySite.Page {
        TinySite.Page(body: "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\(title)</title></head><body>\(body)</body></html>")
    }

    static let footer = """
        <div class="footer"><p>主办单位：鸿溪市交通运输局</p><p>网站标识码：4301000021</p>
        <p>湘ICP备05001234号-3</p><p>湘公网安备 43010202000125号</p>
        <a href="http://bszs.conac.cn/sitename?method=show&id=1"><img src="http://dcs.conac.cn/image/red.png" alt="党政机关"></a></div>
        """

    /// 鸿溪市交通运输局: a readable homepage whose columns cannot all be read.
    static let transport = "http://jtj.hongxi.gov.cn"

    static func transportPages() throws -> [String: TinySite.Page] {
        let news = (1...7).map { "<li><a href=\"/xwdt/\($0).html\">交通运输工作动态\($0)</a><span>2022-03-\(20 + $0)</span></li>" }
            .joined()
        var pages: [String: TinySite.Page] = [
            "\(transport)/robots.txt": TinySite.Page(contentType: "text/plain", body: "User-agent: *\nDisallow: /zwgk/\n"),
            "\(transport)/": html("鸿溪市交通运输局", """
                <ul class="nav"><li><a href="/tpxw/index.html">图片新闻</a></li><li><a href="/zwgk/index.html">政务公开</a></li>
                <li><a href="/hdjl/index.html">局长信箱</a></li></ul>
                <div class="news"><ul>\(news)</ul></div>
                <p><a href="http://credit.hongxi.gov.cn/cx.html">信用鸿溪</a></p>
                <p><a href="http://www.hx-bet8.com/" style="display:none">体育投注</a></p>
                \(footer)
                """),
            // 图片新闻 as www.lottery.gov.cn's 历史开奖 serves it: an empty shell filled by JavaScript.
            "\(transport)/tpxw/index.html": try corpusPage("column-js-shell-www.lottery.gov.cn-kjlb.html"),
            "\(transport)/zwgk/index.html": html("政务公开", "<ul><li><a href=\"/zwgk/1.html\">公开指南</a><span>2021-01-05</span></li></ul>"),
            // A mailbox whose server keeps asking to be asked later.
            "\(transport)/hdjl/index.html": TinySite.Page(status: 429, body: "<html><body>请求过于频繁</body></html>", headers: [("Retry-After", "0")]),
            "http://credit.hongxi.gov.cn/cx.html": TinySite.Page(status: 503, body: "<html><body>服务暂时不可用</body></html>", headers: [("Retry-After", "0")]),
            "http://www.hx-bet8.com/": html("bet", "<p>x</p>"),
        ]
        for index in 1...7 {
            pages["\(transport)/xwdt/\(index).html"] = html("交通运输工作动态\(index)", """
                <h1>交通运输工作动态\(index)</h1><p>发布时间：2022-03-\(20 + index)</p><p>正文。</p>
                <p>附件：<a href="/files/gone.pdf">2021年工作总结.pdf</a></p>
                """)
        }
        return pages
    }

    static let transportSite = SiteRecord(
        code: "4301000021", name: "鸿溪市交通运输局", url: "\(transport)/", kind: .department, unit: "鸿溪市交通运输局",
        parent: "鸿溪市人民政府", icp: "湘ICP备05001234号-3", police: "湘公网安备 43010202000125号")

    static let transportColumns = [
        ColumnRecord(site: transportSite.code, name: "图片新闻", url: "\(transport)/tpxw/index.html", category: .news),
        ColumnRecord(site: transportSite.code, name: "政务公开", url: "\(transport)/zwgk/index.html", category: .other, periodDays: 30),
        ColumnRecord(site: transportSite.code, name: "局长信箱", url: "\(transport)/hdjl/index.html", category: .consultation),
    ]

    static func crawl(
        _ site: SiteRecord, columns: [ColumnRecord], pages: [String: TinySite.Page], tune: (inout CrawlConfiguration) -> Void = { _ in }
    ) async throws -> (SiteCrawlResult, TinySite) {
        let proxy = try await TinySite.start(pages)
        var configuration = CrawlerTestSupport.configuration(proxy: proxy.base)
        configuration.maximumRetryAfter = .zero
        tune(&configuration)
        let crawler = try WebsiteCrawler(configuration: configuration)
        do {
            let result = try await crawler.crawl(site: site, columns: columns, asOf: asOf, store: nil)
            try await crawler.shutdown()
            try await proxy.shutdown()
            return (result, proxy)
        } catch {
            try? await crawler.shutdown()
            try? await proxy.shutdown()
            throw error
        }
    }

    static func describe(_ findings: [Finding]) -> String {
        findings.map { "\($0.indicator.rawValue) \($0.url ?? "") \($0.detail) \($0.evidence ?? "")" }.joined(separator: "\n")
    }

    @Test("columns that could not be read (JavaScript, robots.txt, 429) are reported, never judged stale, blank or channel-less")
    func unreadColumns() async throws {
        let (result, _) = try await Self.crawl(Self.transportSite, columns: Self.transportColumns, pages: try Self.transportPages())
        let evidence = result.evidence
        let parts = evidence.unreadable.map { "\($0.scope.rawValue) \($0.reason.rawValue) \($0.url)" }.sorted()
        #expect(parts == [
            "column javascript \(Self.transport)/tpxw/index.html",
            "column rate-limited \(Self.transport)/hdjl/index.html",
            "column robots \(Self.transport)/zwgk/index.html",
            "links rate-limited http://credit.hongxi.gov.cn/",
        ], "\(evidence.unreadable)")
        let findings = SiteChecks.run(evidence, indicators: .national2019, scanner: try ContentScanner.standard())
        let judged: Set<IndicatorID> = [
            .siteColumnStale, .siteColumnBlank, .siteColumnsStaleVeto, .siteColumnsBlankVeto, .siteInteractionNoChannel,
            .siteHomepageStale,
        ]
        #expect(!findings.contains { judged.contains($0.indicator) }, "\(Self.describe(findings))")
        let incomplete = findings.filter { $0.indicator == .siteInspectionIncomplete }
        #expect(incomplete.count == 4)
        #expect(incomplete.first { $0.detail["reason"] == "rate-limited" && $0.detail["scope"] == "column" }?.detail["status"] == 429)
        // The throttling host's link is not a broken link; the missing attachment is, with every page that links it.
        // (Other links fail here too: the JavaScript shell's scripts on static.sporttery.cn and
        // the footer's conac.cn badge are not served by the test proxy.)
        let broken = findings.filter { $0.indicator == .siteLinksBroken }
        #expect(!broken.contains { $0.detail["link"]?.stringValue?.contains("credit.hongxi.gov.cn") == true }, "\(Self.describe(broken))")
        let gone = try #require(broken.first { $0.detail["link"] == .string("\(Self.transport)/files/gone.pdf") })
        #expect(gone.detail["referrerCount"] == 7)
        guard case .array(let referrers)? = gone.detail["referrers"] else { Issue.record("no referrers"); return }
        #expect(referrers.count == SiteEvidenceBuilder.maximumReferrers)
        #expect(gone.evidence?.hasSuffix("；共7个页面引用") == true)
        // The dark link says how it was hidden.
        let dark = try #require(findings.first { $0.indicator == .siteDarkLink })
        #expect(dark.detail["hidden"] != .null)
        #expect(dark.evidence?.contains("display:none") == true, "\(dark.evidence ?? "")")
        let card = Scorer(indicators: .national2019).score(evidence.target, findings: findings)
        #expect(!card.incomplete)
        #expect(card.vetoes.isEmpty)
    }

    @Test("the page limit is said, and does not hide the homepage")
    func pageLimit() async throws {
        let (result, _) = try await Self.crawl(Self.transportSite, columns: [], pages: try Self.transportPages()) {
            $0.maximumPages = 3
        }
        let limit = try #require(result.evidence.unreadable.first { $0.reason == .pageLimit })
        #expect(limit.scope == .crawl)
        #expect(limit.url == Self.transportSite.url)
        #expect((limit.count ?? 0) >= 5, "\(limit)")
        let findings = SiteChecks.run(result.evidence, indicators: .national2019, scanner: try ContentScanner.standard())
        #expect(findings.contains { $0.indicator == .siteInspectionIncomplete && $0.detail["reason"] == "page-limit" })
        #expect(result.evidence.homepage?.loaded == true)
        #expect(!Scorer(indicators: .national2019).score(result.evidence.target, findings: findings).incomplete)
    }

    @Test("a homepage robots.txt forbids: incomplete (robots), nothing judged from it, the scorecard says 未能完成检查")
    func robotsHomepage() async throws {
        let site = SiteRecord(code: "4301000024", name: "鸿溪市档案馆", url: "http://daj.hongxi.gov.cn/", kind: .department, unit: "鸿溪市档案馆")
        let pages: [String: TinySite.Page] = [
            "http://daj.hongxi.gov.cn/robots.txt": TinySite.Page(contentType: "text/plain", body: "User-agent: *\nDisallow: /\n"),
            "http://daj.hongxi.gov.cn/": Self.html("鸿溪市档案馆", "<p>欢迎访问</p>"),
        ]
        let (result, proxy) = try await Self.crawl(site, columns: [], pages: pages)
        #expect(proxy.hits("/") == 0)
        let findings = SiteChecks.run(result.evidence, indicators: .national2019, scanner: try ContentScanner.standard())
        #expect(findings.map(\.indicator) == [.siteInspectionIncomplete], "\(Self.describe(findings))")
        #expect(findings.first?.detail["reason"] == "robots")
        #expect(findings.first?.evidence?.contains("robots.txt禁止抓取") == true)
        let card = Scorer(indicators: .national2019).score(result.evidence.target, findings: findings)
        #expect(card.incomplete && card.vetoes.isEmpty)
    }

    @Test("a homepage that is a bot challenge: incomplete (challenge), no stale, identity, search or channel finding, no veto")
    func challengeHomepage() async throws {
        let site = SiteRecord(code: "4301000022", name: "鸿溪市体育局", url: "http://tyj.hongxi.gov.cn/", kind: .department, unit: "鸿溪市体育局")
        let column = ColumnRecord(site: site.code, name: "体育新闻", url: "http://tyj.hongxi.gov.cn/tyxw/index.html", category: .news)
        let pages: [String: TinySite.Page] = [
            "http://tyj.hongxi.gov.cn/": try Self.corpusPage("other-waf-challenge-www.lottery.gov.cn.html"),
            "http://tyj.hongxi.gov.cn/tyxw/index.html": try Self.corpusPage("other-waf-challenge-www.lottery.gov.cn.html"),
        ]
        let (result, _) = try await Self.crawl(site, columns: [column], pages: pages)
        let findings = SiteChecks.run(result.evidence, indicators: .national2019, scanner: try ContentScanner.standard())
        let reasons = findings.filter { $0.indicator == .siteInspectionIncomplete }.map { "\($0.detail["scope"]?.stringValue ?? "") \($0.detail["reason"]?.stringValue ?? "")" }
        #expect(reasons == ["homepage challenge", "column challenge"], "\(Self.describe(findings))")
        // The challenge page's own scripts and styles (relative to www.lottery.gov.cn) are not served here.
        let others = findings.filter { ![.siteInspectionIncomplete, .siteHTTPSMissing, .siteLinksBroken].contains($0.indicator) }
        #expect(others.isEmpty, "\(Self.describe(others))")
        let card = Scorer(indicators: .national2019).score(result.evidence.target, findings: findings)
        #expect(card.vetoes.isEmpty)
        #expect(card.incomplete)
        #expect(card.verdict == "合格（未能完成检查）")
    }
}

/// A department's 局长信箱 on the city's unified mailbox platform (another host), modelled on
/// 长沙市's 网络问政 platform `wlwz.changsha.gov.cn/webapp/cs/email/` as a public scraper reads
/// it (jamesfyp/WaiBaoSpider, `spiders/changsha.py`): the list is a `table.table1` of letters,
/// each linking to `detail.jsp?…`, whose page shows 来信时间 and 回复时间 under the letter and
/// the reply (`div.specific_letter_bottom`). Here the list shows status words only.
@Suite(.serialized) struct OffHostChannelTests {
    static let site = SiteRecord(
        code: "4301000023", name: "鸿溪市司法局", url: "http://sfj.hongxi.gov.cn/", kind: .department, unit: "鸿溪市司法局",
        parent: "鸿溪市人民政府")
    static let platform = "http://wlwz.hongxi.gov.cn/webapp/hx/email"

    static func letter(_ title: String, asked: String, answered: String?) -> TinySite.Page {
        UnreadablePartsTests.html(title, """
            <div class="mailbox_title">\(title)</div>
            <div class="letter_content1"><div class="specific_letter">来信内容：……</div>
            <div class="specific_letter_bottom"><span>来信时间：\(asked)</span></div></div>
            <div class="letter_content1"><div class="specific_letter">\(answered == nil ? "" : "您好，来信收悉……")</div>
            <div class="specific_letter_bottom"><span>处理单位：鸿溪市司法局</span><span>\(answered.map { "回复时间：\($0)" } ?? "")</span></div></div>
            """)
    }

    static func row(_ id: Int, _ title: String, asked: String, status: String) -> String {
        "<tr><td>\(id)</td><td><a href=\"detail.jsp?id=\(id)\">\(title)</a></td><td>\(asked)</td><td>\(status)</td><td>鸿溪市司法局</td></tr>"
    }

    static func pages() -> [String: TinySite.Page] {
        let header = "<tr><th>序号</th><th>信件主题</th><th>来信时间</th><th>办理状态</th><th>处理部门</th></tr>"
        return [
            "http://sfj.hongxi.gov.cn/": UnreadablePartsTests.html("鸿溪市司法局", """
                <ul class="nav"><li><a href="/xwdt/index.html">司法动态</a></li>
                <li><a href="\(platform)/index.jsp?dept=sfj">局长信箱</a></li></ul>
                <ul><li><a href="/xwdt/1.html">全市司法行政工作会议召开</a><span>2022-03-29</span></li></ul>
                """),
            "http://sfj.hongxi.gov.cn/xwdt/index.html": UnreadablePartsTests.html("司法动态", """
                <ul><li><a href="/xwdt/1.html">全市司法行政工作会议召开</a><span>2022-03-29</span></li>
                <li><a href="/xwdt/2.html">开展法治宣传进社区活动</a><span>2022-03-18</span></li>
                <li><a href="/xwdt/3.html">律师行业党建工作推进会</a><span>2022-03-02</span></li></ul>
                """),
            "\(platform)/index.jsp?dept=sfj": UnreadablePartsTests.html("网络问政平台-局长信箱", """
                <div class="top"><a href="/webapp/hx/index.jsp">平台首页</a> <a href="\(platform)/index.jsp?dept=jtj">交通运输局信箱</a></div>
                <table class="table1">\(header)
                \(row(101, "关于法律援助申请条件的咨询", asked: "2022-01-04", status: "已办结"))
                \(row(102, "人民调解员培训时间", asked: "2022-03-01", status: "已回复"))
                </table>
                <div class="page"><a href="index.jsp?dept=sfj&amp;page=2">下一页</a></div>
                """),
            "\(platform)/index.jsp?dept=sfj&page=2": UnreadablePartsTests.html("网络问政平台-局长信箱", """
                <table class="table1">\(header)
                \(row(103, "公证办理需要哪些材料", asked: "2021-12-06", status: "已办结"))
                </table>
                """),
            "\(platform)/detail.jsp?id=101": letter("关于法律援助申请条件的咨询", asked: "2022-01-04", answered: "2022-03-15"),
            "\(platform)/detail.jsp?id=102": letter("人民调解员培训时间", asked: "2022-03-01", answered: "2022-03-03"),
            "\(platform)/detail.jsp?id=103": letter("公证办理需要哪些材料", asked: "2021-12-06", answered: "2021-12-08"),
            "http://wlwz.hongxi.gov.cn/webapp/hx/index.jsp": UnreadablePartsTests.html("平台首页", "<a href=\"/webapp/hx/all.jsp\">全部信件</a>"),
        ]
    }

    @Test("a 局长信箱 on the city's platform is the site's channel: read with its paging and letters, the platform not crawled")
    func mailboxOnAnotherHost() async throws {
        let (result, proxy) = try await UnreadablePartsTests.crawl(Self.site, columns: [], pages: Self.pages())
        let evidence = result.evidence
        // The platform's navigation and other departments' mailboxes are not fetched.
        #expect(proxy.hits("/webapp/hx/index.jsp") == 0)
        #expect(proxy.hits("/webapp/hx/all.jsp") == 0)
        #expect(proxy.hits("/webapp/hx/email/index.jsp?dept=jtj") == 0)
        #expect(proxy.hits("/webapp/hx/email/detail.jsp?id=103") == 1)

        let channel = try #require(evidence.columns.first { $0.column.url == "\(Self.platform)/index.jsp?dept=sfj" })
        #expect(channel.column.category == .consultation)
        #expect(channel.discovered)
        #expect(channel.loaded)
        #expect(result.discoveredColumns.contains { $0.url == channel.column.url && $0.name == "局长信箱" })

        // Reply dates come from each letter's own page: the list shows only 已办结 / 已回复.
        let answered = Dictionary(uniqueKeysWithValues: evidence.messages.map { ($0.title, $0.answeredOn?.description ?? "none") })
        #expect(answered == [
            "关于法律援助申请条件的咨询": "2022-03-15", "人民调解员培训时间": "2022-03-03", "公证办理需要哪些材料": "2021-12-08",
        ], "\(evidence.messages)")

        let findings = SiteChecks.run(evidence, indicators: .national2019, scanner: try ContentScanner.standard())
        #expect(!findings.contains { $0.indicator == .siteInteractionNoChannel }, "\(UnreadablePartsTests.describe(findings))")
        // 2022-01-04 → 2022-03-15 is far more than 5 working days: the late reply is found on the platform.
        let slow = try #require(findings.first { $0.indicator == .siteInteractionSlowReply })
        #expect(slow.evidence?.contains("关于法律援助申请条件的咨询") == true, "\(slow.evidence ?? "")")
        // Nothing of the platform's own pages is judged as the department's.
        #expect(
            !findings.contains { $0.indicator == .siteLinksBroken && $0.detail["link"]?.stringValue?.contains("wlwz") == true },
            "\(UnreadablePartsTests.describe(findings))")
    }

    @Test("without the off-host mailbox link the same site has no channel")
    func withoutTheLink() async throws {
        var pages = Self.pages()
        pages["http://sfj.hongxi.gov.cn/"] = UnreadablePartsTests.html("鸿溪市司法局", """
            <ul class="nav"><li><a href="/xwdt/index.html">司法动态</a></li></ul>
            <ul><li><a href="/xwdt/1.html">全市司法行政工作会议召开</a><span>2022-03-29</span></li></ul>
            """)
        let (result, _) = try await UnreadablePartsTests.crawl(Self.site, columns: [], pages: pages)
        let findings = SiteChecks.run(result.evidence, indicators: .national2019, scanner: try ContentScanner.standard())
        #expect(findings.contains { $0.indicator == .siteInteractionNoChannel })
    }

    @Test("an off-host mailbox that does not load is a channel that does not load")
    func brokenMailbox() async throws {
        var pages = Self.pages()
        pages["\(Self.platform)/index.jsp?dept=sfj"] = TinySite.Page(status: 404, body: "<html><body>404</body></html>")
        let (result, _) = try await UnreadablePartsTests.crawl(Self.site, columns: [], pages: pages)
        let findings = SiteChecks.run(result.evidence, indicators: .national2019, scanner: try ContentScanner.standard())
        let channel = try #require(findings.first { $0.indicator == .siteInteractionNoChannel })
        #expect(channel.detail["reason"] == "not-loading")
        #expect(!findings.contains { $0.indicator == .siteInspectionIncomplete })
    }

    @Test("an off-host mailbox that could not be read is no proof of a missing channel")
    func unreadableMailbox() async throws {
        var pages = Self.pages()
        pages["\(Self.platform)/index.jsp?dept=sfj"] = TinySite.Page(status: 503, body: "<html><body>维护中</body></html>", headers: [("Retry-After", "0")])
        let (result, _) = try await UnreadablePartsTests.crawl(Self.site, columns: [], pages: pages)
        let findings = SiteChecks.run(result.evidence, indicators: .national2019, scanner: try ContentScanner.standard())
        #expect(!findings.contains { $0.indicator == .siteInteractionNoChannel }, "\(UnreadablePartsTests.describe(findings))")
        let part = try #require(findings.first { $0.indicator == .siteInspectionIncomplete && $0.detail["scope"] == "column" })
        #expect(part.detail["reason"] == "rate-limited")
        #expect(part.detail["column"] == "局长信箱")
    }
}
