import Foundation
import GovWatchCore

/// A department site of 鸿溪市 as of 2022-03-31 (24:00), clean unless a test changes it.
enum SiteFixtures {
    static let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!
    static let today = CalendarDate(year: 2022, month: 3, day: 31)!

    static func day(_ text: String) -> CalendarDate { ChinaTime.parseDay(text)! }
    static func daysAgo(_ days: Int) -> CalendarDate { today.adding(days: -days) }

    static let site = SiteRecord(
        code: "4301000012", name: "鸿溪市发展和改革委员会", url: "http://fgw.hongxi.gov.cn/", kind: .department,
        unit: "鸿溪市发展和改革委员会", parent: "鸿溪市人民政府", icp: "湘ICP备05001234号-1", police: "湘公网安备 43010202000123号")
    static var target: Target { Target(kind: .site, code: site.code, name: site.name) }
    static let homepageURL = "http://fgw.hongxi.gov.cn/"

    static let identity = FooterIdentity(
        siteCode: "4301000012", icp: "湘ICP备05001234号-1", police: "湘公网安备 43010202000123号",
        sponsor: "鸿溪市发展和改革委员会", partyGovBadge: true)

    static func homepage(
        items: [DatedItem]? = nil, identity: FooterIdentity = identity, searchWorks: Bool = true, https: Bool = true,
        loaded: Bool = true, newestSecondLevelDate: CalendarDate? = nil
    ) -> HomepageEvidence {
        HomepageEvidence(
            url: homepageURL, finalURL: https ? "https://fgw.hongxi.gov.cn/" : homepageURL, loaded: loaded,
            status: loaded ? 200 : nil, identity: identity,
            items: items ?? [
                DatedItem(title: "市发展改革委召开重点项目调度会", url: homepageURL + "xwdt/202203/t20220329_1.html", date: daysAgo(2)),
                DatedItem(title: "关于2022年价格监测工作的通知", url: homepageURL + "tzgg/202203/t20220320_2.html", date: daysAgo(11)),
            ],
            newestSecondLevelDate: newestSecondLevelDate, searchWorks: searchWorks, https: https)
    }

    /// A column whose items carry `dates` (nil: an undated item), newest first as crawled.
    static func column(
        _ name: String, _ folder: String, _ category: ColumnCategory, dates: [CalendarDate?], topLevel: Bool = true,
        periodDays: Int? = nil, loaded: Bool = true, placeholderOnly: Bool = false, discovered: Bool = false
    ) -> ColumnEvidence {
        let url = homepageURL + folder + "/index.html"
        let items = dates.enumerated().map { index, date in
            DatedItem(title: "\(name)信息\(index + 1)", url: homepageURL + folder + "/t\(index + 1).html", date: date)
        }
        return ColumnEvidence(
            column: ColumnRecord(
                site: site.code, name: name, url: url, category: category, periodDays: periodDays, topLevel: topLevel),
            discovered: discovered, loaded: loaded, items: items, placeholderOnly: placeholderOnly)
    }

    /// A news column last updated `days` days before the as-of day.
    static func news(_ name: String, _ folder: String, lastUpdated days: Int) -> ColumnEvidence {
        column(name, folder, .news, dates: [daysAgo(days), daysAgo(days + 10)])
    }

    static let mailboxURL = homepageURL + "hdjl/ldxx/index.html"

    static func cleanColumns() -> [ColumnEvidence] {
        [
            news("工作动态", "gzdt", lastUpdated: 2),
            column("通知公告", "tzgg", .notice, dates: [daysAgo(11), daysAgo(40)]),
            column("政策文件", "zcwj", .policy, dates: [daysAgo(60)]),
            column("人事信息", "rsxx", .personnel, dates: [daysAgo(200)]),
            column("规划计划", "ghjh", .planning, dates: [daysAgo(300)]),
            column("主任信箱", "hdjl/ldxx", .consultation, dates: [daysAgo(3), daysAgo(9)]),
        ]
    }

    static func cleanMessages() -> [ConsultationMessage] {
        [
            ConsultationMessage(
                url: homepageURL + "hdjl/ldxx/1.html", title: "咨询企业投资项目备案流程", askedOn: daysAgo(9), answeredOn: daysAgo(7),
                status: "已回复", columnURL: mailboxURL),
            ConsultationMessage(
                url: homepageURL + "hdjl/ldxx/2.html", title: "关于天然气价格调整的建议", askedOn: daysAgo(3), answeredOn: daysAgo(2),
                status: "已回复", columnURL: mailboxURL),
        ]
    }

    /// 140 successful probes spread over the 7 days before the as-of time.
    static func cleanProbes() -> [Probe] {
        (0..<140).map { index in
            Probe(siteCode: site.code, at: asOf.addingTimeInterval(-7 * 86_400 + Double(index) * 4_320), ok: true, status: 200)
        }
    }

    static func cleanEvidence() -> SiteEvidence {
        SiteEvidence(
            site: site, asOf: asOf, homepage: homepage(), columns: cleanColumns(),
            links: [
                LinkEvidence(
                    url: homepageURL + "gzdt/index.html", kind: .page, external: false, status: 200, error: nil,
                    referrers: [homepageURL], onHomepage: true),
                LinkEvidence(
                    url: "https://www.gov.cn/", kind: .page, external: true, status: 200, error: nil, referrers: [homepageURL],
                    onHomepage: true),
            ],
            documents: [
                DocumentEvidence(
                    url: homepageURL + "xwdt/202203/t20220329_1.html", title: "市发展改革委召开重点项目调度会",
                    text: "会议强调，要深入学习贯彻《中华人民共和国预算法》，加快重点项目建设。咨询电话：0734-8888888。",
                    columnCategory: .news),
            ],
            hiddenLinks: [HiddenLinkEvidence(page: homepageURL, link: "http://www.hongxi.gov.cn/", text: "市政府门户", hiding: "display:none")],
            messages: cleanMessages(), probes: cleanProbes(), alternateHosts: [], governmentDomain: "hongxi.gov.cn")
    }

    /// A small dictionary, so content tests do not depend on the shipped lists.
    static let scanner = try! ContentScanner(dictionary: ContentDictionary(entries: [
        DictionaryEntry(wrong: "中华人民共合国", correct: "中华人民共和国", category: .severe),
        DictionaryEntry(wrong: "中国共惨党", correct: "中国共产党", category: .severe),
        DictionaryEntry(wrong: "六合彩", correct: "", category: .sensitive),
        DictionaryEntry(wrong: "代开发票", correct: "", category: .sensitive),
    ]))

    /// The indicator set with one indicator's level changed.
    static func indicators(_ indicator: IndicatorID, level: Level) -> IndicatorSet {
        var set = IndicatorSet.national2019
        set.indicators[indicator.rawValue]?.level = level
        return set
    }
}
