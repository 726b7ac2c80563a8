import Foundation
import GovWatchCore
import GovWatchPage
import Testing

/// The publish day in an article's address, on the addresses of the real pages of the corpus
/// (their MANIFEST.tsv rows) and of the homepage of 中国政府网.
@Suite struct URLDateTests {
    @Test(arguments: [
        // TRS WCM (article-www.shanxi.gov.cn-trs.html, article-www.cmse.gov.cn.html).
        ("http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml", "2019-09-18"),
        ("http://www.cmse.gov.cn/xwzx/zhxw/202101/t20210106_47506.html", "2021-01-06"),
        // 中国政府网's homepage links (portal-home-www.gov.cn.html).
        ("https://www.gov.cn/yaowen/liebiao/202309/content_6906551.htm", nil),
        ("https://www.gov.cn/zhengce/202309/t20230927_1234.htm", "2023-09-27"),
        ("http://www.gov.cn/xinwen/2023-09/27/content_6906551.htm", "2023-09-27"),
        // Hanweb (article-fgw.zj.gov.cn-hanweb.html).
        ("http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html", "2016-11-22"),
        // Day folders.
        ("http://www.kepu.gov.cn/politics/2023-12/01/content_1755244.html", "2023-12-01"),
        ("http://www.example.gov.cn/xw/20220325/123.html", "2022-03-25"),
        // No date: ucap's hashed names, list pages, lone numbers.
        ("https://www.yichun.gov.cn/ycsrmzf/tjgb/202305/36796cdc82d04268913f2884cf2fe579.shtml", nil),
        ("http://www.example.gov.cn/xwzx/index_2.html", nil),
        ("http://www.example.gov.cn/2023/list_20230101.html", nil),
        // A TRS name whose month folder disagrees is not trusted.
        ("http://www.example.gov.cn/xw/202310/t20230927_1.html", nil),
        // Not a real day.
        ("http://www.example.gov.cn/xw/202302/t20230230_1.html", nil),
    ] as [(String, String?)])
    func dayInAddress(url: String, expected: String?) {
        #expect(URLDate.day(in: url)?.description == expected)
    }
}
