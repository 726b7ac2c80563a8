import Foundation
import GovWatchCore
import GovWatchPage
import Testing

@testable import GovWatchInspection

/// What the crawler keeps of pages that cannot be read, of a column whose script loads its
/// list from a data endpoint, and of dark links; and that `govwatch extract` and the
/// crawl see one page the same way.
@Suite("Page records of unreadable and script-drawn pages")
struct PageAnalyzerReadabilityTests {
    static let analyzer = PageAnalyzer(asOf: ChinaTime.parseMoment("2024-08-01", bareDayMeansEnd: true)!)

    static func fixture(_ name: String) throws -> [UInt8] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/real-pages")
        return Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    @Test("a challenge page's record says so and holds nothing else")
    func challenge() throws {
        let record = Self.analyzer.analyze(
            body: try Self.fixture("other-waf-challenge-www.lottery.gov.cn.html"), contentType: "text/html; charset=utf-8",
            url: NormalizedURL("https://www.lottery.gov.cn/")!)
        #expect(record.unreadable == "challenge")
        #expect(record.title == nil && record.identity == nil && record.items.isEmpty && record.links.isEmpty && record.search.isEmpty)
        #expect(PageRecord.decode(try record.json()) == record)
    }

    @Test("a script-drawn shell without a data source is unreadable (javascript)")
    func shell() throws {
        let record = Self.analyzer.analyze(
            body: try Self.fixture("column-js-shell-www.lottery.gov.cn-kjlb.html"), contentType: "text/html",
            url: NormalizedURL("https://www.lottery.gov.cn/kj/kjlb.html")!)
        #expect(record.unreadable == "javascript")
        #expect(record.items.isEmpty)
    }

    @Test("a column whose script names its JSON endpoint: the endpoint is followed like the list's next page, and its entries are the items")
    func dataEndpoint() throws {
        let column = """
            <html><head><title>通知公告</title></head><body>
            <div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a><a href="/bsfw/">办事服务</a></div>
            <div class="main"><ul id="list"></ul></div>
            <div class="footer">主办单位：鸿溪市人民政府办公室 网站标识码：3509000001 闽ICP备05012345号 地址：鸿溪市人民路1号 联系电话：0591-12345678 建议使用1366×768分辨率浏览本网站以获得最佳效果</div>
            <script>$.ajax({url: '/api/tzgg/list.json', dataType: 'json', success: function(d){ $('#list').html(render(d)); }});</script>
            </body></html>
            """
        let url = NormalizedURL("http://www.hongxi.gov.cn/zwgk/tzgg/index.html")!
        let record = Self.analyzer.analyze(body: Array(column.utf8), contentType: "text/html; charset=utf-8", url: url)
        #expect(record.unreadable == nil)
        #expect(record.nextPages == ["http://www.hongxi.gov.cn/api/tzgg/list.json"])
        #expect(record.links.contains { $0.url == "http://www.hongxi.gov.cn/api/tzgg/list.json" && $0.kind == .page && !$0.hidden })

        let json = #"{"data":[{"title":"关于开展春季植树活动的通知","url":"/zwgk/tzgg/1.html","releaseTime":"2024-07-25 09:00:00"},{"title":"关于调整办公时间的公告","url":"/zwgk/tzgg/2.html"}]}"#
        #expect(PageAnalyzer.isData(body: Array(json.utf8), contentType: "application/json"))
        let data = Self.analyzer.analyzeData(body: Array(json.utf8), url: NormalizedURL("http://www.hongxi.gov.cn/api/tzgg/list.json")!)
        #expect(data.unreadable == nil)
        #expect(data.items.map(\.url) == ["http://www.hongxi.gov.cn/zwgk/tzgg/1.html", "http://www.hongxi.gov.cn/zwgk/tzgg/2.html"])
        #expect(data.items.map(\.date) == [CalendarDate(year: 2024, month: 7, day: 25), nil])
        #expect(data.links.map(\.url) == data.items.map(\.url))
        let empty = Self.analyzer.analyzeData(body: Array(#"{"code":500,"msg":"error"}"#.utf8), url: NormalizedURL("http://www.hongxi.gov.cn/api/x")!)
        #expect(empty.unreadable == "javascript")
        #expect(empty.items.isEmpty)
    }

    @Test("a dark link's record says how it is hidden, and the JSON keeps it")
    func hiding() throws {
        let html = """
            <html><head><style>.hide{display:none}</style></head><body>
            <a href="/zwgk/">政务公开</a><div class="hide"><a href="http://www.amxpj.com/">澳门新葡京</a></div></body></html>
            """
        let record = Self.analyzer.analyze(body: Array(html.utf8), contentType: nil, url: NormalizedURL("http://www.hongxi.gov.cn/")!)
        let dark = try #require(record.links.first { $0.url == "http://www.amxpj.com/" })
        #expect(dark.hidden)
        #expect(dark.hiding == "hidden-parent <div>, display:none, class .hide in <style>")
        #expect(record.links.first { $0.url == "http://www.hongxi.gov.cn/zwgk/" }?.hiding == nil)
        let json = try record.json()
        #expect(json.contains(#""hh":"hidden-parent <div>, display:none, class .hide in <style>""#))
        #expect(PageRecord.decode(json) == record)
        #expect(try JSONDecoder().decode(PageRecord.self, from: Data(json.utf8)) == record)
    }

    @Test("extract and inspect see the same list, search and readability on the real pages", arguments: [
        "article-fgw.zj.gov.cn-hanweb.html", "list-search-sousuo.gov.cn.html", "portal-home-www.gov.cn.html",
        "article-www.shanxi.gov.cn-trs.html", "column-js-shell-www.lottery.gov.cn-kjlb.html",
    ])
    func sameUnderstanding(_ file: String) throws {
        let url = "http://www.example.gov.cn/a/b/index.html"
        let bytes = try Self.fixture(file)
        let page = PageExtractor(asOf: ChinaTime.parseMoment("2024-08-01", bareDayMeansEnd: true)).extract(bytes: bytes, url: url)
        let record = Self.analyzer.analyze(body: bytes, contentType: nil, url: NormalizedURL(url)!)
        #expect(record.items.filter { $0.date != nil }.map(\.url) == page.listItems.map(\.url))
        #expect(record.search == page.search)
        #expect(record.unreadable == page.unreadable)
    }
}
