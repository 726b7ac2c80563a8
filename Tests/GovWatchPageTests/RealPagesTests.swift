import Foundation
import GovWatchCore
import GovWatchPage
import Testing

/// The real government pages of `Tests/Fixtures/real-pages/` (a copy of the shared corpus kept
/// in the repository, so a lone clone tests them), read at run time.
enum RealPages {
    /// `Tests/Fixtures/real-pages`, from this file's location.
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // GovWatchPageTests
        .deletingLastPathComponent() // Tests
        .appendingPathComponent("Fixtures/real-pages")

    static func bytes(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    /// Every page file listed in the folder (MANIFEST.tsv excluded).
    static func allFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".html") }
            .sorted()
    }

    static func extract(_ name: String, url: String? = nil) throws -> ExtractedPage {
        PageExtractor(asOf: ChinaTime.parseMoment("2024-08-01", bareDayMeansEnd: true))
            .extract(bytes: try bytes(name), contentType: nil, url: url)
    }
}

/// What a person reading each real page finds in it (checked by hand against the HTML:
/// footer marks, the 发布时间/发布日期 line or the PubDate meta tag, the article heading).
struct RealPageExpectation: CustomTestStringConvertible, Sendable {
    var file: String
    var title: String?
    var published: String?
    var siteCode: String?
    var icp: String?
    var police: String?
    var sponsor: String?
    var badge: Bool

    var testDescription: String { file }
}

