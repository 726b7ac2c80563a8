import Foundation
import GovWatchCore
import GovWatchPage
import Testing

@Suite("Links: kinds, resolution and hidden links")
struct LinkTests {
    func links(_ html: String, url: String? = "http://www.hongxi.gov.cn/zwgk/index.html") -> [PageLink] {
        PageExtractor().extract(html: html, url: url).links
    }

    @Test("kinds by tag and by attachment extension")
    func kinds() {
        let found = links("""
            <html><head><link rel="stylesheet" href="/css/main.css"><link rel="shortcut icon" href="/favicon.ico">
            <link rel="canonical" href="/zwgk/"><script src="js/app.js"></script></head><body>
            <a href="a.html">页面</a><a href="/files/report.PDF">年度报告</a><a href="/files/t.docx">附件</a>
            <a href="/down.jsp?file=a.pdf">下载</a><img src="/img/logo.png" alt="标志"><iframe src="/frame.html"></iframe>
            <frame src="/f2.html"><a href="/x.wps">wps</a><a href="/y.ofd">ofd</a><a href="/z.et">et</a>
            </body></html>
            """)
        let byText = Dictionary(found.map { ($0.url, $0.kind) }, uniquingKeysWith: { first, _ in first })
        #expect(byText["http://www.hongxi.gov.cn/css/main.css"] == .style)
        #expect(byText["http://www.hongxi.gov.cn/favicon.ico"] == .image)
        #expect(byText["http://www.hongxi.gov.cn/zwgk/js/app.js"] == .script)
        #expect(byText["http://www.hongxi.gov.cn/zwgk/a.html"] == .page)
        #expect(byText["http://www.hongxi.gov.cn/files/report.PDF"] == .attachment)
        #expect(byText["http://www.hongxi.gov.cn/files/t.docx"] == .attachment)
        #expect(byText["http://www.hongxi.gov.cn/down.jsp?file=a.pdf"] == .page)
        #expect(byText["http://www.hongxi.gov.cn/img/logo.png"] == .image)
        #expect(byText["http://www.hongxi.gov.cn/frame.html"] == .frame)
        #expect(byText["http://www.hongxi.gov.cn/x.wps"] == .attachment)
        #expect(byText["http://www.hongxi.gov.cn/y.ofd"] == .attachment)
        #expect(byText["http://www.hongxi.gov.cn/z.et"] == .attachment)
        #expect(byText["http://www.hongxi.gov.cn/zwgk/"] == nil) // rel=canonical is not a resource
        #expect(found.first { $0.kind == .image && $0.url.hasSuffix("logo.png") }?.text == "标志")
    }

    @Test("javascript:, mailto:, fragments and empty references are not links")
    func skipped() {
        let found = links("""
            <a href="javascript:void(0)">x</a><a href="mailto:a@b.cn">m</a><a href="#top">t</a><a href="">e</a>
            <a href="tel:123">p</a><img src="data:image/png;base64,AAAA"><a href="  /ok.html  ">ok</a>
            """)
        #expect(found.map(\.url) == ["http://www.hongxi.gov.cn/ok.html"])
    }

    @Test("<base href> changes how relative links resolve")
    func baseHref() {
        let found = links("""
            <html><head><base href="http://static.hongxi.gov.cn/site/"></head>
            <body><a href="a/b.html">x</a><a href="../c.html">y</a></body></html>
            """)
        #expect(found.map(\.url) == ["http://static.hongxi.gov.cn/site/a/b.html", "http://static.hongxi.gov.cn/c.html"])
    }

    @Test("unquoted attributes keep their links")
    func unquotedAttributes() {
        let found = links("<body><a href=news/1.html target=_blank>要闻</a><img src=/p.gif alt=图片></body>")
        #expect(found == [
            PageLink(url: "http://www.hongxi.gov.cn/zwgk/news/1.html", text: "要闻", kind: .page, hidden: false),
            PageLink(url: "http://www.hongxi.gov.cn/p.gif", text: "图片", kind: .image, hidden: false),
        ])
    }

    @Test("hidden by the element or an ancestor", arguments: [
        "<div style=\"display:none\"><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<div style=\"DISPLAY: NONE !important\"><p><a href=\"http://dark.example.com/\">博彩</a></p></div>",
        "<a style=\"visibility:hidden\" href=\"http://dark.example.com/\">博彩</a>",
        "<div style=\"width:0;height:0;overflow:hidden\"><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<div style=\"height: 0px; overflow: hidden\"><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<div style=\"position:absolute; left:-9999px\"><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<div style=\"position: fixed; top: -1000px\"><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<div style=\"position:relative;left:-2000px\"><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<div style=\"margin-left:-9999px\"><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<div style=\"opacity:0\"><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<div style=\"text-indent:-9999px\"><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<div style=\"font-size:0\"><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<div hidden><a href=\"http://dark.example.com/\">博彩</a></div>",
        "<iframe width=\"0\" height=\"0\" src=\"http://dark.example.com/\"></iframe>",
        "<marquee style=\"display:none\"><a href=http://dark.example.com/>博彩</a></marquee>",
    ])
    func hidden(_ html: String) throws {
        let found = links("<body><a href=\"/visible.html\">可见</a>\(html)</body>")
        #expect(found.count == 2)
        #expect(found[0].hidden == false)
        let dark = try #require(found.last)
        #expect(dark.url == "http://dark.example.com/")
        #expect(dark.hidden)
    }

    @Test("ordinary styles do not hide", arguments: [
        "<div style=\"position:absolute;left:-10px\"><a href=\"/a.html\">a</a></div>",
        "<div style=\"width:100px;height:20px;display:block\"><a href=\"/a.html\">a</a></div>",
        "<div style=\"left:-9999px\"><a href=\"/a.html\">a</a></div>",
        "<div aria-hidden=\"true\"><a href=\"/a.html\">a</a></div>",
    ])
    func notHidden(_ html: String) throws {
        let found = links("<body>\(html)</body>")
        #expect(try #require(found.first).hidden == false)
    }

    @Test("hidden text is left out of the visible text, link text is kept for evidence")
    func hiddenText() {
        let page = PageExtractor().extract(
            html: "<body><p>正文</p><div style='display:none'><a href='http://dark.example.com/'>博彩网站</a></div></body>",
            url: nil)
        #expect(page.text == "正文")
        #expect(page.links.first?.text == "博彩网站")
    }

    @Test("without a page URL, relative references are kept as written")
    func noBase() {
        let found = links("<a href='../a.html'>a</a><a href='HTTP://WWW.Example.GOV.CN:80/b'>b</a><a href='/c.pdf'>c</a>", url: nil)
        #expect(found.map(\.url) == ["../a.html", "http://www.example.gov.cn/b", "/c.pdf"])
        #expect(found.last?.kind == .attachment)
    }
}
