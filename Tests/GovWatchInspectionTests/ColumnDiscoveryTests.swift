import GovWatchCore
@testable import GovWatchInspection
import Testing

@Suite struct ColumnDiscoveryTests {
    @Test func searchResultPagesAreNotColumns() {
        let targets = ["http://www.hongxi.gov.cn/search/index.shtml"]
        #expect(SiteEvidenceBuilder.isSearchPage("http://www.hongxi.gov.cn/search/index.shtml", text: "", searchTargets: targets))
        #expect(SiteEvidenceBuilder.isSearchPage("http://x.gov.cn/was5/web/search?searchword=政府", text: "", searchTargets: []))
        #expect(SiteEvidenceBuilder.isSearchPage("http://x.gov.cn/list.html?keyword=a", text: "", searchTargets: []))
        #expect(SiteEvidenceBuilder.isSearchPage("http://x.gov.cn/a.html", text: "站内搜索", searchTargets: []))
        #expect(!SiteEvidenceBuilder.isSearchPage("http://x.gov.cn/xwdt/index.html", text: "新闻动态", searchTargets: targets))
        #expect(!SiteEvidenceBuilder.isSearchPage("http://x.gov.cn/col/col123/index.html?uid=1&pageNum=2", text: "通知公告", searchTargets: []))
    }
}
