import Foundation
import GovWatchCore
import Testing

@Suite struct FeedParserTests {
    @Test func rss() throws {
        let rss = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>鸿溪发布</title>
            <link>http://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=hx&amp;x=1&#38;y=2</link>
            <item><title>鸿溪市召开春季植树动员会</title><link>https://mp.weixin.qq.com/s/a1</link><guid>wx-a1</guid>
            <pubDate>Thu, 10 Mar 2022 09:30:00 +0800</pubDate><description><![CDATA[<p>会议要求<b>全民</b>植树。</p>]]></description></item>
            <item><title>第二条</title><link>https://mp.weixin.qq.com/s/a2</link><pubDate>Wed, 09 Mar 2022 01:00:00 GMT</pubDate></item>
            </channel></rss>
            """
        let (format, items) = try FeedParser.parse(Data(rss.utf8))
        #expect(format == .rss)
        #expect(items.count == 2)
        #expect(items[0].guid == "wx-a1")
        #expect(items[0].published.map(ChinaTime.iso8601) == "2022-03-10T09:30:00+08:00")
        #expect(items[0].content == "<p>会议要求<b>全民</b>植树。</p>")
        #expect(items[1].guid == "https://mp.weixin.qq.com/s/a2")
        #expect(items[1].published.map(ChinaTime.iso8601) == "2022-03-09T09:00:00+08:00")
    }

    @Test func atom() throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>鸿溪微博</title>
            <entry><id>tag:weibo,2022:1</id><title>春季防火提示</title><link rel="alternate" href="https://weibo.com/1/1"/>
            <published>2022-03-12T08:00:00+08:00</published><content type="html">&lt;p&gt;注意防火&lt;/p&gt;</content></entry>
            </feed>
            """
        let (format, items) = try FeedParser.parse(Data(atom.utf8))
        #expect(format == .atom)
        #expect(items.first?.link == "https://weibo.com/1/1")
        #expect(items.first?.content == "<p>注意防火</p>")
        #expect(items.first?.published.map(ChinaTime.iso8601) == "2022-03-12T08:00:00+08:00")
    }

    @Test func jsonFeed() throws {
        let json = """
            {"version":"https://jsonfeed.org/version/1.1","title":"鸿溪抖音","items":[
             {"id":"dy-1","url":"https://www.douyin.com/video/1","title":"视频","content_text":"正文","date_published":"2022-03-01T10:00:00Z"}]}
            """
        let (format, items) = try FeedParser.parse(Data(json.utf8))
        #expect(format == .jsonFeed)
        #expect(items.first?.contentIsHTML == false)
        #expect(items.first?.published.map(ChinaTime.iso8601) == "2022-03-01T18:00:00+08:00")
    }

    @Test func malformedAndEmptyFeedsAreClearErrors() {
        #expect(throws: FeedError.self) { try FeedParser.parse(Data()) }
        #expect(throws: FeedError.self) { try FeedParser.parse(Data("<rss><channel><item><title>未闭合".utf8)) }
        #expect(throws: FeedError.self) { try FeedParser.parse(Data("<html><body>not a feed</body></html>".utf8)) }
        #expect(throws: FeedError.self) { try FeedParser.parse(Data("{\"broken\":".utf8)) }
        // An empty but valid feed is no error: it has no items.
        #expect((try? FeedParser.parse(Data("<rss version=\"2.0\"><channel></channel></rss>".utf8)))?.items.isEmpty == true)
    }

    /// CoreFoundation's GB18030 (GBK's superset).
    static let gbk = String.Encoding(rawValue: 0x8000_0632)

    @Test("a GBK feed declared in its XML declaration, with pubDate as 2022-03-25 10:00:00")
    func gbkFeed() throws {
        let rss = """
            <?xml version="1.0" encoding="gbk"?>
            <rss version="2.0"><channel><title>鸿溪市人民政府</title>
            <item><title>鸿溪市召开春季植树动员会</title><link>http://www.hongxi.gov.cn/xwdt/1.html</link>
            <pubDate>2022-03-25 10:00:00</pubDate><description>会议要求全民植树。</description></item>
            </channel></rss>
            """
        let data = try #require(rss.data(using: Self.gbk))
        #expect(String(data: data, encoding: .utf8) == nil) // really GBK bytes
        let (format, items) = try FeedParser.parse(data)
        #expect(format == .rss)
        #expect(items.first?.title == "鸿溪市召开春季植树动员会")
        #expect(items.first?.content == "会议要求全民植树。")
        #expect(items.first?.published.map(ChinaTime.iso8601) == "2022-03-25T10:00:00+08:00")
        // Declared gb2312 in single quotes, but the bytes are UTF-8 (a template moved to UTF-8).
        let migrated = rss.replacingOccurrences(of: "encoding=\"gbk\"", with: "encoding='gb2312'")
        #expect(try FeedParser.parse(Data(migrated.utf8)).items.first?.title == "鸿溪市召开春季植树动员会")
    }

    @Test("an Atom entry with only <updated>")
    func atomUpdatedOnly() throws {
        let atom = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>鸿溪发布</title>
            <entry><id>urn:hx:1</id><title>鸿溪市发布暴雨预警</title><link href="http://www.hongxi.gov.cn/xwdt/2.html"/>
            <updated>2022-03-25T02:00:00Z</updated><summary>请注意防范。</summary></entry></feed>
            """
        let (_, items) = try FeedParser.parse(Data(atom.utf8))
        #expect(items.first?.published.map(ChinaTime.iso8601) == "2022-03-25T10:00:00+08:00")
        #expect(items.first?.link == "http://www.hongxi.gov.cn/xwdt/2.html")
    }
}
