import Foundation
import Testing

@testable import GovWatchCore

/// Every value of the indicator set is read by the check that claims it: changing it in a
/// custom indicator file (`--indicators FILE`) changes the result.
enum CustomIndicatorFile {
    /// The shipped set changed by `edit`, written to a file and loaded back as `--indicators` loads it.
    static func load(_ edit: (inout IndicatorSet) -> Void) throws -> IndicatorSet {
        var set = IndicatorSet.national2019
        edit(&set)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("indicators-\(UUID().uuidString).json")
        try JSONEncoder().encode(set).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try IndicatorSet.load(contentsOf: url)
    }
}

@Suite struct ClosureFilingDeadlineTests {
    /// As of 2022-03-31 24:00.
    let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!

    func day(_ text: String) -> CalendarDate { ChinaTime.parseDay(text)! }

    func evidence(
        status: AccountStatus = .stopped, closedOn: String?, filed: String?, platform: Platform = .wechat, downloadable: Bool? = nil
    ) -> AccountEvidence {
        AccountEvidence(
            account: AccountRecord(
                platform: platform, id: "hxcwb", name: "鸿溪创文", unit: "鸿溪市人民政府办公室", status: status,
                closureFiled: filed.map(day), downloadURL: platform == .app ? "http://app.hongxi.gov.cn/download/hxcwb.apk" : nil,
                closedOn: closedOn.map(day)),
            asOf: asOf, posts: [], downloadStillAnswers: downloadable)
    }

    @Test func filedLateIsAFindingSayingHowLate() throws {
        // Stopped 2022-01-10, deadline 2022-02-09, filed 2022-03-01: 20 days late.
        let finding = try #require(AccountClosureUnfiled.check(evidence(closedOn: "2022-01-10", filed: "2022-03-01"), indicators: .national2019))
        #expect(finding.level == .deduction)
        #expect(finding.detail["deadline"] == "2022-02-09")
        #expect(finding.detail["daysLate"] == 20)
        #expect(finding.detail["filingDays"] == 30)
        #expect(finding.detail["closedOn"] == "2022-01-10")
        #expect(finding.detail["closureFiled"] == "2022-03-01")
        #expect(finding.evidence == "微信“鸿溪创文”于2022-01-10停用，2022-03-01才向主管单位备案，超过30天的备案期限（截止2022-02-09）20天")
    }

    @Test func filedInTimeIsNoFinding() {
        #expect(AccountClosureUnfiled.check(evidence(closedOn: "2022-01-10", filed: "2022-02-09"), indicators: .national2019) == nil)
        #expect(AccountClosureUnfiled.check(evidence(status: .closed, closedOn: "2022-01-10", filed: "2022-01-05"), indicators: .national2019) == nil)
        // Without a stop date a filing counts.
        #expect(AccountClosureUnfiled.check(evidence(closedOn: nil, filed: "2022-02-09"), indicators: .national2019) == nil)
    }

    @Test func unfiledIsAFindingOnceTheDeadlineHasPassed() throws {
        // Stopped 2022-03-15: the deadline 2022-04-14 is after the as-of day.
        #expect(AccountClosureUnfiled.check(evidence(closedOn: "2022-03-15", filed: nil), indicators: .national2019) == nil)
        let late = try #require(AccountClosureUnfiled.check(evidence(closedOn: "2022-02-01", filed: nil), indicators: .national2019))
        #expect(late.detail["deadline"] == "2022-03-03")
        #expect(late.detail["daysLate"] == 28)
        #expect(late.evidence == "微信“鸿溪创文”于2022-02-01停用，至今未向主管单位备案，已超过30天的备案期限（截止2022-03-03）28天")
        // No stop date, no filing: reported as before, without a deadline.
        let unknown = try #require(AccountClosureUnfiled.check(evidence(closedOn: nil, filed: nil), indicators: .national2019))
        #expect(unknown.detail["deadline"] == .null)
        #expect(unknown.evidence == "微信“鸿溪创文”已停用但未向主管单位备案")
    }

