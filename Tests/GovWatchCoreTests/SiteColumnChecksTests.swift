import Foundation
import GovWatchCore
import Testing

typealias F = SiteFixtures

@Suite struct SiteHomepageStaleTests {
    func check(_ homepage: HomepageEvidence?) -> Finding? {
        SiteHomepageStale.check(site: F.target, homepage: homepage, asOf: F.asOf, indicators: .national2019)
    }

    func items(_ dates: [CalendarDate?]) -> [DatedItem] {
        dates.enumerated().map { DatedItem(title: "信息\($0.offset)", url: F.homepageURL + "a\($0.offset).html", date: $0.element) }
    }

    @Test func fourteenDaysIsFreshFifteenIsAVeto() throws {
        #expect(check(F.homepage(items: items([F.daysAgo(14), F.daysAgo(30)]))) == nil)
        let finding = try #require(check(F.homepage(items: items([F.daysAgo(15), nil]))))
        #expect(finding.level == .veto)
        #expect(finding.url == F.homepageURL)
        #expect(finding.detail["lastUpdated"] == "2022-03-16")
        #expect(finding.detail["daysSinceUpdate"] == 15)
        #expect(finding.detail["limitDays"] == 14)
        #expect(finding.detail["undatedItems"] == 1)
        #expect(finding.evidence == "首页最新信息发布于2022-03-16，距监测时间点15天，超过14天未更新")
    }

    @Test func undatedItemsDoNotCountAsUpdates() throws {
        let finding = try #require(check(F.homepage(items: items([nil, nil]))))
        #expect(finding.detail["lastUpdated"] == .null)
        #expect(finding.evidence == "首页2条信息均未注明发布时间，视为未更新（监测周期14天）")
    }

    @Test func itemsAfterTheAsOfDayAreIgnored() throws {
        // Re-inspecting 2022-03-31 after the site published on 2022-04-02.
        let finding = try #require(check(F.homepage(items: items([F.day("2022-04-02"), F.daysAgo(20)]))))
        #expect(finding.detail["lastUpdated"] == "2022-03-11")
    }

    @Test func aNavigationHomepageUsesItsSecondLevelPages() throws {
        #expect(check(F.homepage(items: [], newestSecondLevelDate: F.daysAgo(3))) == nil)
        let finding = try #require(check(F.homepage(items: [], newestSecondLevelDate: F.daysAgo(20))))
        #expect(finding.detail["source"] == "second-level")
        #expect(finding.detail["daysSinceUpdate"] == 20)
    }

    @Test func aHomepageThatDidNotLoadIsLeftToAvailability() {
        #expect(check(F.homepage(items: [], loaded: false)) == nil)
        #expect(check(nil) == nil)
    }

    @Test func theFingerprintDoesNotDependOnDates() throws {
        let first = try #require(check(F.homepage(items: items([F.daysAgo(15)]))))
        let later = try #require(check(F.homepage(items: items([F.daysAgo(90)]))))
        #expect(first.fingerprint == later.fingerprint)
        #expect(first.detail != later.detail)
    }
}

@Suite struct SiteColumnStaleTests {
    func check(_ columns: [ColumnEvidence], indicators: IndicatorSet = .national2019) -> [Finding] {
        SiteColumnStale.check(site: F.target, columns: columns, asOf: F.asOf, indicators: indicators)
    }

