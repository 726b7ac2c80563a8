import Foundation
import GovWatchCore
import GovWatchPage
import Testing

/// Dates as real column lists and articles print them: pinned old entries above fresh
/// ones, `2022.03.25`, `2022/3/25`, `[03-25]` under a year heading, Chinese numerals.
@Suite("Dates of lists and articles")
struct ListDateShapesTests {
    static let asOf = ChinaTime.parseMoment("2024-08-01", bareDayMeansEnd: true)

    static func extract(_ html: String) -> ExtractedPage {
        PageExtractor(asOf: asOf).extract(html: html, url: "http://www.hongxi.gov.cn/zwgk/tzgg/index.html")
    }

    @Test("a pinned (置顶) old entry above fresh ones: every entry keeps its date, the newest is the last update")
    func pinned() {
        let page = Self.extract("""
            <ul class="list">
            <li class="top"><span class="zd">[置顶]</span><a href="./201905/t20190510_1.html">鸿溪市政府信息公开指南</a><span>2019-05-10</span></li>
            <li><a href="./202407/t20240725_9.html">关于2024年防汛工作的通知</a><span>2024-07-25</span></li>
            <li><a href="./202407/t20240702_8.html">关于开展安全生产月活动的通知</a><span>2024-07-02</span></li>
            </ul>
            """)
        #expect(page.listItems.map(\.date.description) == ["2019-05-10", "2024-07-25", "2024-07-02"])
        #expect(page.listItems.map(\.date).max()?.description == "2024-07-25")
    }

    @Test("dates with dots and unpadded slashes")
    func dotsAndSlashes() {
        let page = Self.extract("""
            <ul><li><a href="/a.html">鸿溪市第一季度经济运行情况</a><em>2022.03.25</em></li>
            <li><a href="/b.html">鸿溪市第二季度经济运行情况</a><em>2022/7/5</em></li></ul>
            """)
        #expect(page.listItems.map(\.date.description) == ["2022-03-25", "2022-07-05"])
    }

    @Test("[03-25] under a year heading takes that year; without one, the latest year not after the as-of day")
    func yearHeading() {
        let page = Self.extract("""
            <div class="nf"><h3>2021年</h3><ul>
            <li><a href="/x/1.html">鸿溪市2021年第四季度政务公开情况</a> [12-28]</li>
            <li><a href="/x/2.html">鸿溪市2021年第一季度政务公开情况</a> [03-25]</li></ul></div>
            <div class="other"><ul><li><a href="/y/1.html">关于做好暑期安全工作的通知</a> [07-20]</li>
            <li><a href="/y/2.html">关于做好秋季开学工作的通知</a> [09-01]</li></ul></div>
            """)
        #expect(page.listItems.map(\.date.description) == ["2021-12-28", "2021-03-25", "2024-07-20", "2023-09-01"])
    }

    @Test("a year heading in the future of the as-of day is ignored; a lone year in a paragraph is no heading")
    func noFutureYear() {
        let page = Self.extract("""
            <div><h3>2025年</h3><ul><li><a href="/z/1.html">鸿溪市工作要点安排情况</a> [03-25]</li></ul></div>
            <div><p>2019</p><ul><li><a href="/z/2.html">鸿溪市工作要点落实情况</a> [05-06]</li></ul></div>
            """)
        #expect(page.listItems.map(\.date.description) == ["2024-03-25", "2024-05-06"])
    }

    @Test("an article dated in Chinese numerals (二〇二二年三月二十五日)")
    func chineseNumerals() {
        let page = Self.extract("""
            <h1>鸿溪市人民政府关于印发2022年工作要点的通知</h1>
            <div class="info">发布日期：二〇二二年三月二十五日</div>
            <div class="content"><p>各乡镇人民政府：现将工作要点印发给你们，请认真贯彻执行。</p></div>
            """)
        #expect(page.published?.date.description == "2022-03-25")
        #expect(DateScanner.days(in: "成文日期：二○二一年十二月一日") == [CalendarDate(year: 2021, month: 12, day: 1)!])
        #expect(DateScanner.days(in: "二〇二二年十月三十一日") == [CalendarDate(year: 2022, month: 10, day: 31)!])
        #expect(DateScanner.days(in: "二〇二二年十三月一日").isEmpty)
        #expect(DateScanner.days(in: "二〇二二年二月三十日").isEmpty)
    }

    @Test("an undated list lists its entries; extract and inspect see the same list")
    func undatedEntries() {
        let page = Self.extract("""
            <div class="nav"><ul><li><a href="/zwgk/">政务公开栏目导航入口</a></li></ul></div>
            <ul class="list"><li><a href="/zwgk/tzgg/1.html">关于开展2022年春季植树活动的通知</a></li>
            <li><a href="/zwgk/tzgg/2.html">关于调整部分办公时间安排的公告</a></li><li><a href="/zwgk/tzgg/index_1.html">下一页</a></li></ul>
            """)
        #expect(page.listItems.isEmpty)
        #expect(page.undatedItems.map(\.url) == [
            "http://www.hongxi.gov.cn/zwgk/tzgg/1.html", "http://www.hongxi.gov.cn/zwgk/tzgg/2.html",
        ])
    }

    @Test("a Hanweb datastore list (records inside <script type=\"text/xml\">) is read")
    func hanwebDatastore() {
        let page = Self.extract("""
            <div id="32531"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1"></a>]]></nextgroup>
            <recordset><record><![CDATA[<li><a href="/art/2022/3/25/art_1_1.html" title="鸿溪市春季植树活动通知">鸿溪市春季植树活动通知</a><span>2022-03-25</span></li>]]></record>
            <record><![CDATA[<li><a href="/art/2022/3/20/art_1_2.html">鸿溪市调整办公时间公告</a><span>2022-03-20</span></li>]]></record></recordset></datastore></script></div>
            """)
        #expect(page.listItems.map(\.date.description) == ["2022-03-25", "2022-03-20"])
        #expect(page.listItems.first?.url == "http://www.hongxi.gov.cn/art/2022/3/25/art_1_1.html")
    }

    @Test("<base href> resolves list entries and search targets; unencoded Chinese paths stay resolvable")
    func baseHref() {
        let page = PageExtractor(asOf: Self.asOf).extract(html: """
            <head><base href="http://www.hongxi.gov.cn/hxszf/"></head>
            <ul class="list"><li><a href="tzgg/202203/通知.html">关于开展春季植树活动的通知</a><span>2022-03-25</span></li></ul>
            <form action="search/index.jsp" method="get"><input name="searchword" type="text"></form>
            <a href="javascript:void(0)">打印</a><a href="mailto:hx@hongxi.gov.cn">信箱</a><a href="tel:059112345">电话</a><a href="#top">顶部</a>
            """, url: "http://www.hongxi.gov.cn/index.html")
        #expect(page.listItems.first?.url == "http://www.hongxi.gov.cn/hxszf/tzgg/202203/%E9%80%9A%E7%9F%A5.html")
        #expect(page.search == ["http://www.hongxi.gov.cn/hxszf/search/index.jsp?searchword=%E6%94%BF%E5%BA%9C"])
        #expect(page.links.map(\.url) == ["http://www.hongxi.gov.cn/hxszf/tzgg/202203/%E9%80%9A%E7%9F%A5.html"])
    }
}