@Suite("Extraction on the real pages of the corpus")
struct RealPagesTests {
    static let expectations: [RealPageExpectation] = [
        // Hanweb CMS: the label gives the day, the PubDate meta the time of the same day;
        // no 主办 label in the footer (only 版权所有).
        .init(file: "article-fgw.zj.gov.cn-hanweb.html", title: "1-10月德清县固定资产投资结构趋稳趋优",
              published: "2016-11-22T09:53:00+08:00", siteCode: "3300000020", icp: "浙ICP备05018911号",
              police: "浙公网安备 33010602009328号", sponsor: nil, badge: true),
        // No visible date: the firstpublishedtime meta tag ("2007-08-20-23:59:59").
        .init(file: "article-gongbao-www.gov.cn.html",
              title: "全国人民代表大会常务委员会关于批准财政部发行特别国债购买外汇及调整2007 年末国债余额限额的决议",
              published: "2007-08-20T23:59:59+08:00", siteCode: "bm01000001", icp: "京ICP备05070218号",
              police: "京公网安备11010202000001号", sponsor: "国务院办公厅", badge: true),
        // The spec's own example: the police number is printed without 号 on the page.
        .init(file: "article-www.ccgp-hebei.gov.cn-procurement.html", title: "2021年村级信息资源共享支中心电脑采购项目中标公告",
              published: "2021-10-11T00:00:00+08:00", siteCode: "1300000065", icp: "冀ICP备13016076号-2",
              police: "冀公网安备 13010402001602号", sponsor: "河北省财政厅", badge: true),
        // 主办方： and no 网站标识码, 公安备案 or badge at all.
        .init(file: "article-www.cmse.gov.cn.html", title: "载人航天工程全线备战空间站建造任务",
              published: "2021-01-05T00:00:00+08:00", siteCode: nil, icp: "京ICP备20027467号-1",
              police: nil, sponsor: "中国载人航天工程办公室", badge: false),
        // The badge is written by a conac.cn script; "主办" appears only in the body.
        .init(file: "article-www.gzns.gov.cn.html", title: "广州南沙新区(自贸片区)促进科技创新产业发展扶持办法",
              published: "2017-10-13T00:00:00+08:00", siteCode: "4401150002", icp: "粤ICP备10041711号-3",
              police: "粤公网安备 44011502000005号", sponsor: nil, badge: true),
        // The date has no label: it stands in the article header under the title.
        .init(file: "article-www.kepu.gov.cn.html", title: "习近平主持召开深入推进长三角一体化发展座谈会",
              published: "2023-12-01T14:43:00+08:00", siteCode: "bm06000004", icp: "京ICP备05022684号-3",
              police: nil, sponsor: nil, badge: true),
        // A browser-rendered Angular page with 留言时间 labels that must not count.
        .init(file: "article-www.nfra.gov.cn-spa-rendered.html", title: "国家金融监督管理总局行政处罚信息公开表(金罚决字〔2024〕36号)",
              published: "2024-07-12T17:33:00+08:00", siteCode: "bm55000001", icp: "京ICP备19014889号",
              police: "京公网安备11010202008000号", sponsor: "国家金融监督管理总局", badge: true),
        // `<span alt="时间：2017-11-08 20:26"><i>时间：</i>2019-09-18 06:23</span>`: the
        // visible text wins over the stale attribute.
        .init(file: "article-www.shanxi.gov.cn-trs.html", title: "山西品牌丝路行（南美站）正式启动",
              published: "2019-09-18T06:23:00+08:00", siteCode: "1400000045", icp: "晋ICP备12000773号",
              police: "晋公网安备 14010502050691号", sponsor: "山西省人民政府办公厅", badge: true),
        // The visible 发布日期 (2017-05-15, matching the 201705 URL) beats the PubDate meta
        // tag (2022-04-24, a later re-publication).
        .init(file: "article-www.wanzai.gov.cn-ucap.html", title: "万载县2015年国民经济和社会发展统计公报",
              published: "2017-05-15T10:49:00+08:00", siteCode: "3609220011", icp: "赣ICP备11002306号-1",
              police: "赣公网安备 36092202000105号", sponsor: "万载县人民政府", badge: true),
        // 发文日期 (2023-04-18) is the document's date, not the publication: the PubDate meta
        // tag (matching the 202305 URL) is.
        .init(file: "article-www.yichun.gov.cn-ucap.html", title: "宜春市2022年国民经济和社会发展统计公报",
              published: "2023-05-16T12:34:05+08:00", siteCode: "3609000002", icp: "赣ICP备06000141号",
              police: "赣公网安备 36090202000004号", sponsor: "宜春市人民政府", badge: true),
        // A JavaScript shell: nothing to find, nothing guessed.
        .init(file: "column-js-shell-www.lottery.gov.cn-kjlb.html", title: "历史开奖栏目",
              published: nil, siteCode: nil, icp: nil, police: nil, sponsor: nil, badge: false),
        // Search results: 发布时间 labels belong to the entries, not to the page.
        .init(file: "list-search-sousuo.gov.cn.html", title: "中国政府网站内搜索",
              published: nil, siteCode: nil, icp: nil, police: nil, sponsor: nil, badge: false),
        // An anti-bot challenge with an empty <title>.
        .init(file: "other-waf-challenge-www.lottery.gov.cn.html", title: nil,
              published: nil, siteCode: nil, icp: nil, police: nil, sponsor: nil, badge: false),
        // A CMS not-found template (served with 200 it is a soft 404): nothing but the notice.
        .init(file: "notfound-template-ahgkyy.my71.com-govinfo.html", title: "404 文件不存在",
              published: nil, siteCode: nil, icp: nil, police: nil, sponsor: nil, badge: false),
        // A homepage keeps its whole <title>.
        .init(file: "portal-home-www.gov.cn.html", title: "中国政府网_中央人民政府门户网站",
              published: nil, siteCode: "bm01000001", icp: "京ICP备05070218号",
              police: "京公网安备11010202000001号", sponsor: "国务院办公厅", badge: true),
    ]

    @Test("every page of the corpus has an expectation")
    func corpusIsCovered() throws {
        let files = try RealPages.allFiles()
        #expect(files.count >= 14)
        #expect(Set(files) == Set(Self.expectations.map(\.file)))
    }

    @Test("title, publish time and footer identity", arguments: expectations)
    func identityAndDates(_ expected: RealPageExpectation) throws {
        let page = try RealPages.extract(expected.file)
        #expect(page.title == expected.title)
        #expect(page.published?.description == expected.published)
        #expect(page.identity.siteCode == expected.siteCode)
        #expect(page.identity.icp == expected.icp)
        #expect(page.identity.police == expected.police)
        #expect(page.identity.sponsor == expected.sponsor)
        #expect(page.identity.partyGovBadge == expected.badge)
        #expect(page.charset == "UTF-8")
    }