    @Test func newsColumnExactlyFourteenDaysOldIsFreshFifteenIsStale() throws {
        #expect(check([F.news("工作动态", "gzdt", lastUpdated: 14)]).isEmpty)
        let findings = check([F.news("工作动态", "gzdt", lastUpdated: 15)])
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.level == .deduction)
        #expect(finding.url == F.homepageURL + "gzdt/index.html")
        #expect(finding.detail["column"] == "工作动态")
        #expect(finding.detail["category"] == "news")
        #expect(finding.detail["lastUpdated"] == "2022-03-16")
        #expect(finding.detail["periodDays"] == 14)
        #expect(finding.detail["daysSinceUpdate"] == 15)
        #expect(finding.evidence == "栏目“工作动态”最近更新于2022-03-16，15天未更新，超过更新周期14天")
    }

    @Test(arguments: [
        (ColumnCategory.notice, 183), (.policy, 183), (.personnel, 365), (.planning, 365),
    ])
    func periodsByCategory(_ category: ColumnCategory, _ period: Int) {
        let fresh = F.column("栏目", "lm", category, dates: [F.daysAgo(period)])
        let stale = F.column("栏目", "lm", category, dates: [F.daysAgo(period + 1)])
        #expect(check([fresh]).isEmpty)
        #expect(check([stale]).map { $0.detail["periodDays"] } == [.number(Double(period))])
    }

    @Test func undatedItemsCountAsNotUpdated() throws {
        let finding = try #require(check([F.column("项目建设", "xmjs", .news, dates: [nil, nil, nil])]).first)
        #expect(finding.detail["lastUpdated"] == .null)
        #expect(finding.detail["daysSinceUpdate"] == .null)
        #expect(finding.detail["undated"] == true)
        #expect(finding.evidence == "栏目“项目建设”的信息均未注明发布时间，视为未更新（更新周期14天）")
        // A dated item among undated ones decides.
        #expect(check([F.column("项目建设", "xmjs", .news, dates: [nil, F.daysAgo(3)])]).isEmpty)
    }

    @Test func itemsPublishedAfterTheAsOfDayDoNotCount() throws {
        let finding = try #require(check([F.column("工作动态", "gzdt", .news, dates: [F.day("2022-04-01"), F.daysAgo(20)])]).first)
        #expect(finding.detail["lastUpdated"] == "2022-03-11")
        #expect(finding.detail["undated"] == false)
    }

    @Test func configuredPeriodsOverrideAndOtherColumnsNeedOne() {
        #expect(check([F.column("专题", "zt", .other, dates: [F.daysAgo(400)])]).isEmpty)
        #expect(check([F.column("专题", "zt", .other, dates: [F.daysAgo(30)], periodDays: 30)]).isEmpty)
        #expect(check([F.column("专题", "zt", .other, dates: [F.daysAgo(31)], periodDays: 30)]).count == 1)
        // A news column configured monthly.
        #expect(check([F.column("图片新闻", "tpxw", .news, dates: [F.daysAgo(20)], periodDays: 30)]).isEmpty)
        // An administrator's indicator file may give `other` columns a period.
        var set = IndicatorSet.national2019
        set.indicators["site.column.stale"]?.thresholds?["otherDays"] = 90
        #expect(check([F.column("专题", "zt", .other, dates: [F.daysAgo(91)])], indicators: set).count == 1)
    }

    @Test func unloadedAndBlankColumnsAreNotStale() {
        #expect(check([F.column("工作动态", "gzdt", .news, dates: [F.daysAgo(40)], loaded: false)]).isEmpty)
        #expect(check([F.column("工作动态", "gzdt", .news, dates: [])]).isEmpty)
        #expect(check([F.column("工作动态", "gzdt", .news, dates: [F.daysAgo(40)], placeholderOnly: true)]).isEmpty)
    }

    @Test func oneFindingPerColumnURLInURLOrder() {
        let imported = F.news("要闻", "yw", lastUpdated: 30)
        var discovered = imported
        discovered.discovered = true
        let findings = check([F.news("工作动态", "gzdt", lastUpdated: 20), discovered, imported])
        #expect(findings.map(\.url) == [F.homepageURL + "gzdt/index.html", F.homepageURL + "yw/index.html"])
        #expect(findings[1].detail["discovered"] == false)
    }

    @Test func fingerprintIsTheColumnNotItsDates() throws {
        let first = try #require(check([F.news("工作动态", "gzdt", lastUpdated: 15)]).first)
        let later = try #require(check([F.news("工作动态", "gzdt", lastUpdated: 60)]).first)
        let other = try #require(check([F.news("部门动态", "bmdt", lastUpdated: 15)]).first)
        #expect(first.fingerprint == later.fingerprint)
        #expect(first.fingerprint != other.fingerprint)
    }
}

@Suite struct SiteColumnVetoTests {
    func staleNews(_ count: Int) -> [ColumnEvidence] {
        (0..<count).map { F.news("动态\($0)", "dt\($0)", lastUpdated: 20 + $0) }
    }

    func staleVeto(_ columns: [ColumnEvidence]) -> Finding? {
        SiteColumnsStaleVeto.check(site: F.target, columns: columns, asOf: F.asOf, indicators: .national2019)
    }

    func unupdatedVeto(_ columns: [ColumnEvidence]) -> Finding? {
        SiteColumnsUnupdatedVeto.check(site: F.target, columns: columns, asOf: F.asOf, indicators: .national2019)
    }

