import Foundation

/// `site.search.missing` (notice): no working site search.
///
/// Rule: the homepage has no search form or link, or its search target does not load
/// (`HomepageEvidence.searchWorks` false). Judged only when the homepage loaded.
///
/// One target-wide finding at the homepage (location key `search`). `detail`: `homepage`.
public enum SiteSearchMissing {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteSearchMissing

    /// The finding of this indicator for one site, or nil when the rule is met.
    public static func check(site: Target, homepage: HomepageEvidence?, indicators: IndicatorSet) -> Finding? {
        guard let homepage, SiteCheckSupport.homepageLoaded(homepage), !homepage.searchWorks else { return nil }
        return Finding(
            target: site, indicator: indicator, level: indicators.level(indicator), url: homepage.url,
            detail: ["homepage": .string(homepage.url)],
            evidence: "网站首页没有可用的站内搜索（无搜索框，或搜索页无法打开）", locationKey: "search")
    }
}
