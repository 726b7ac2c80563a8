import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchPage
import GovWatchStore
import NIOCore
import Testing

@testable import GovWatchInspection

/// Soft 404s found by the crawl (a host's own not-found template, not-found wording), and
/// homepages behind a redirect page followed by the crawler and the prober alike.
@Suite("Soft 404s and redirect pages in a crawl")
struct SoftNotFoundAndRedirectTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/real-pages")

    static func realPage(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: corpus.appendingPathComponent(name)), as: UTF8.self)
    }

    /// The Shanxi TRS article page with its article swapped for a not-found notice echoing the
    /// requested path, under the portal's name: the template such a CMS answers for any
    /// unknown URL, with 200. Its site chrome is long, its title says nothing: only the
    /// comparison with the host's answer to a URL that cannot exist tells it apart.
    static func trsTemplate(path: String) throws -> String {
        let article = try realPage("article-www.shanxi.gov.cn-trs.html")
        let start = try #require(article.range(of: "<!-- Title -->"))
        let end = try #require(article.range(of: "（张巨峰）</div>"))
        var page = article.replacingCharacters(
            in: start.lowerBound..<end.upperBound, with: "<div class=\"error\"><p>抱歉，您访问的页面（\(path)）不存在或已被删除。</p></div>")
        page = page.replacingOccurrences(of: "山西品牌丝路行（南美站）正式启动 - ", with: "")
        return page
    }

    @Test("a soft-404 site: its template and a not-found notice, answered with 200, are broken links; articles are not")
    func softNotFound() async throws {
        let article = try Self.realPage("article-www.shanxi.gov.cn-trs.html")
        let aboutMissing = try NotFoundAndRedirectFixtures.articleAboutMissingPages()
        let notice = try Self.realPage("notfound-template-ahgkyy.my71.com-govinfo.html")
        let chinesePath = "/xxgk/%E9%80%9A%E7%9F%A5%E5%85%AC%E5%91%8A/index.html"
        let server = try await ScriptedSite.start { request in
            switch request.path {
            case "/":
                .html(
                    """
                    <html><head><meta charset="utf-8"><title>山西省人民政府门户网站</title></head><body>
                    <a href="/yw/sxyw/201909/t20190918_693227.shtml">山西品牌丝路行（南美站）正式启动</a>
                    <a href="/yw/sxyw/201909/t20190920_700001.shtml">关于网页不存在错链问题整改情况的通报</a>
                    <a href="/yw/sxyw/201801/t20180101_100001.shtml">旧新闻</a>
                    <a href="/old/notice.html">旧通知</a>
                    <a href="/xxgk/通知公告/index.html">通知公告</a>
                    </body></html>
                    """)
            case "/yw/sxyw/201909/t20190918_693227.shtml": .html(article)
            case "/yw/sxyw/201909/t20190920_700001.shtml": .html(aboutMissing)
            case "/old/notice.html": .html(notice)
            case chinesePath: .html("<html><head><title>通知公告</title></head><body><ul><li><a href=\"/a.html\">关于春节放假的通知</a>2022-01-20</li></ul></body></html>")
            case "/robots.txt": .plain(404)
            default: .html((try? Self.trsTemplate(path: request.path)) ?? "")
            }
        }
        var configuration = FetchPolicyTests.configuration()
        configuration.maximumDepth = 1
        // The real pages link to hundreds of other government sites: pages only, no checks.
        configuration.maximumChecks = 0
        let (evidence, rows) = try await FetchPolicyTests.crawl(server.base, configuration: configuration)
        let base = server.base
        // The host's template was asked for once, under a path no site has.
        #expect(server.requests.filter { $0.path.hasPrefix("/govwatch-") }.count == 1)
        // The deleted article answered with the template: broken, status 200, said why.
        let deleted = try #require(rows[base + "/yw/sxyw/201801/t20180101_100001.shtml"])
        #expect(deleted.status == 200)
        #expect(deleted.error == "页面不存在（软404）")
        // The CMS's own not-found notice answered with 200: broken by its wording.
        #expect(rows[base + "/old/notice.html"]?.error == "页面不存在（软404）")
        // The real article and the article about missing pages are pages.
        #expect(rows[base + "/yw/sxyw/201909/t20190918_693227.shtml"]?.error == nil)
        #expect(rows[base + "/yw/sxyw/201909/t20190920_700001.shtml"]?.error == nil)
        // The Chinese path went on the wire percent-encoded as UTF-8 and loaded.
        #expect(server.requests(chinesePath).count == 1)
        #expect(rows[base + chinesePath]?.status == 200)
        #expect(rows[base + chinesePath]?.error == nil)
        // (The real pages' links to other hosts, read as interaction channels, are not this test's.)
        let findings = SiteLinksBroken.check(
            site: evidence.target, links: evidence.links.filter { $0.url.hasPrefix(base) }, homepageURL: base + "/",
            indicators: .national2019)
        #expect(Set(findings.compactMap { $0.detail["link"] }) == [
            .string(base + "/yw/sxyw/201801/t20180101_100001.shtml"), .string(base + "/old/notice.html"),
        ])
        #expect(findings.allSatisfy { ($0.evidence ?? "").contains("页面不存在（软404）") })
        try await server.shutdown()
    }

    @Test("a homepage behind a meta refresh and a location.href page is followed to the real one, by the crawler and the prober")
    func redirectHomepage() async throws {
        let server = try await ScriptedSite.start { request in
            switch request.path {
            case "/": .html(#"<html><head><meta http-equiv="refresh" content="0;url=/portal/index.html"></head><body></body></html>"#)
            case "/portal/index.html":
                .html(#"<html><head><title>跳转</title></head><body>正在跳转，请稍候……<script type="text/javascript">window.location.href = "/col/col1/index.html";</script></body></html>"#)
            case "/col/col1/index.html":
                .html(#"<html><head><title>某某县人民政府</title></head><body><a href="/news/a.html">县政府常务会议</a></body></html>"#)
            case "/news/a.html": .html("<html><head><title>县政府常务会议</title></head><body><p>正文</p></body></html>")
            default: .plain(404)
            }
        }
        let (evidence, rows) = try await FetchPolicyTests.crawl(server.base)
        #expect(evidence.homepage?.finalURL == server.base + "/col/col1/index.html")
        #expect(rows[server.base + "/"]?.finalURL == server.base + "/col/col1/index.html")
        #expect(rows[server.base + "/news/a.html"]?.status == 200)

        let client = try InspectionHTTPClient.make(proxy: nil)
        let prober = Prober(http: try SimpleHTTP(client: client, proxy: nil), timeout: .seconds(5))
        let before = server.requests("/col/col1/index.html").count
        let probe = await prober.probe(siteCode: "4301000001", url: server.base + "/", at: FetchPolicyTests.asOf)
        #expect(probe.ok)
        #expect(probe.status == 200)
        #expect(server.requests("/col/col1/index.html").count == before + 1)
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test("redirect pages in a circle end: the crawl and the probe finish")
    func redirectPageLoop() async throws {
        let server = try await ScriptedSite.start { request in
            switch request.path {
            case "/": .html(#"<meta http-equiv="refresh" content="0;url=/a.html">"#)
            case "/a.html": .html(#"<script>location.replace("/b.html")</script>"#)
            case "/b.html": .html(#"<script>location.href = "/"</script>"#)
            default: .plain(404)
            }
        }
        _ = try await FetchPolicyTests.crawl(server.base)
        #expect(server.requests("/").count == 1)
        #expect(server.requests("/b.html").count == 1)
        let client = try InspectionHTTPClient.make(proxy: nil)
        let prober = Prober(http: try SimpleHTTP(client: client, proxy: nil), timeout: .seconds(5))
        let probe = await prober.probe(siteCode: "4301000001", url: server.base + "/", at: FetchPolicyTests.asOf)
        #expect(probe.status == 200)
        #expect(server.requests("/").count == 2)
        try await client.shutdown()
        try await server.shutdown()
    }
}

/// Real-page fixtures shared with the page tests' shapes.
enum NotFoundAndRedirectFixtures {
    /// The Shanxi TRS article retitled as a notice about fixing missing pages (see
    /// `NotFoundAndRedirectPageTests.articleAboutMissingPages`).
    static func articleAboutMissingPages() throws -> String {
        var html = try SoftNotFoundAndRedirectTests.realPage("article-www.shanxi.gov.cn-trs.html")
        html = html.replacingOccurrences(of: "山西品牌丝路行（南美站）正式启动", with: "关于网页不存在错链问题整改情况的通报")
        html = html.replacingOccurrences(
            of: "<div><span style=\"font-size: 12pt;\">　　跨越千山万水",
            with: "<div>　　经检查，部分网页不存在、链接已被删除或失效，现已全部整改。</div><div><span style=\"font-size: 12pt;\">　　跨越千山万水")
        return html
    }
}
