import Foundation
import GovWatchCore
import GovWatchPage
import Testing

@Suite("HTML parsing through libxml2")
struct HTMLDocumentTests {
    @Test("a recovered tree: unclosed tags, unquoted attributes, entities")
    func recovery() throws {
        let document = HTMLDocument(html: """
            <html><head><title>测试&amp;页面</title></head><body>
            <div class=list id=main><ul><li><a href=a.html title=标题>一</a><li><a href='b.html'>二</a>
            <p>段落<b>粗体</p><img src=x.png alt="图&nbsp;片"></div></body></html>
            """)
        let root = try #require(document.root)
        #expect(root.name == "html")
        let main = try #require(document.elements.first { $0["id"] == "main" })
        #expect(main["CLASS"] == "list")
        let anchors = Array(document.elements(named: "a"))
        #expect(anchors.map { $0["href"] } == ["a.html", "b.html"])
        #expect(anchors[0]["title"] == "标题")
        #expect(anchors[0].normalizedText == "一")
        #expect(Array(document.elements(named: "li")).count == 2)
        #expect(try #require(document.firstElement(named: "title")).textContent == "测试&页面")
        #expect(try #require(document.firstElement(named: "img"))["alt"] == "图\u{A0}片")
        #expect(main.contains(anchors[1]))
        #expect(anchors[1].ancestors.contains(main))
        #expect(anchors[0].parent?.name == "li")
        #expect(main.children.map(\.name).contains("ul"))
    }

    @Test("meta, base and boolean attributes")
    func metaAndBase() {
        let document = HTMLDocument(html: """
            <head><meta name="SiteIDCode" content=" 1300000065 "><meta name=PubDate content="2021-10-11">
            <base href="http://www.example.gov.cn/"></head><body><div hidden>x</div></body>
            """)
        #expect(document.metaContent("siteidcode") == "1300000065")
        #expect(document.metaContent("pubdate") == "2021-10-11")
        #expect(document.metaContent("missing") == nil)
        #expect(document.baseHref == "http://www.example.gov.cn/")
        let div = document.firstElement(named: "div")
        #expect(div?.hasAttribute("hidden") == true)
        #expect(div?.isHidden == true)
    }

    @Test("empty and whitespace documents")
    func empty() {
        #expect(HTMLDocument(html: "").root == nil)
        #expect(HTMLDocument(html: "").nodeCount == 0)
        let page = PageExtractor().extract(html: "   ", url: nil)
        #expect(page.title == nil)
        #expect(page.text == "")
        #expect(page.links.isEmpty)
    }

    @Test("deep nesting neither crashes nor recurses")
    func deepNesting() {
        let depth = 100_000
        let html = String(repeating: "<div>", count: depth) + "<a href='/deep.html'>深处</a>" + String(repeating: "</div>", count: depth)
        let page = PageExtractor().extract(html: html, url: "http://www.example.gov.cn/")
        #expect(page.text.contains("深处"))
        let document = HTMLDocument(html: html)
        #expect(document.elements.reduce(0) { max($0, $1.depth) } <= HTMLDocument.maximumDepth)
        _ = page
    }

    @Test("a large page is handled in linear time")
    func largePage() {
        let row = "<li><a href='/a/%d.html' title='第%d条'>通知%d</a><span>2022-03-10</span></li>\n"
        var html = "<html><body><ul>"
        for index in 0..<20_000 { html += String(format: row, index, index, index) }
        html += "</ul><p>主办单位：鸿溪市人民政府办公室</p></body></html>"
        let clock = ContinuousClock()
        let started = clock.now
        let page = PageExtractor().extract(html: html, url: "http://www.example.gov.cn/")
        let elapsed = clock.now - started
        #expect(page.listItems.count == 20_000)
        #expect(page.links.count == 20_000)
        #expect(page.identity.sponsor == "鸿溪市人民政府办公室")
        #expect(elapsed < .seconds(60))
    }