    @Test("the JSON of every page is the spec's shape", arguments: expectations)
    func jsonShape(_ expected: RealPageExpectation) throws {
        let page = try RealPages.extract(expected.file)
        let object = try #require(try JSONSerialization.jsonObject(with: page.jsonData()) as? [String: Any])
        // The spec's keys, then the ones added since (undated entries, readability, data sources, search).
        #expect(Set(object.keys) == [
            "url", "title", "published", "identity", "listItems", "links", "text", "undatedItems", "unreadable", "dataSources",
            "search",
        ])
        let identity = try #require(object["identity"] as? [String: Any])
        #expect(Set(identity.keys) == ["siteCode", "icp", "police", "sponsor", "partyGovBadge"])
        #expect(identity["partyGovBadge"] as? Bool == expected.badge)
        if expected.published == nil { #expect(object["published"] is NSNull) }
        for link in try #require(object["links"] as? [[String: Any]]) {
            #expect(Set(link.keys) == ["url", "text", "kind", "hidden", "hiding"])
            #expect((link["hidden"] as? Bool == true) == (link["hiding"] is String))
            #expect(PageLink.Kind(rawValue: link["kind"] as? String ?? "") != nil)
        }
        // Round trip through Codable.
        let decoded = try JSONDecoder().decode(ExtractedPage.self, from: page.jsonData(prettyPrinted: false))
        #expect(decoded.published == page.published)
        #expect(decoded.identity == page.identity)
        #expect(decoded.links == page.links)
        #expect(decoded.listItems == page.listItems)
    }

    @Test("the browser's saved-from URL resolves relative links")
    func savedFromURL() throws {
        let page = try RealPages.extract("article-www.yichun.gov.cn-ucap.html")
        #expect(page.url == "https://www.yichun.gov.cn/ycsrmzf/tjgb/202305/36796cdc82d04268913f2884cf2fe579.shtml")
        // `./宜春市…_files/batb.png` next to the saved page, percent-encoded.
        let badge = try #require(page.links.first { $0.url.hasSuffix("batb.png") })
        #expect(badge.url.hasPrefix("https://www.yichun.gov.cn/ycsrmzf/tjgb/202305/%E5%AE%9C%E6%98%A5%E5%B8%82"))
        #expect(badge.kind == .image)
        #expect(page.links.allSatisfy { $0.url.hasPrefix("http://") || $0.url.hasPrefix("https://") })
    }

    @Test("a given page URL resolves the relative links of a page")
    func explicitURL() throws {
        let page = try RealPages.extract(
            "article-www.cmse.gov.cn.html", url: "http://www.cmse.gov.cn/xwzx/zhxw/202101/t20210106_47506.html")
        let jquery = try #require(page.links.first { $0.kind == .script })
        #expect(jquery.url == "http://www.cmse.gov.cn/images/jquery-3.4.1.min.js")
        // The breadcrumb "../../" from /xwzx/zhxw/202101/ is /xwzx/.
        #expect(page.links.contains { $0.url == "http://www.cmse.gov.cn/xwzx/" && $0.text == "新闻中心" })
    }

    @Test("search results are dated list items")
    func searchResults() throws {
        let page = try RealPages.extract("list-search-sousuo.gov.cn.html")
        #expect(page.listItems.count == 14)
        let first = try #require(page.listItems.first)
        #expect(first.title == "4月21日疫情防控和复工复产最新消息!")
        #expect(first.url == "http://www.gov.cn/xinwen/2020-04/22/content_5504947.htm")
        #expect(first.date.description == "2020-04-22")
        // The "相关公文" block: <a>…</a><span style="float:right">2020.04.03</span>.
        #expect(page.listItems.contains {
            $0.url == "http://www.gov.cn/zhengce/content/2020-04/03/content_5498474.htm" && $0.date.description == "2020-04-03"
        })
    }

    @Test("article text is the visible text without scripts and with the body")
    func articleText() throws {
        let page = try RealPages.extract("article-www.gzns.gov.cn.html")
        #expect(page.text.contains("第三十七条"))
        #expect(page.text.contains("粤ICP备10041711号-3"))
        #expect(!page.text.contains("document.write"))
        #expect(!page.text.contains("function"))
    }

    @Test("hidden elements of the real pages are flagged")
    func hiddenLinksOnRealPages() throws {
        let page = try RealPages.extract("article-www.kepu.gov.cn.html")
        let hidden = page.links.filter(\.hidden)
        #expect(hidden.contains { $0.url == "http://www.kepu.gov.cn/kpyx/" })
        #expect(page.links.filter { !$0.hidden }.count > 50)
    }
}
