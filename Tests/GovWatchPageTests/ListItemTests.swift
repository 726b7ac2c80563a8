import Foundation
import GovWatchCore
import GovWatchPage
import Testing

@Suite("Dated list items in common CMS shapes")
struct ListItemTests {
    let base = "http://www.hongxi.gov.cn/xwzx/tzgg/index.html"
    let asOf = ChinaTime.parseMoment("2022-03-15", bareDayMeansEnd: true)

    func items(_ body: String, asOf: Date? = nil) -> [ListItem] {
        PageExtractor(asOf: asOf ?? self.asOf)
            .extract(html: "<html><body>\(body)</body></html>", url: base).listItems
    }

    @Test("<li><a>…</a><span>2022-03-10</span></li>")
    func spanAfterLink() {
        let found = items("""
            <ul class="list">
              <li><a href="./202203/t20220310_1.html">关于春季防火的通知</a><span>2022-03-10</span></li>
              <li><a href="./202203/t20220301_2.html">鸿溪市第一季度工作会议召开</a><span>2022-03-01</span></li>
            </ul>
            """)
        #expect(found == [
            ListItem(title: "关于春季防火的通知", url: "http://www.hongxi.gov.cn/xwzx/tzgg/202203/t20220310_1.html",
                     date: CalendarDate(year: 2022, month: 3, day: 10)!),
            ListItem(title: "鸿溪市第一季度工作会议召开", url: "http://www.hongxi.gov.cn/xwzx/tzgg/202203/t20220301_2.html",
                     date: CalendarDate(year: 2022, month: 3, day: 1)!),
        ])
    }

    @Test("[2022-03-10] in brackets, and 2022/03/10")
    func bracketsAndSlashes() {
        let found = items("""
            <ul><li><a href="/a.html">通知一</a> [2022-03-10]</li>
            <li><a href="/b.html">通知二</a>（2022/03/09）</li>
            <li>2022.03.08 <a href="/c.html">通知三</a></li></ul>
            """)
        #expect(found.map(\.date.description) == ["2022-03-10", "2022-03-09", "2022-03-08"])
        #expect(found.map(\.url) == ["http://www.hongxi.gov.cn/a.html", "http://www.hongxi.gov.cn/b.html", "http://www.hongxi.gov.cn/c.html"])
    }

    @Test("table rows with 2022年03月10日 and 2022年3月1日")
    func tableRows() {
        let found = items("""
            <table><tr><th>标题</th><th>日期</th></tr>
            <tr><td><a href="d1.html">政府信息公开年度报告</a></td><td>2022年03月10日</td></tr>
            <tr><td><a href="d2.html">预算公开</a></td><td> 2022年3月1日 </td></tr></table>
            """)
        #expect(found.map(\.title) == ["政府信息公开年度报告", "预算公开"])
        #expect(found.map(\.date.description) == ["2022-03-10", "2022-03-01"])
    }

    @Test("03-10 takes its year from the as-of day, never in the future")
    func monthDay() {
        let found = items("""
            <ul><li><a href="x1.html">三月的通知</a><span>03-10</span></li>
            <li><a href="x2.html">去年十二月的通知</a><span>12-28</span></li></ul>
            """)
        #expect(found.map(\.date.description) == ["2022-03-10", "2021-12-28"])
    }

    @Test("03-10 without an as-of day uses the page's publish date, else is left out")
    func monthDayWithoutAsOf() {
        let html = """
            <html><head><meta name="PubDate" content="2021-06-30 10:00"></head><body>
            <ul><li><a href="x1.html">通知</a><span>06-01</span></li></ul></body></html>
            """
        let withPageDate = PageExtractor().extract(html: html, url: base)
        #expect(withPageDate.listItems.map(\.date.description) == ["2021-06-01"])
        let undated = PageExtractor().extract(html: "<ul><li><a href='x1.html'>通知</a><span>06-01</span></li></ul>", url: base)
        #expect(undated.listItems.isEmpty)
    }

    @Test("a whole row as a link, and a title attribute for cut-short text")
    func rowLinkAndTruncatedTitle() {
        let found = items("""
            <div class="list"><a href="r1.html"><span class="t">鸿溪市人民政府关于…</span><span class="d">2022-02-28</span></a></div>
            <ul><li><a href="r2.html" title="鸿溪市教育局关于做好2022年春季学期开学工作的通知">鸿溪市教育局关于做好2022…</a><em>2022-02-20</em></li></ul>
            """)
        #expect(found.count == 2)
        #expect(found[0].title == "鸿溪市人民政府关于…")
        #expect(found[0].date.description == "2022-02-28")
        #expect(found[1].title == "鸿溪市教育局关于做好2022年春季学期开学工作的通知")
    }

    @Test("dates only inside the title, navigation and whole lists are not items")
    func notItems() {
        let found = items("""
            <div class="nav"><a href="/1.html">首页</a><a href="/2.html">政务公开</a> 2022-03-10</div>
            <ul><li><a href="/more.html">更多</a> 2022-03-09</li></ul>
            <p><a href="/t.html">2022年3月10日新闻发布会</a></p>
            <div style="display:none"><li><a href="/h.html">隐藏的条目</a><span>2022-03-08</span></li></div>
            """)
        #expect(found.isEmpty)
    }

    @Test("summaries with other dates: the entry's own date is the last one")
    func lastDateWins() {
        let found = items("""
            <ul><li><h3><a href="s.html">考试安排调整</a></h3><p>原定于2022年5月16日举行的考试推迟。</p>
            <p><span>发布时间：2022.03.12</span></p></li></ul>
            """)
        #expect(found.map(\.date.description) == ["2022-03-12"])
    }
}

@Suite struct HanwebDatastoreTests {
    @Test func listsInsideDatastoreScriptsAreRead() {
        let html = """
            <html><body><div id="col1"><script type="text/xml"><datastore>
            <recordset>
            <record><![CDATA[
            <li><a href="/art/2022/3/10/art_1_1.html" title="财政资金直达">财政资金直达</a><span class="bt-data-time">2022-03-10</span></li>
            ]]></record>
            <record><![CDATA[
            <li><a href="/art/2022/2/8/art_1_2.html">预算公开</a><span>2022-02-08</span></li>
            ]]></record>
            </recordset></datastore></script></div></body></html>
            """
        let page = PageExtractor().extract(html: html, url: "http://czj.hongxi.gov.cn/col/col1/index.html")
        #expect(page.listItems.map(\.title) == ["财政资金直达", "预算公开"])
        #expect(page.listItems.first?.url == "http://czj.hongxi.gov.cn/art/2022/3/10/art_1_1.html")
        #expect(page.listItems.first?.date.description == "2022-03-10")
        #expect(page.links.contains { $0.url == "http://czj.hongxi.gov.cn/art/2022/2/8/art_1_2.html" })
    }
}
