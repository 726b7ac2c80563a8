import Foundation
import GovWatchCore
import GovWatchReports
import GovWatchStore
import Testing

/// The notice says what the indicator set and the scorecards say: 加分 beside the score, the
/// account periods of the set in force, how late a closure was filed.
@Suite struct NoticeDataFileTests {
    static let q1 = ReportPeriod.quarter(2022, 1)!
    static let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!
    static let portal = SiteRecord(
        code: "4390000001", name: "鸿溪市人民政府", url: "http://www.hongxi.gov.cn/", kind: .portal, unit: "鸿溪市人民政府办公室",
        parent: "鸿溪市人民政府")
    static let wechat = AccountRecord(platform: .wechat, id: "hxfb", name: "鸿溪发布", unit: "鸿溪市人民政府办公室", main: true)
    static let app = AccountRecord(
        platform: .app, id: "cn.gov.hongxi.zwt", name: "鸿溪政务通", unit: "鸿溪市人民政府办公室", status: .stopped,
        closureFiled: ChinaTime.parseDay("2022-03-01"), closedOn: ChinaTime.parseDay("2022-01-10"))

    static func accountTarget(_ account: AccountRecord) -> Target { Target(kind: .account, code: account.id, name: account.name) }

    /// A notice of one run whose findings were judged by `indicators`, the portal with `bonus` points entered.
    static func text(indicators: IndicatorSet, bonus: Double) -> String {
        let site = Target(kind: .site, code: portal.code, name: portal.name)
        var card = Scorer(indicators: indicators).score(site, findings: [])
        card = BonusEntry(run: "r-20220331-0001", siteCode: portal.code, points: bonus, reason: "创新", rule: BonusRule(indicators: indicators), enteredAt: asOf)
            .apply(to: card)
        let stale = AccountStale.check(AccountEvidence(account: wechat, asOf: asOf, posts: []), indicators: indicators)
        let zombie = AccountZombie.check(AccountEvidence(account: wechat, asOf: asOf, posts: []), indicators: indicators)
        let closure = AccountClosureUnfiled.check(AccountEvidence(account: app, asOf: asOf, posts: []), indicators: indicators)
        let accountFindings = [stale, zombie].compactMap { $0 }
        let scorer = Scorer(indicators: indicators)
        let results = PeriodResults(
            runs: [],
            scorecards: [card, scorer.score(accountTarget(wechat), findings: accountFindings), scorer.score(accountTarget(app), findings: [closure].compactMap { $0 })],
            findings: accountFindings + [closure].compactMap { $0 },
            runOfTarget: ["site \(portal.code)": "r-20220331-0001", "account hxfb": "r-20220331-0001", "account cn.gov.hongxi.zwt": "r-20220331-0001"])
        let empty = PeriodResults(runs: [], scorecards: [], findings: [], runOfTarget: [:])
        let notice = NoticeBuilder(settings: NoticeSettings(), today: ChinaTime.parseDay("2022-04-10")!).build(
            NoticeInput(
                period: q1, results: results, tickets: [], previousResults: empty, previousTickets: [], sites: [portal],
                accounts: [wechat, app]))
        return MarkdownWriter.render(notice)
    }

    @Test func theNoticeShowsBonusAndThePeriodsAndDeadlinesOfTheSet() throws {
        let national = Self.text(indicators: .national2019, bonus: 40)
        #expect(national.contains("1个政府门户网站得分超过加分准入分数，进入加分评分：鸿溪市人民政府得分100分、加分30分、总分130分。"))
        #expect(national.contains("1个账号超过2周未更新"))
        #expect(national.contains("超过3个月未更新，已成为“僵尸账号”"))
        #expect(national.contains("已停用后逾期20天才备案"))

        var province = IndicatorSet.national2019
        province.maxBonus = 10
        province.indicators["account.stale"]?.thresholds?["days"] = 7
        province.indicators["account.zombie"]?.thresholds?["days"] = 60
        province.indicators["account.closure.unfiled"]?.thresholds?["filingDays"] = 10
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("province-\(UUID().uuidString).json")
        try JSONEncoder().encode(province).write(to: url)
        let custom = Self.text(indicators: try IndicatorSet.load(contentsOf: url), bonus: 40)
        #expect(custom.contains("鸿溪市人民政府得分100分、加分10分、总分110分"))
        #expect(custom.contains("1个账号超过1周未更新"))
        #expect(custom.contains("超过2个月未更新，已成为“僵尸账号”"))
        #expect(custom.contains("已停用后逾期40天才备案"))

        #expect(!Self.text(indicators: .national2019, bonus: 0).contains("加分"))
    }
}
