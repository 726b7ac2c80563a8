import Foundation
import GovWatchPage
import Testing

/// Soft-404 wording (`NotFoundPage`) and redirect pages (`RedirectPage`) on real pages.
@Suite("Not-found and redirect pages")
struct NotFoundAndRedirectPageTests {
    static func titleAndText(_ name: String) throws -> (title: String?, text: String) {
        let document = HTMLDocument(bytes: try RealPages.bytes(name))
        let page = PageExtractor(asOf: Date()).extract(document: document, url: "http://www.example.gov.cn/x.html")
        return (page.title, page.text)
    }

    /// The Shanxi TRS article retitled as a notice about fixing missing pages and broken
    /// links, with a paragraph saying so: a page about missing pages, not a missing page.
    static func articleAboutMissingPages() throws -> String {
        var html = String(decoding: try RealPages.bytes("article-www.shanxi.gov.cn-trs.html"), as: UTF8.self)
        html = html.replacingOccurrences(of: "山西品牌丝路行（南美站）正式启动", with: "关于网页不存在错链问题整改情况的通报")
        html = html.replacingOccurrences(
            of: "<div><span style=\"font-size: 12pt;\">　　跨越千山万水",
            with: "<div>　　经检查，部分网页不存在、链接已被删除或失效，现已全部整改。</div><div><span style=\"font-size: 12pt;\">　　跨越千山万水")
        return html
    }

    @Test("a real CMS not-found template is a not-found notice; no other page of the corpus is")
    func realTemplate() throws {
        let template = try Self.titleAndText("notfound-template-ahgkyy.my71.com-govinfo.html")
        #expect(template.title == "404 文件不存在")
        #expect(NotFoundPage.isNotice(title: template.title, text: template.text))
        // Its wording alone, under a title that is only the site's name, still is one.
        #expect(NotFoundPage.isNotice(title: "某某县人民政府", text: template.text))
        for file in try RealPages.allFiles() where !file.hasPrefix("notfound-") {
            let page = try Self.titleAndText(file)
            #expect(!NotFoundPage.isNotice(title: page.title, text: page.text), "\(file)")
        }
    }

    @Test("an article about missing pages is not a not-found page")
    func articleAboutMissing() throws {
        let document = HTMLDocument(html: try Self.articleAboutMissingPages())
        let page = PageExtractor(asOf: Date()).extract(document: document, url: "http://www.shanxi.gov.cn/yw/a.shtml")
        #expect(page.title?.contains("网页不存在") == true)
        #expect(page.text.contains("部分网页不存在"))
        #expect(!NotFoundPage.isNotice(title: page.title, text: page.text))
        #expect(!NotFoundPage.titleIsNotice("关于网页不存在错链问题整改情况的通报 - 山西省人民政府门户网站"))
    }

    @Test("not-found titles as CMSs write them")
    func titles() {
        for title in ["404", "页面不存在", "404错误 - 页面不存在", "ERROR 404 您访问的页面不存在", "抱歉，页面未找到_某某市人民政府", "文章已删除", "信息提示：该信息已被删除"] {
            #expect(NotFoundPage.titleIsNotice(title), "\(title)")
        }
        for title in ["某某市人民政府", "关于开展404页面专项检查的通知", "页面不存在问题整改工作方案", "404国道改扩建工程开工"] {
            #expect(!NotFoundPage.titleIsNotice(title), "\(title)")
        }
    }

    @Test("a host's not-found template matches another unknown URL's answer, whatever path it echoes; not a real page")
    func fingerprints() {
        let first = NotFoundPage.Fingerprint(title: "山西省人民政府门户网站", text: "首页 要闻 政策 抱歉，您访问的页面 /govwatch-x1/a.html 不存在 2022-03-31 10:00")
        let second = NotFoundPage.Fingerprint(title: "山西省人民政府门户网站", text: "首页 要闻 政策 抱歉，您访问的页面 /yw/t20190918_1.shtml 不存在 2022-03-31 10:01")
        let article = NotFoundPage.Fingerprint(title: "山西省人民政府门户网站", text: "首页 要闻 政策 山西品牌丝路行（南美站）正式启动，跨越千山万水")
        #expect(first.matches(second))
        #expect(!first.matches(article))
        #expect(!first.matches(NotFoundPage.Fingerprint(title: "其他标题", text: "首页 要闻 政策 抱歉，您访问的页面不存在")))
    }

    @Test("redirect pages: meta refresh and location scripts are followed; real pages and challenges are not")
    func redirectPages() throws {
        let home = NormalizedURL("http://www.example.gov.cn/")!
        func target(_ html: String) -> String? { RedirectPage.target(of: HTMLDocument(html: html), url: home)?.description }
        #expect(target(#"<html><head><meta http-equiv="refresh" content="0;url=/col/index.html"></head><body></body></html>"#)
            == "http://www.example.gov.cn/col/index.html")
        #expect(target(#"<meta http-equiv="Refresh" content="0; URL='http://www.example.gov.cn/portal/'">"#) == "http://www.example.gov.cn/portal/")
        #expect(target(#"<html><body><script>window.location.href = "/xxgk/通知公告/index.html";</script>正在跳转…</body></html>"#)
            == "http://www.example.gov.cn/xxgk/%E9%80%9A%E7%9F%A5%E5%85%AC%E5%91%8A/index.html")
        #expect(target(#"<script type="text/javascript">location.replace('http://www.example.gov.cn/index.shtml')</script>"#)
            == "http://www.example.gov.cn/index.shtml")
        #expect(target(#"<script>top.location='site/index.html'</script>"#) == "http://www.example.gov.cn/site/index.html")
        #expect(target(#"<head><base href="http://www.example.gov.cn/zw/"></head><script>window.location = "index.html"</script>"#)
            == "http://www.example.gov.cn/zw/index.html")
        // A refresh to itself, a long wait, a comparison, a script built URL: not redirects.
        #expect(target(#"<meta http-equiv="refresh" content="0;url=/">"#) == nil)
        #expect(target(#"<meta http-equiv="refresh" content="300;url=/col/">"#) == nil)
        #expect(target(#"<script>if (location.href == "http://m.example.gov.cn/") {}</script>"#) == nil)
        #expect(target(#"<script>location.href = base + "/index.html"</script>"#) == nil)
        // A page with its own content and a mobile-redirect script is a page.
        let long = String(repeating: "政务公开 ", count: 80)
        #expect(target(#"<html><body><p>\#(long)</p><script>if(mobile){window.location.href="/m/";}</script></body></html>"#) == nil)
        // Real pages: the portal homepage and a bot challenge (which reloads itself) are not redirect pages.
        for file in ["portal-home-www.gov.cn.html", "other-waf-challenge-www.lottery.gov.cn.html", "notfound-template-ahgkyy.my71.com-govinfo.html"] {
            let url = NormalizedURL("https://www.lottery.gov.cn/")!
            #expect(RedirectPage.target(bytes: [UInt8](try RealPages.bytes(file)), contentType: nil, url: url) == nil, "\(file)")
        }
    }
}
