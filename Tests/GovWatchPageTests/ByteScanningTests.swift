import Foundation
import GovWatchCore
import GovWatchPage
import Testing

/// The finders read page text as UTF-8 bytes: multi-byte spaces, colons and brackets
/// around dates and footer marks must read as they did character by character.
@Suite("Byte-level date and footer scanning")
struct ByteScanningTests {
    func extract(_ body: String) -> ExtractedPage {
        PageExtractor(asOf: Date(timeIntervalSince1970: 1_672_502_400))
            .extract(html: "<html><body>\(body)</body></html>", url: "http://www.example.gov.cn/a/index.html")
    }

    @Test("multi-byte spaces, colons and brackets around labelled dates", arguments: [
        ("<p>发布时间：\u{3000}2022年 3 月 10 日\u{A0}14时05分</p>", "2022-03-10T14:05:00+08:00"),
        ("<p>发布日期:\u{A0}（2022-03-10）</p>", "2022-03-10T00:00:00+08:00"),
        // Visible text collapses whitespace runs, so a run of ideographic spaces is one space.
        ("<p>时间：2022-03-10\u{3000}\u{3000}\u{3000}\u{3000}14:43</p>", "2022-03-10T14:43:00+08:00"),
        ("<p>时间：2022-03-10\u{3000}14：43：05</p>", "2022-03-10T14:43:05+08:00"),
        ("<p>留言时间：2022-03-10</p>", nil),
        ("<p>发布时间：12022-03-10</p>", nil),
    ])
    func labelled(_ html: String, _ expected: String?) {
        #expect(extract("<h1>标题</h1>\(html)").published?.description == expected)
    }

    @Test("footer marks")
    func footer() {
        let identity = extract("""
            <div class="footer"><p>主办单位：中共某市委\u{3000}某市人民政府办公室 承办：某市大数据中心</p>
            <p>网站标识码：bm12345678 浙ICP备 12345678号-2 浙公网安备\u{A0}33010002000123号</p></div>
            """).identity
        #expect(identity.sponsor == "中共某市委 某市人民政府办公室")
        #expect(identity.siteCode == "bm12345678")
        #expect(identity.icp == "浙ICP备12345678号-2")
        #expect(identity.police == "浙公网安备 33010002000123号")
    }

    @Test("list dates next to links, in brackets and month-day")
    func listItems() {
        let items = extract("""
            <ul><li><a href="/a/1.html">第一条通知</a><span>【2022-03-10】</span></li>
            <li><a href="/a/2.html">第二条通知</a> (12-20)</li>
            <li><a href="/a/3.html">第三条通知</a><span>2022年5月16、23日</span></li></ul>
            <a href="/a/4.html"><span>第四条</span><span>（2022/04/01）</span></a>
            """).listItems
        #expect(items.map(\.date.description) == ["2022-03-10", "2022-12-20", "2022-04-01"])
        #expect(items.map(\.title) == ["第一条通知", "第二条通知", "第四条"])
    }
}