    @Test func aFilingAfterTheAsOfDayWasNotYetMade() throws {
        let finding = try #require(AccountClosureUnfiled.check(evidence(closedOn: "2022-01-10", filed: "2022-04-20"), indicators: .national2019))
        #expect(finding.detail["daysLate"] == 50)
        #expect(finding.evidence?.contains("至今未向主管单位备案") == true)
    }

    @Test func aStoppedAppStillDownloadableIsAFindingEvenWhenFiledInTime() throws {
        let app = evidence(closedOn: "2022-01-10", filed: "2022-01-20", platform: .app, downloadable: true)
        let finding = try #require(AccountClosureUnfiled.check(app, indicators: .national2019))
        #expect(finding.detail["downloadable"] == true)
        #expect(finding.detail["daysLate"] == .null)
        #expect(finding.evidence == "移动客户端“鸿溪创文”已停用但仍可通过 http://app.hongxi.gov.cn/download/hxcwb.apk 下载")
        let gone = evidence(closedOn: "2022-01-10", filed: "2022-01-20", platform: .app, downloadable: false)
        #expect(AccountClosureUnfiled.check(gone, indicators: .national2019) == nil)
    }

    @Test func theFilingDaysOfACustomFileAreTheDeadline() throws {
        let filedAfter40Days = evidence(closedOn: "2022-01-10", filed: "2022-02-19")
        #expect(AccountClosureUnfiled.check(filedAfter40Days, indicators: .national2019)?.detail["daysLate"] == 10)
        let lenient = try CustomIndicatorFile.load { $0.indicators["account.closure.unfiled"]?.thresholds?["filingDays"] = 60 }
        #expect(AccountClosureUnfiled.check(filedAfter40Days, indicators: lenient) == nil)
        let strict = try CustomIndicatorFile.load { $0.indicators["account.closure.unfiled"]?.thresholds?["filingDays"] = 15 }
        #expect(AccountClosureUnfiled.check(filedAfter40Days, indicators: strict)?.detail["daysLate"] == 25)
    }

    @Test func theStopDateIsAnImportColumn() throws {
        let csv = "platform,id,name,unit,status,closure_filed,closed_on\nwechat,hxcwb,鸿溪创文,鸿溪市人民政府办公室,stopped,2022-03-01,2022-01-10\n"
        let parsed = try RegistryCSV.parseAccounts(Data(csv.utf8), file: "accounts.csv")
        #expect(parsed.rows.first?.record.closedOn == CalendarDate(year: 2022, month: 1, day: 10))
        let chinese = "平台,账号ID,账号名称,主办单位,状态,停用注销日期\n微信,hxcwb,鸿溪创文,鸿溪市人民政府办公室,停用,2022-02-30\n"
        #expect(throws: ImportError.self) { _ = try RegistryCSV.parseAccounts(Data(chinese.utf8), file: "accounts.csv") }
        do {
            _ = try RegistryCSV.parseAccounts(Data(chinese.utf8), file: "accounts.csv")
        } catch {
            #expect(error.field == "停用注销日期")
            #expect(error.line == 2)
        }
    }
}

@Suite struct GovernmentDomainRulesTests {
    let portal = SiteRecord(
        code: "4390000001", name: "鸿溪市人民政府", url: "http://www.hongxi.gov.cn/", kind: .portal, unit: "鸿溪市人民政府办公室",
        parent: "鸿溪市人民政府")
    let countyPortal = SiteRecord(
        code: "4390210001", name: "青山县人民政府", url: "http://www.qingshan.gov.cn/", kind: .portal, unit: "青山县人民政府办公室",
        parent: "青山县人民政府")

    func department(_ url: String, parent: String = "鸿溪市人民政府", aliases: [String] = []) -> SiteRecord {
        SiteRecord(
            code: "4390000006", name: "鸿溪市发展和改革委员会", url: url, kind: .department, unit: "鸿溪市发展和改革委员会", parent: parent,
            aliases: aliases)
    }

