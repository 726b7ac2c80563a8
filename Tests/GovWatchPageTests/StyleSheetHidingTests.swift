import Foundation
import GovWatchCore
import Testing

@testable import GovWatchPage

/// Dark links (暗链) hidden by the page's own `<style>` rules, and how each is hidden.
@Suite("Hidden by <style> rules")
struct StyleSheetHidingTests {
    static func links(_ html: String) -> [PageLink] {
        PageExtractor(asOf: nil).extract(html: html, url: "http://www.hongxi.gov.cn/").links
    }

    /// The shape tampered government homepages take: gambling links in a footer block a
    /// `<style>` rule hides, among the site's own links.
    static let tampered = """
        <html><head><title>鸿溪市人民政府</title>
        <style type="text/css">
        /* 页脚 */ .footer{color:#333} .yqlj{display:block}
        .hide { display: none; }
        #lk9 {position:absolute; left:-9999px; top:-9999px}
        div.bt { height:0; overflow:hidden }
        .wrap .gone {display:none}
        @media print { .noprint { display:none } }
        @media screen and (min-width:0) { .fold { visibility:hidden } }
        </style></head><body>
        <div class="yqlj"><a href="http://www.fujian.gov.cn/">福建省人民政府</a></div>
        <div class="hide"><a href="http://www.bet365-cn.com/">体育投注</a></div>
        <p id="lk9"><a href="http://www.amxpj.com/">澳门新葡京</a></p>
        <div class="bt"><a href="http://www.hg-casino.net/">皇冠娱乐</a></div>
        <span class="fold"><a href="http://www.pj777.com/">葡京赌场</a></span>
        <div class="noprint"><a href="/zwgk/">政务公开</a></div>
        <div class="gone"><a href="/hdjl/">互动交流</a></div>
        </body></html>
        """

    @Test("class, id and tag.class rules hide, and the link says how")
    func hiddenByRules() throws {
        let links = Self.links(Self.tampered)
        func link(_ url: String) throws -> PageLink { try #require(links.first { $0.url == url }) }
        #expect(try link("http://www.fujian.gov.cn/").hidden == false)
        let hide = try link("http://www.bet365-cn.com/")
        #expect(hide.hidden)
        #expect(hide.hiding == "hidden-parent <div>, display:none, class .hide in <style>")
        #expect(try link("http://www.amxpj.com/").hiding == "hidden-parent <p>, off-screen, id #lk9 in <style>")
        #expect(try link("http://www.hg-casino.net/").hiding == "hidden-parent <div>, zero-size, class div.bt in <style>")
        #expect(try link("http://www.pj777.com/").hiding == "hidden-parent <span>, visibility:hidden, class .fold in <style>")
        // Print-only rules and descendant selectors are not read.
        #expect(try link("http://www.hongxi.gov.cn/zwgk/").hidden == false)
        #expect(try link("http://www.hongxi.gov.cn/hdjl/").hidden == false)
    }

    @Test("inline hiding says how too")
    func inlineHiding() throws {
        let links = Self.links("""
            <a href="http://a.example/" style="display:none">a</a>
            <div style="position:absolute;top:-1000px"><a href="http://b.example/">b</a></div>
            <a href="http://c.example/" style="font-size:0">c</a>
            <a href="http://d.example/">d</a>
            """)
        #expect(links.map(\.hiding) == ["display:none", "hidden-parent <div>, off-screen", "zero-size", nil])
    }

    @Test("<style> rules mark links only (the text keeps what they hide); the JSON names how a link is hidden")
    func textAndJSON() throws {
        let page = PageExtractor(asOf: nil).extract(html: Self.tampered, url: "http://www.hongxi.gov.cn/")
        // Pages also hide whole blocks by a rule until a script shows them: the text, lists
        // and identity read by inline markup only.
        #expect(page.text.contains("澳门新葡京"))
        #expect(page.text.contains("福建省人民政府"))
        let json = String(decoding: page.jsonData(prettyPrinted: false), as: UTF8.self)
        #expect(json.contains(#""hidden":true,"hiding":"hidden-parent <p>, off-screen, id #lk9 in <style>""#))
        let decoded = try JSONDecoder().decode(ExtractedPage.self, from: page.jsonData())
        #expect(decoded.links == page.links)
    }

    @Test("the real pages keep their visible links visible")
    func realPages() throws {
        for file in try RealPages.allFiles() where file.hasPrefix("article-") || file.hasPrefix("portal-") || file.hasPrefix("list-") {
            let page = try RealPages.extract(file)
            let visible = page.links.filter { $0.kind == .page && !$0.hidden }.count
            let all = page.links.filter { $0.kind == .page }.count
            // The few hidden ones are collapsed menus and templates' placeholders.
            #expect(visible * 10 >= all * 8, "\(file): \(visible) of \(all)")
            #expect(page.links.allSatisfy { $0.hidden == ($0.hiding != nil) }, "\(file)")
        }
    }

    @Test("nfra.gov.cn hides .content and .footer by a rule until its script shows them: not hidden")
    func revealedByScript() throws {
        let page = try RealPages.extract("article-www.nfra.gov.cn-spa-rendered.html")
        let footerLinks = page.links.filter { $0.text.contains("网站地图") || $0.text.contains("联系我们") }
        #expect(!footerLinks.isEmpty)
        #expect(footerLinks.allSatisfy { !$0.hidden })
        let rules = StyleSheetHiding(css: ".content, .footer { display: none; } .hide{display:none}")
        #expect(rules.hiding(name: "div", attributes: [HTMLAttribute(name: "class", value: "footer mt25")]) == nil)
        #expect(rules.hiding(name: "div", attributes: [HTMLAttribute(name: "class", value: "hide")]) == "display:none, class .hide in <style>")
        // A script that showed it left its inline style, which wins over the rule.
        #expect(rules.hiding(name: "div", attributes: [
            HTMLAttribute(name: "class", value: "hide"), HTMLAttribute(name: "style", value: "display: block;"),
        ]) == nil)
    }
}
