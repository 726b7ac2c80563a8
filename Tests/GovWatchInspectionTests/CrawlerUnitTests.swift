import Foundation
import GovWatchCore
import GovWatchPage
import Testing

@testable import GovWatchInspection

@Suite("Crawler parts")
struct CrawlerUnitTests {
    @Test("robots.txt: our group wins over *, longest match, Allow on ties, wildcards, Crawl-delay")
    func robots() {
        let text = """
            User-agent: *
            Disallow: /

            User-agent: GovWatch
            User-agent: other
            Disallow: /private/
            Allow: /private/open.html
            Disallow: /*.php$
            Crawl-delay: 2
            """
        let rules = RobotsRules(parsing: text)
        func allows(_ path: String) -> Bool { rules.allows(NormalizedURL("http://a.gov.cn" + path)!) }
        #expect(allows("/index.html"))
        #expect(!allows("/private/a.html"))
        #expect(allows("/private/open.html"))
        #expect(!allows("/x/list.php"))
        #expect(allows("/x/list.php?page=2"))
        #expect(rules.crawlDelay == .seconds(2))
        let star = RobotsRules(parsing: "User-agent: *\nDisallow: /admin\nDisallow:\n")
        #expect(!star.allows(NormalizedURL("http://a.gov.cn/admin/x")!))
        #expect(star.allows(NormalizedURL("http://a.gov.cn/robots.txt")!))
        #expect(RobotsRules(parsing: "").allows(NormalizedURL("http://a.gov.cn/anything")!))
    }

    @Test("spider-trap guard: repeated segments, many parameters, variants per path, pages per folder")
    func traps() {
        var configuration = CrawlConfiguration()
        configuration.maximumVariantsPerPath = 3
        configuration.maximumPagesPerPathPrefix = 5
        var guardian = SpiderTrapGuard(configuration: configuration)
        #expect(guardian.admit(NormalizedURL("http://a.gov.cn/a/b/a/b/a/x.html")!) != nil)
        #expect(guardian.admit(NormalizedURL("http://a.gov.cn/s?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9")!) != nil)
        for month in 1...3 {
            #expect(guardian.admit(NormalizedURL("http://a.gov.cn/cal/index.html?month=2022-0\(month)")!) == nil)
        }
        #expect(guardian.admit(NormalizedURL("http://a.gov.cn/cal/index.html?month=2022-04")!) != nil)
        #expect(guardian.admit(NormalizedURL("http://a.gov.cn/cal/a.html")!) == nil)
        #expect(guardian.admit(NormalizedURL("http://a.gov.cn/cal/b.html")!) == nil)
        #expect(guardian.admit(NormalizedURL("http://a.gov.cn/cal/c.html")!) != nil)
        #expect(guardian.admit(NormalizedURL("http://a.gov.cn/other/c.html")!) == nil)
    }