    func rules(_ site: SiteRecord, alternates: [String] = []) -> [String] {
        let domain = GovernmentDomain.governmentDomain(of: site, registry: [portal, countyPortal, site])
        return SiteDomainNoncompliant.check(site: site, alternateHosts: alternates, governmentDomain: domain, indicators: .national2019)
            .compactMap { $0.detail["rule"]?.stringValue }
    }

    @Test func theGovernmentDomainIsThatOfThePortalOfTheSitesParent() {
        #expect(GovernmentDomain.governmentDomain(of: department("http://fgw.hongxi.gov.cn/"), registry: [portal, countyPortal]) == "hongxi.gov.cn")
        let county = department("http://wjj.qingshan.gov.cn/", parent: "青山县人民政府")
        #expect(GovernmentDomain.governmentDomain(of: county, registry: [portal, countyPortal]) == "qingshan.gov.cn")
        #expect(GovernmentDomain.governmentDomain(of: county, registry: [portal]) == nil)
        #expect(GovernmentDomain.governmentDomain(of: portal, registry: [portal]) == nil)
    }

    @Test func aDepartmentOutsideItsGovernmentsDomainIsFound() throws {
        #expect(rules(department("http://fgw.hongxi.gov.cn/")).isEmpty)
        #expect(rules(department("http://fgw.qingshan.gov.cn/")) == ["outside-government-domain"])
        #expect(rules(department("http://hongxifgw.gov.cn/")) == ["outside-government-domain"])
        let site = department("http://fgw.qingshan.gov.cn/")
        let finding = try #require(SiteDomainNoncompliant.check(
            site: site, alternateHosts: [], governmentDomain: GovernmentDomain.governmentDomain(of: site, registry: [portal]),
            indicators: .national2019).first)
        #expect(finding.detail["expected"] == "hongxi.gov.cn")
        #expect(finding.evidence == "部门网站域名fgw.qingshan.gov.cn不在本级政府门户网站域名hongxi.gov.cn之下")
    }

    @Test func chineseGovernmentDomainsAreGovernmentDomains() throws {
        let chinesePortal = SiteRecord(
            code: "4390000001", name: "鸿溪市人民政府", url: "http://鸿溪市人民政府.政务/", kind: .portal, unit: "鸿溪市人民政府办公室")
        #expect(rules(chinesePortal).isEmpty)
        #expect(rules(department("http://鸿溪市发展和改革委员会.政务/")).isEmpty)
        #expect(rules(department("http://xn--gmq658ainal6so7i63dgq4i.xn--zfr164b/")).isEmpty)
        #expect(GovernmentDomain.isGovernment("xn--gmq658ainal6so7i63dgq4i.xn--zfr164b"))
        #expect(GovernmentDomain.isGovernment("鸿溪市人民政府.政务"))
        #expect(!GovernmentDomain.isGovernment("www.hongxi.cn"))
        #expect(!GovernmentDomain.isGovernment("gov.cn.example.com"))
        #expect(GovernmentDomain.asciiHost("http://鸿溪市人民政府.政务:8080/index.html") == "xn--gmq658ainal6so7i63dgq4i.xn--zfr164b")
        #expect(GovernmentDomain.display("xn--gmq658ainal6so7i63dgq4i.xn--zfr164b") == "鸿溪市人民政府.政务")
        // A .政务 name is still a finding on a site whose host is outside both.
        let finding = try #require(SiteDomainNoncompliant.check(
            site: department("http://www.hxfgw.com/"), alternateHosts: [], governmentDomain: nil, indicators: .national2019).first)
        #expect(finding.evidence == "部门网站使用非政府域名www.hxfgw.com，应使用.gov.cn或.政务域名")
    }

    @Test func oneEnglishAndOneChineseDomainAreAllowedButNotTwoOfEither() throws {
        let chinese = "xn--gmq658ainal6so7i63dgq4i.xn--zfr164b"
        #expect(rules(portal, alternates: [chinese, "hongxi.gov.cn"]).isEmpty)
        #expect(rules(portal, alternates: ["www.hongxi.cn"]) == ["several-domains"])
        #expect(rules(portal, alternates: [chinese, "鸿溪市政府.政务"]) == ["several-domains"])
        let finding = try #require(SiteDomainNoncompliant.check(
            site: portal, alternateHosts: [chinese, "www.hongxi.cn", "hongxi.cn"], governmentDomain: nil, indicators: .national2019).first)
        #expect(finding.detail["hosts"] == .array(["www.hongxi.gov.cn", "hongxi.cn", .string(chinese)]))
        #expect(finding.evidence == "同一网站可通过多个域名访问：www.hongxi.gov.cn、hongxi.cn、鸿溪市人民政府.政务，原则上只应保留一个英文域名和一个中文域名（2个英文域名、1个中文域名）")
    }

    @Test func hiddenLinksToAChineseGovernmentDomainAreNotDarkLinks() {
        let page = "http://fgw.hongxi.gov.cn/"
        let findings = SiteDarkLink.check(
            site: Target(kind: .site, code: "4390000006", name: "鸿溪市发展和改革委员会"),
            hiddenLinks: [
                HiddenLinkEvidence(page: page, link: "http://鸿溪市人民政府.政务/", text: "鸿溪市人民政府", hiding: "display:none"),
                HiddenLinkEvidence(page: page, link: "http://www.hg8868-bet.com/", text: "在线体育", hiding: "display:none"),
            ],
            ownHosts: ["fgw.hongxi.gov.cn"], homepageURLs: [page], indicators: .national2019)
        #expect(findings.map { $0.detail["link"] } == ["http://www.hg8868-bet.com/"])
    }

    @Test func otherDomainsAreAnImportColumnInASCIIForm() throws {
        let csv = "网站标识码,网站名称,首页网址,网站类型,主办单位,其他域名\n4390000001,鸿溪市人民政府,http://www.hongxi.gov.cn/,政府门户网站,鸿溪市人民政府办公室,鸿溪市人民政府.政务；http://www.hongxi.cn/\n"
        let parsed = try RegistryCSV.parseSites(Data(csv.utf8), file: "sites.csv")
        #expect(parsed.rows.first?.record.aliases == ["xn--gmq658ainal6so7i63dgq4i.xn--zfr164b", "www.hongxi.cn"])
        let bad = "网站标识码,网站名称,首页网址,网站类型,主办单位,其他域名\n4390000001,鸿溪市人民政府,http://www.hongxi.gov.cn/,政府门户网站,鸿溪市人民政府办公室,hongxi\n"
        do {
            _ = try RegistryCSV.parseSites(Data(bad.utf8), file: "sites.csv")
            Issue.record("a name without a dot was accepted as a domain")
        } catch {
            #expect(error.field == "其他域名")
            #expect(error.reason == "“hongxi”不是有效的域名")
        }
    }
}

