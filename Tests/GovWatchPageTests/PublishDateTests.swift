import Foundation
import GovWatchCore
import Testing

@testable import GovWatchPage

@Suite("Publish time: labels and meta tags, never a date from the body")
struct PublishDateTests {
    func published(_ html: String) -> String? {
        PageExtractor().extract(html: html, url: nil).published?.description
    }

    @Test("labels", arguments: [
        ("<p>发布时间：2022-03-10 09:30</p>", "2022-03-10T09:30:00+08:00"),
        ("<p>发布日期：2022年3月10日</p>", "2022-03-10T00:00:00+08:00"),
        ("<span>发布时间:</span> <span>2022/03/10</span>", "2022-03-10T00:00:00+08:00"),
        ("<div>信息来源：市政府办 发布时间：2022.03.10 浏览次数：5</div>", "2022-03-10T00:00:00+08:00"),
        ("<p><i>时间：</i>2022-03-10 10:49:00</p>", "2022-03-10T10:49:00+08:00"),
        ("<p>日期：2022-03-10</p>", "2022-03-10T00:00:00+08:00"),
        ("<p>发布时间：【2022-03-10】</p>", "2022-03-10T00:00:00+08:00"),
    ])
    func labels(_ html: String, _ expected: String) {
        #expect(published("<html><body><h1>标题</h1>\(html)<p>正文……</p></body></html>") == expected)
    }

    @Test("meta tags", arguments: [
        ("<meta name=\"PubDate\" content=\"2024-07-12 17:33\">", "2024-07-12T17:33:00+08:00"),
        ("<meta name=\"firstpublishedtime\" content=\"2007-08-20-23:59:59\">", "2007-08-20T23:59:59+08:00"),
        ("<meta name=\"publishdate\" content=\"2021-10-11\">", "2021-10-11T00:00:00+08:00"),
        ("<meta name=\"PubDate\" content=\"\">", nil),
        ("<meta name=\"PubDate\" content=\"2021-02-30\">", nil),
    ])
    func meta(_ meta: String, _ expected: String?) {
        #expect(published("<html><head>\(meta)</head><body><p>正文</p></body></html>") == expected)
    }

    @Test("dates in the body are not the publish time")
    func bodyDates() {
        #expect(published("""
            <html><body><h1>关于召开会议的通知</h1>
            <p>定于2022年3月10日召开会议，会议时间：2022年3月11日9时，报名日期：2022-03-01至2022-03-05。</p>
            <p>留言时间：2022-03-02</p><p>发文日期：2022-02-28</p><p>成文日期：2022-02-27</p></body></html>
            """) == nil)
    }

    @Test("a bare 时间 on a long line is body text")
    func weakLabelOnLongLine() {
        let long = String(repeating: "会议要求各单位认真贯彻落实", count: 10)
        #expect(published("<p>\(long)。时间：2022-03-10</p>") == nil)
    }

    @Test("labels repeated like a list's belong to the entries")
    func repeatedLabels() {
        let rows = (1...5).map { "<li><a href='/\($0).html'>条目\($0)</a><p>发布时间：2022-03-0\($0)</p></li>" }.joined()
        #expect(published("<ul>\(rows)</ul>") == nil)
    }

    @Test("the label's day with the meta tag's time of the same day")
    func mergesMetaTime() {
        #expect(published("""
            <html><head><meta name="PubDate" content="2016-11-22 09:53"></head>
            <body><span>发布日期：2016-11-22</span></body></html>
            """) == "2016-11-22T09:53:00+08:00")
        #expect(published("""
            <html><head><meta name="PubDate" content="2022-04-24 10:00:43"></head>
            <body><span>发布日期：2017-05-15 10:49:00</span></body></html>
            """) == "2017-05-15T10:49:00+08:00")
    }

    @Test("an unlabelled date right under the title")
    func headerDate() {
        #expect(published("""
            <html><head><title>座谈会召开-科普网</title></head><body>
            <div class="title"><div>座谈会召开</div><ul><li>来源：新华社</li><li>2023-12-01 14:43</li></ul></div>
            <p>正文</p></body></html>
            """) == "2023-12-01T14:43:00+08:00")
    }

    @Test("ISO 8601 round trip with other zones")
    func iso8601() {
        #expect(PageDateTime(iso8601: "2021-10-11T00:00:00+08:00")?.description == "2021-10-11T00:00:00+08:00")
        #expect(PageDateTime(iso8601: "2021-10-10T16:00:00Z")?.description == "2021-10-11T00:00:00+08:00")
        #expect(PageDateTime(iso8601: "2021-10-11T01:00:00+09:00")?.description == "2021-10-11T00:00:00+08:00")
        #expect(PageDateTime(iso8601: "not a date") == nil)
    }
}

@Suite("Titles")
struct TitleTests {
    func title(_ html: String) -> String? {
        PageExtractor().extract(html: html, url: nil).title
    }

    @Test("the ArticleTitle meta tag wins")
    func articleTitleMeta() {
        #expect(title("<head><meta name='ArticleTitle' content=' 中标公告 '><title>详细页面</title></head>") == "中标公告")
    }

    @Test("the article part of a suffix-laden <title> when a heading shows it")
    func shortened() {
        #expect(title("<head><title>春季防火通知_鸿溪市人民政府</title></head><body><h1>春季防火通知</h1></body>") == "春季防火通知")
        #expect(title("<head><title>鸿溪市人民政府 | 春季防火通知</title></head><body><div class=article-title>春季防火通知</div></body>") == "春季防火通知")
        #expect(title("<head><title>春季防火通知 - 鸿溪市人民政府</title></head><body><p>鸿溪市人民政府</p></body>") == "春季防火通知 - 鸿溪市人民政府")
        #expect(title("<head><title>鸿溪市人民政府</title></head><body><a href=/>鸿溪市人民政府</a></body>") == "鸿溪市人民政府")
        #expect(title("<body><h1>无标题元素</h1></body>") == nil)
        // A class naming the title on the parent (kepu.gov.cn's template).
        #expect(title("<head><title>座谈会召开-科普网</title></head><body><div class=detil-new-title><div>座谈会召开</div><ul><li>2023-12-01</li></ul></div></body>") == "座谈会召开")
        // U+0387 is canonically "·", so it separates too.
        #expect(title("<head><title>春季防火通知\u{0387}鸿溪市人民政府</title></head><body><h1>春季防火通知</h1></body>") == "春季防火通知")
    }

    @Test("a separator is found without hashing: the same answer for every scalar and some clusters")
    func separatorFastPath() {
        var characters = (0...0x10FFFF).compactMap { Unicode.Scalar($0).map(Character.init) }
        characters += ["-\u{0301}", "·\u{0301}", "_\u{20DD}", "\r\n", "e\u{0301}"]
        for character in characters {
            #expect(TitleFinder.isSeparator(character) == TitleFinder.separators.contains(character), "\(character.unicodeScalars.map(\.value))")
        }
    }
}