    @Test("dates in text: ISO, slashes, dots, Chinese; not inside longer numbers")
    func dates() {
        #expect(DateScanner.days(in: "来信 2022-03-01 回复 2022/3/8") == [
            CalendarDate(year: 2022, month: 3, day: 1)!, CalendarDate(year: 2022, month: 3, day: 8)!,
        ])
        #expect(DateScanner.firstDay(in: "2021年12月5日 10:00") == CalendarDate(year: 2021, month: 12, day: 5))
        #expect(DateScanner.firstDay(in: "编号 120220301") == nil)
        #expect(DateScanner.firstDay(in: "2022-13-01") == nil)
    }

    @Test("column categories guessed from names")
    func categories() {
        #expect(ColumnCategoryGuess.category(forName: "工作动态") == .news)
        #expect(ColumnCategoryGuess.category(forName: "发改要闻") == .news)
        #expect(ColumnCategoryGuess.category(forName: "通知公告") == .notice)
        #expect(ColumnCategoryGuess.category(forName: "公示公告") == .notice)
        #expect(ColumnCategoryGuess.category(forName: "政策文件") == .policy)
        #expect(ColumnCategoryGuess.category(forName: "人事信息") == .personnel)
        #expect(ColumnCategoryGuess.category(forName: "规划计划") == .planning)
        #expect(ColumnCategoryGuess.category(forName: "局长信箱") == .consultation)
        #expect(ColumnCategoryGuess.category(forName: "咨询留言") == .consultation)
        #expect(ColumnCategoryGuess.category(forName: "机构职能") == nil)
    }

    @Test("consultation list: table with question date, reply date and status; list items with a status")
    func consultationTable() {
        let html = """
            <html><body><table class="xx-list">
            <tr><th>信件标题</th><th>来信时间</th><th>答复时间</th><th>办理状态</th></tr>
            <tr><td><a href="/xx/1.html">关于小区停车的问题</a></td><td>2022-03-01</td><td>2022-03-04</td><td>已回复</td></tr>
            <tr><td><a href="/xx/2.html">咨询社保缴费</a></td><td>2021-11-20</td><td></td><td>办理中</td></tr>
            </table></body></html>
            """
        let base = NormalizedURL("http://a.gov.cn/xx/index.html")!
        let messages = ConsultationListParser(base: base).messages(in: HTMLDocument(html: html))
        #expect(messages == [
            PageRecord.Message(
                url: "http://a.gov.cn/xx/1.html", title: "关于小区停车的问题", asked: CalendarDate(year: 2022, month: 3, day: 1)!,
                answered: CalendarDate(year: 2022, month: 3, day: 4), status: "已回复"),
            PageRecord.Message(
                url: "http://a.gov.cn/xx/2.html", title: "咨询社保缴费", asked: CalendarDate(year: 2021, month: 11, day: 20)!,
                answered: nil, status: "办理中"),
        ])
        let list = """
            <ul><li><a href="m1.html">噪音扰民</a><span>2022-02-02</span><span>已回复</span></li>
            <li><a href="m2.html">道路破损</a><span>2022-02-10</span><em>办理中</em></li></ul>
            """
        let fromList = ConsultationListParser(base: base).messages(in: HTMLDocument(html: list))
        #expect(fromList.map(\.status) == ["已回复", "办理中"])
        #expect(fromList.first?.url == "http://a.gov.cn/xx/m1.html")
        let letter = ConsultationListParser(base: base).letter(inText: "来信人 王** 来信时间 2022-03-01 09:12 办理状态 已回复 答复时间 2022-03-05 10:00")
        #expect(letter == PageRecord.Letter(
            asked: CalendarDate(year: 2022, month: 3, day: 1), answered: CalendarDate(year: 2022, month: 3, day: 5), status: "已回复"))
    }

    @Test("page analysis: paging and 更多 links, placeholders, undated lists, search forms")
    func analysis() {
        let analyzer = PageAnalyzer(asOf: Date(timeIntervalSince1970: 1_648_742_400))
        let url = NormalizedURL("http://a.gov.cn/tzgg/index.html")!
        let list = """
            <html><head><meta name="ColumnName" content="通知公告"></head><body>
            <div class="nav"><ul><li><a href="/">首页首页首页首页</a></li></ul></div>
            <div class="search"><form action="/search.html" method="get"><input type="text" name="searchword"><input type="submit" value="搜索"></form></div>
            <div class="list"><ul><li><a href="a1.html">关于开展2022年度春季安全检查的通知</a></li>
            <li><a href="a2.html">关于公布第二批示范项目名单的公告</a></li></ul></div>
            <div class="page"><a href="index_1.html">下一页</a> <a href="index_5.html">尾页</a></div>
            </body></html>
            """
        let record = analyzer.analyze(body: Array(list.utf8), contentType: "text/html; charset=utf-8", url: url)
        #expect(record.columnName == "通知公告")
        #expect(record.nextPages == ["http://a.gov.cn/tzgg/index_1.html"])
        #expect(record.items.map(\.url) == ["http://a.gov.cn/tzgg/a1.html", "http://a.gov.cn/tzgg/a2.html"])
        #expect(record.items.allSatisfy { $0.date == nil })
        #expect(record.placeholder == false)
        #expect(record.search.count == 1)
        #expect(record.search.first?.hasPrefix("http://a.gov.cn/search.html?searchword=") == true)
        let blank = "<html><body><div class=\"list\"><p class=\"nodata\">暂无信息</p></div></body></html>"
        #expect(analyzer.analyze(body: Array(blank.utf8), contentType: nil, url: url).placeholder)
    }

    @Test("Hanweb datastore lists: CDATA records inside <script type=text/xml>")
    func datastore() {
        let html = """
            <html><body><div id="col1"><script type="text/xml"><datastore>
            <recordset>
            <record><![CDATA[
            <li><a href="/art/2022/3/1/art_1_1.html" title="关于春季造林的通知">关于春季造林的通知</a><span class="bt-data-time">2022-03-01</span></li>
            ]]></record>
            <record><![CDATA[
            <li><a href="/art/2022/2/1/art_1_2.html" title="关于冬季防火的通知">关于冬季防火的通知</a><span class="bt-data-time">2022-02-01</span></li>
            ]]></record>
            </recordset></datastore></script></div></body></html>
            """
        let record = PageAnalyzer(asOf: Date(timeIntervalSince1970: 1_648_742_400))
            .analyze(body: Array(html.utf8), contentType: nil, url: NormalizedURL("http://a.gov.cn/col/col1/index.html")!)
        #expect(record.items.map(\.date) == [CalendarDate(year: 2022, month: 3, day: 1), CalendarDate(year: 2022, month: 2, day: 1)])
        #expect(record.links.contains { $0.url == "http://a.gov.cn/art/2022/3/1/art_1_1.html" })
    }

    @Test("Retry-After in seconds")
    func retryAfter() {
        #expect(FetchPolicy.retryAfter("3") == .seconds(3))
        #expect(FetchPolicy.retryAfter("soon") == nil)
    }
}
