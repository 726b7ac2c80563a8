import Foundation

/// `site.homepage.stale` (veto): nothing new on the homepage within 14 days.
///
/// Rule (国办秘函〔2019〕19号, 首页不更新, 监测2周): the newest dated item on the homepage is
/// more than `days` (14) days before the as-of day; an item exactly 14 days old is still
/// fresh. For a homepage that is only a navigation entry, the newest date among its
/// second-level pages counts as well. Items without a date do not count as updates
/// (未注明信息发布时间的视为不更新), and items dated after the as-of day are ignored, so a
/// past quarter re-inspected today is judged as it stood then. Judged only when the homepage
/// loaded (an unreachable site is `site.unreachable`'s finding).
///
/// `detail`: `lastUpdated` (YYYY-MM-DD, null when nothing is dated), `daysSinceUpdate`
/// (null likewise), `limitDays`, `source` (`homepage` or `second-level`: where the newest
/// date was found), `items` (items seen on the homepage), `undatedItems`.
public enum SiteHomepageStale {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteHomepageStale

    /// The finding of this indicator for one site, or nil when the rule is met.
    public static func check(site: Target, homepage: HomepageEvidence?, asOf: Date, indicators: IndicatorSet) -> Finding? {
        guard let homepage, SiteCheckSupport.homepageLoaded(homepage) else { return nil }
        let limit = Int(indicators.threshold(indicator, "days", default: 14))
        let today = SiteCheckSupport.lastDay(coveredBy: asOf)
        let homepageNewest = homepage.items.compactMap(\.date).filter { $0 <= today }.max()
        let secondLevelNewest = homepage.newestSecondLevelDate.flatMap { $0 <= today ? $0 : nil }
        let newest = [homepageNewest, secondLevelNewest].compactMap { $0 }.max()
        let age = newest.map { $0.days(to: today) }
        if let age, age <= limit { return nil }

        let source = newest != nil && newest == secondLevelNewest && newest != homepageNewest ? "second-level" : "homepage"
        let undated = homepage.items.filter { $0.date == nil }.count
        let evidence: String
        if let newest, let age {
            let place = source == "second-level" ? "首页及二级页面最新信息" : "首页最新信息"
            evidence = "\(place)发布于\(newest)，距监测时间点\(age)天，超过\(limit)天未更新"
        } else if homepage.items.isEmpty {
            evidence = "首页及二级页面均未找到注明发布日期的信息，视为超过\(limit)天未更新"
        } else {
            evidence = "首页\(homepage.items.count)条信息均未注明发布时间，视为未更新（监测周期\(limit)天）"
        }
        return Finding(
            target: site, indicator: indicator, level: indicators.level(indicator), url: homepage.url,
            detail: [
                "lastUpdated": SiteCheckSupport.json(newest?.description), "daysSinceUpdate": SiteCheckSupport.json(age),
                "limitDays": .number(Double(limit)), "source": .string(source),
                "items": .number(Double(homepage.items.count)), "undatedItems": .number(Double(undated)),
            ],
            evidence: evidence, locationKey: "homepage")
    }
}
