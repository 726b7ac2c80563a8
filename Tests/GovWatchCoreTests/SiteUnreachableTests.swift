import Foundation
import GovWatchCore
import Testing

@Suite struct SiteUnreachableTests {
    let site = Target(kind: .site, code: "4301000001", name: "鸿溪市人民政府")
    let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!

    /// `count` probes evenly spread over the 7 days before as-of; `failing` of them fail.
    func probes(count: Int, failing: Set<Int>) -> [Probe] {
        (0..<count).map { index in
            let at = asOf.addingTimeInterval(-7 * 86_400 + Double(index) * 7 * 86_400 / Double(count))
            return Probe(
                siteCode: site.code, at: at, ok: !failing.contains(index), status: failing.contains(index) ? 503 : 200,
                error: failing.contains(index) ? "HTTP 503" : nil)
        }
    }

    @Test func fivePercentFailuresIsAVeto() throws {
        let finding = try #require(
            SiteUnreachable.check(site: site, probes: probes(count: 140, failing: Set(0..<7)), asOf: asOf, indicators: .national2019))
        #expect(finding.level == .veto)
        #expect(finding.detail["probes"] == 140)
        #expect(finding.detail["failures"] == 7)
        #expect(finding.detail["ratio"] == 0.05)
        #expect(finding.evidence == "近7天监测140次，7次无法访问，占比5.0%")
    }

    @Test func belowThresholdOrTooFewProbesIsNot() {
        #expect(SiteUnreachable.check(site: site, probes: probes(count: 140, failing: Set(0..<6)), asOf: asOf, indicators: .national2019) == nil)
        // 19 probes, all failing: not enough evidence yet.
        #expect(SiteUnreachable.check(site: site, probes: probes(count: 19, failing: Set(0..<19)), asOf: asOf, indicators: .national2019) == nil)
    }

    @Test func probesOutsideTheWindowDoNotCount() {
        let old = (0..<50).map { Probe(siteCode: site.code, at: asOf.addingTimeInterval(-8 * 86_400 - Double($0)), ok: false) }
        let later = (0..<50).map { Probe(siteCode: site.code, at: asOf.addingTimeInterval(Double($0 + 1)), ok: false) }
        let window = probes(count: 100, failing: [])
        #expect(SiteUnreachable.check(site: site, probes: old + window + later, asOf: asOf, indicators: .national2019) == nil)
    }
}