@Suite struct BonusScoringTests {
    let portal = Target(kind: .site, code: "4390000001", name: "鸿溪市人民政府")

    func card(_ score: Double, vetoes: [IndicatorID] = []) -> Scorecard {
        Scorecard(target: portal, score: score, vetoes: vetoes, passed: vetoes.isEmpty && score >= 60)
    }

    @Test func onlyAPortalAboveTheEntryScoreGetsBonusCappedAtTheMaximum() {
        let rule = BonusRule(indicators: .national2019)
        #expect(rule == BonusRule(entryScore: 80, maxBonus: 30))
        #expect(rule.applied(12, to: card(85)) == 12)
        #expect(rule.applied(45, to: card(85)) == 30)
        #expect(rule.applied(12, to: card(80)) == 0)
        #expect(rule.applied(12, to: card(95, vetoes: [.siteHomepageStale])) == 0)
        let entry = BonusEntry(run: "r-20220331-0001", siteCode: portal.code, points: 45, reason: "创新", rule: rule, enteredAt: Date())
        let scored = entry.apply(to: card(92))
        #expect((scored.score, scored.bonus, scored.total) == (92, 30, 122))
    }

    @Test func theBonusRuleOfACustomFileApplies() throws {
        let set = try CustomIndicatorFile.load {
            $0.bonusEntryScore = 90
            $0.maxBonus = 10
        }
        let rule = Scorer(indicators: set).bonusRule
        #expect(rule.applied(25, to: card(85)) == 0)
        #expect(rule.applied(25, to: card(95)) == 10)
    }