    @Test func fourStaleKeyColumnsAreNotAVetoFiveAre() throws {
        #expect(staleVeto(staleNews(4) + F.cleanColumns()) == nil)
        let finding = try #require(staleVeto(staleNews(5) + F.cleanColumns()))
        #expect(finding.level == .veto)
        #expect(finding.url == nil)
        #expect(finding.detail["count"] == 5)
        #expect(finding.detail["threshold"] == 5)
        #expect(finding.evidence?.hasSuffix("：动态0、动态1、动态2、动态3、动态4") == true)
    }

    @Test func onlyTopLevelNoticeAndPolicyColumnsCount() throws {
        let oldNotice = F.column("通知公告", "tzgg", .notice, dates: [F.daysAgo(200)])
        let oldReading = F.column("政策解读", "zcjd", .policy, dates: [F.daysAgo(200)], topLevel: false)
        let oldPersonnel = F.column("人事信息", "rsxx", .personnel, dates: [F.daysAgo(400)])
        #expect(staleVeto(staleNews(3) + [oldNotice, oldReading, oldPersonnel]) == nil)
        let finding = try #require(staleVeto(staleNews(4) + [oldNotice, oldReading]))
        #expect(finding.detail["count"] == 5)
        guard case .array(let listed)? = finding.detail["columns"] else {
            Issue.record("columns missing")
            return
        }
        #expect(!listed.contains { $0["name"] == "政策解读" })
        #expect(listed.contains { $0["name"] == "通知公告" && $0["lastUpdated"] == .string(F.daysAgo(200).description) })
    }

    @Test func nineUnupdatedColumnsAreNotAVetoTenAre() throws {
        let others = [
            F.column("通知公告", "tzgg", .notice, dates: [F.daysAgo(200)]),
            F.column("政策解读", "zcjd", .policy, dates: [F.daysAgo(200)], topLevel: false),
            F.column("人事信息", "rsxx", .personnel, dates: [F.daysAgo(400)]),
            F.column("规划计划", "ghjh", .planning, dates: [nil]),
        ]
        #expect(unupdatedVeto(staleNews(5) + others) == nil)
        let finding = try #require(unupdatedVeto(staleNews(6) + others))
        #expect(finding.detail["count"] == 10)
        #expect(finding.detail["threshold"] == 10)
    }

    @Test func vetoFingerprintsDoNotChangeWithTheCount() throws {
        let five = try #require(staleVeto(staleNews(5)))
        let seven = try #require(staleVeto(staleNews(7)))
        #expect(five.fingerprint == seven.fingerprint)
    }
}

@Suite struct SiteColumnBlankTests {
    func blankColumns(_ count: Int) -> [ColumnEvidence] {
        (0..<count).map { F.column("空栏目\($0)", "kl\($0)", .other, dates: []) }
    }

    @Test func emptyAndPlaceholderColumnsAreBlank() throws {
        let empty = F.column("建议提案办理", "jyta", .other, dates: [])
        var placeholder = F.column("专项工作", "zxgz", .other, dates: [nil])
        placeholder.items[0].title = "本栏目信息正在整理中，敬请期待"
        placeholder.placeholderOnly = true
        let findings = SiteColumnBlank.check(
            site: F.target, columns: [placeholder, empty, F.news("工作动态", "gzdt", lastUpdated: 1)], indicators: .national2019)
        #expect(findings.map { $0.detail["column"] } == ["建议提案办理", "专项工作"])
        #expect(findings[0].level == .deduction)
        #expect(findings[0].detail["placeholder"] == false)
        #expect(findings[0].evidence == "栏目“建议提案办理”页面无任何信息（如显示“暂无信息”），为空白栏目")
        #expect(findings[1].detail["placeholder"] == true)
        #expect(findings[1].evidence == "栏目“专项工作”仅有占位信息（如“本栏目信息正在整理中，敬请期待”），无实际内容，视为空白栏目")
    }

    @Test func aColumnThatDidNotLoadIsNotBlank() {
        let broken = F.column("建议提案办理", "jyta", .other, dates: [], loaded: false)
        #expect(SiteColumnBlank.check(site: F.target, columns: [broken], indicators: .national2019).isEmpty)
    }

    @Test func fourBlankColumnsAreNotAVetoFiveAre() throws {
        #expect(SiteColumnsBlankVeto.check(site: F.target, columns: blankColumns(4), indicators: .national2019) == nil)
        let finding = try #require(SiteColumnsBlankVeto.check(site: F.target, columns: blankColumns(5), indicators: .national2019))
        #expect(finding.level == .veto)
        #expect(finding.detail["count"] == 5)
        #expect(finding.evidence == "空白栏目共5个（达到5个即单项否决）：空栏目0、空栏目1、空栏目2、空栏目3、空栏目4")
    }
}
