@testable import GovWatchReports
import Testing

/// Titles break into balanced lines with whole words (GB/T 9704-2012 7.2.3).
@Suite struct TitleLinesTests {
    @Test func breaksBeforeGuanyuAndBalancesTheLines() {
        let lines = TitleLines.split("鸿溪市人民政府办公室关于2022年第一季度全市政府网站和政府系统政务新媒体检查情况的通报", maximumWidth: 19.6)
        #expect(lines == ["鸿溪市人民政府办公室", "关于2022年第一季度全市政府网站和", "政府系统政务新媒体检查情况的通报"])
        #expect(TitleLines.split("工作成效明显的单位", maximumWidth: 19.6) == ["工作成效明显的单位"])
        // Never inside a number, never a lone 的通报.
        for title in ["江城市大数据中心关于2022年1月1日至3月15日全市政府网站和政务新媒体检查情况的通报"] {
            let split = TitleLines.split(title, maximumWidth: 19.6)
            #expect(split.joined() == title)
            #expect(split.allSatisfy { !$0.hasPrefix("的") && $0.count > 3 })
            #expect(!split.contains { $0.hasSuffix("202") })
        }
    }
}
