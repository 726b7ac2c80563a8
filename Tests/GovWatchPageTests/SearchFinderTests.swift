import Foundation
import GovWatchCore
import GovWatchPage
import Testing

/// Site search as government sites offer it: GET and POST forms, forms without an
/// action, and links to shared search platforms.
@Suite("Site search")
struct SearchFinderTests {
    static func extract(_ html: String, url: String) -> ExtractedPage {
        PageExtractor(asOf: nil).extract(html: html, url: url)
    }

    @Test("中国政府网's header box: a form without an action (a script sends it) counts, checked by the page itself")
    func govCnFormWithoutAction() throws {
        let page = try RealPages.extract("portal-home-www.gov.cn.html", url: "https://www.gov.cn/")
        #expect(page.search == ["https://www.gov.cn/"])
    }

    @Test("a TRS POST form counts: its action is the target")
    func trsPostForm() throws {
        let page = try RealPages.extract(
            "article-www.shanxi.gov.cn-trs.html", url: "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml")
        #expect(page.search.first == "http://www.shanxi.gov.cn/search/sxgovsearch.jsp")
    }

    @Test("Hanweb jrobotfront GET form with its hidden fields")
    func hanwebGetForm() throws {
        let page = try RealPages.extract("article-fgw.zj.gov.cn-hanweb.html", url: "http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html")
        let target = try #require(page.search.first)
        #expect(target.hasPrefix("http://search.zj.gov.cn/jrobotfront/search.do?websiteid=330000002000000&pg=&p=1&tpl=492"))
        #expect(target.hasSuffix("&q=%E6%94%BF%E5%BA%9C"))
    }

    @Test("a nameless text box whose script fills a hidden searchWord field (gzns.gov.cn)")
    func hiddenQueryField() throws {
        let page = try RealPages.extract("article-www.gzns.gov.cn.html", url: "http://www.gzns.gov.cn/zwgk/zcfg/201710/t20171013_1.html")
        #expect(page.search.first == "http://www.gzns.gov.cn/search/search.html?searchWord=%E6%94%BF%E5%BA%9C")
    }

    @Test("a link labelled 站内搜索 to a shared Hanweb jsearchfront platform on another host")
    func sharedPlatformLink() {
        let html = """
            <div class="top"><a href="http://www.hongxi.gov.cn/">首页</a>
            <a href="http://search.hongxi.gov.cn/jsearchfront/search.do?websiteid=350900000000000&amp;tpl=1" target="_blank">站内搜索</a>
            <a href="javascript:void(0)">检索</a><a href="#search">搜索</a></div>
            """
        let page = Self.extract(html, url: "http://www.hxjy.gov.cn/")
        #expect(page.search == ["http://search.hongxi.gov.cn/jsearchfront/search.do?websiteid=350900000000000&tpl=1"])
    }

    @Test("a TRS was5 GET form on the site")
    func trsWas5() {
        let html = """
            <form name="searchform" action="/was5/web/search" method="get" target="_blank">
            <input type="hidden" name="channelid" value="229476"><input type="text" name="searchword" class="search-text" placeholder="请输入关键字">
            <input type="submit" value="搜索"></form>
            """
        let page = Self.extract(html, url: "http://www.hongxi.gov.cn/index.html")
        #expect(page.search == ["http://www.hongxi.gov.cn/was5/web/search?channelid=229476&searchword=%E6%94%BF%E5%BA%9C"])
    }

    @Test("a login form is no search")
    func loginForm() {
        let html = """
            <form action="/login" method="post"><input type="text" name="username"><input type="password" name="pwd"><input type="submit" value="登录"></form>
            """
        #expect(Self.extract(html, url: "http://www.hongxi.gov.cn/").search.isEmpty)
    }
}