    @Test("thousands of unclosed links and list items")
    func unclosedLinks() {
        let html = "<ul>" + (0..<20_000).map { "<li><a href=/p\($0).html>条目\($0)<span>2022-03-10" }.joined()
        let page = PageExtractor().extract(html: html, url: "http://www.example.gov.cn/")
        // libxml2 nests each unclosed <li><a><span> inside the previous one: links down to
        // HTMLDocument.maximumDepth are reported, the text of all of them is kept.
        #expect(page.links.count > 3_000 && page.links.count <= HTMLDocument.maximumDepth / 3)
        #expect(page.text.contains("条目19999"))
    }

    @Test("one tag with 100,000 attributes and a title with 50,000 separators stay fast")
    func pathologicalMarkup() {
        let clock = ContinuousClock()
        let started = clock.now
        let attributes = (0..<100_000).map { "a\($0)=\"xxxxxxxxxx\"" }.joined(separator: " ")
        let page = PageExtractor().extract(html: "<div \(attributes)>内容</div><p>正文</p>", url: nil)
        #expect(page.text.contains("正文"))
        let title = String(repeating: "标题_", count: 50_000)
        let titled = PageExtractor().extract(html: "<title>\(title)</title>" + String(repeating: "<h1>标题</h1>", count: 5_000), url: nil)
        #expect(titled.title?.count == title.count)
        #expect(clock.now - started < .seconds(30))
    }

    @Test("many unclosed inline elements")
    func unclosedInline() {
        let html = String(repeating: "<b><i><font>", count: 20_000) + "文字"
        let page = PageExtractor().extract(html: html, url: nil)
        #expect(page.text.contains("文字"))
    }
}

@Suite("Visible text with positions")
struct VisibleTextTests {
    @Test("blocks make lines, inline elements do not, scripts and styles vanish")
    func lines() {
        let document = HTMLDocument(html: """
            <html><head><title>T</title><style>p{}</style></head><body>
            <h1>标题</h1><p>第一段<b>加粗</b>文字。<script>var x = 1;</script></p>
            <p>第二段<br>换行</p><table><tr><td>单元1</td><td>单元2</td></tr></table>
            <noscript>无脚本</noscript><img src="a.png" alt="图片说明"><a href="#" title="链接说明">链接</a>
            </body></html>
            """)
        let text = document.visibleText()
        #expect(text.string == "标题\n第一段加粗文字。\n第二段\n换行\n单元1 单元2\n图片说明 链接 链接说明")
        let plain = document.visibleText(includeAttributes: false)
        #expect(plain.string == "标题\n第一段加粗文字。\n第二段\n换行\n单元1 单元2\n链接")
    }

    @Test("segments know their line, column and source")
    func positions() throws {
        let document = HTMLDocument(html: "<p>第一行</p><p>身份证 <span>510402199001011234</span> 结束</p><img alt='附图'>")
        let text = document.visibleText()
        let lines = text.lines
        #expect(lines.count == 3)
        let number = try #require(text.segments.first { $0.element == "span" })
        #expect(number.line == 2)
        #expect(number.column == 5)
        #expect(number.length == 18)
        let offset = try #require(text.string.range(of: "510402"))
        let characterOffset = text.string.distance(from: text.string.startIndex, to: offset.lowerBound)
        #expect(number.offset == characterOffset)
        #expect(text.location(ofCharacterOffset: characterOffset) == (line: 2, column: 5))
        #expect(text.location(ofCharacterOffset: 0) == (line: 1, column: 1))
        let image = try #require(text.segments.last)
        #expect(image.attribute == "alt")
        #expect(image.line == 3)
        // Every segment's text is where it says it is.
        let characters = Array(text.string)
        for segment in text.segments {
            let slice = String(characters[segment.offset..<(segment.offset + segment.length)])
            let (line, column) = text.location(ofCharacterOffset: segment.offset)
            #expect(line == segment.line && column == segment.column, "\(slice)")
        }
    }
}