    @Test func theTotalFollowsTheScoreAndTheBonus() {
        var scored = card(70)
        #expect(scored.total == 70)
        scored.bonus = 5
        #expect(scored.total == 75)
        scored.score = 90
        #expect(scored.total == 95)
    }
}

@Suite struct IndicatorValuesAreReadTests {
    let site = Target(kind: .site, code: "4390000002", name: "鸿溪市教育局")

    func finding(_ indicator: IndicatorID, _ key: String, onHomepage: Bool? = nil) -> Finding {
        Finding(
            target: site, indicator: indicator, level: .deduction, url: nil,
            detail: onHomepage.map { ["onHomepage": .bool($0)] } ?? [:], locationKey: key)
    }

    @Test func theProbeTimeoutIsSiteUnreachablesTimeoutSeconds() throws {
        #expect(IndicatorSet.national2019.probeTimeoutSeconds == 15)
        let set = try CustomIndicatorFile.load { $0.indicators["site.unreachable"]?.thresholds?["timeoutSeconds"] = 3 }
        #expect(set.probeTimeoutSeconds == 3)
    }

    /// points, maxPoints and homepagePoints of every deduction indicator.
    @Test(arguments: IndicatorID.all.filter { IndicatorSet.national2019.level($0) == .deduction })
    func pointsAndTheirCapsAreRead(_ indicator: IndicatorID) throws {
        let rule = IndicatorSet.national2019.rule(indicator)
        let points = try #require(rule.points)
        let one = Scorer(indicators: .national2019).score(site, findings: [finding(indicator, "a")])
        #expect(one.score == 100 - points)
        let halved = try CustomIndicatorFile.load { $0.indicators[indicator.rawValue]?.points = points / 2 }
        #expect(Scorer(indicators: halved).score(site, findings: [finding(indicator, "a")]).score == 100 - points / 2)
        // Many findings stop at maxPoints; a custom cap moves the floor.
        let many = (1...40).map { finding(indicator, "\($0)") }
        let cap = try #require(rule.maxPoints)
        #expect(Scorer(indicators: .national2019).score(site, findings: many).score == 100 - cap)
        let capped = try CustomIndicatorFile.load { $0.indicators[indicator.rawValue]?.maxPoints = cap + 1 }
        #expect(Scorer(indicators: capped).score(site, findings: many).score == 99 - cap)
        if let homepage = rule.homepagePoints {
            #expect(Scorer(indicators: .national2019).score(site, findings: [finding(indicator, "h", onHomepage: true)]).score == 100 - homepage)
        }
    }

    @Test func theColumnVetoSaysThePeriodsOfTheSet() throws {
        #expect(SiteColumnsStaleVeto.periods(.national2019) == "动态要闻类栏目（2周）及一级通知公告、政策文件类栏目（6个月）")
        let set = try CustomIndicatorFile.load {
            $0.indicators["site.column.stale"]?.thresholds?["newsDays"] = 7
            $0.indicators["site.column.stale"]?.thresholds?["noticeDays"] = 90
        }
        #expect(SiteColumnsStaleVeto.periods(set) == "动态要闻类栏目（1周）及一级通知公告类栏目（90天）、一级政策文件类栏目（6个月）")
    }

    @Test func thePassMarkIsRead() throws {
        let findings = (1...20).map { finding(.siteLinksBroken, "\($0)") }
        #expect(Scorer(indicators: .national2019).score(site, findings: findings).passed)
        let strict = try CustomIndicatorFile.load { $0.passMark = 95 }
        #expect(!Scorer(indicators: strict).score(site, findings: findings).passed)
    }
}
