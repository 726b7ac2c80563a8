import Foundation

/// `site.https.missing` (notice): the homepage is not served over HTTPS.
///
/// Rule: the homepage does not answer over HTTPS, or its http:// address does not redirect
/// to https:// (`HomepageEvidence.https` false). Judged only when the homepage loaded.
///
/// One target-wide finding at the homepage (location key `https`). `detail`: `homepage`,
/// `finalURL` (where the homepage ended after redirects).
public enum SiteHTTPSMissing {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteHTTPSMissing

    /// The finding of this indicator for one site, or nil when the rule is met.
    public static func check(site: Target, homepage: HomepageEvidence?, indicators: IndicatorSet) -> Finding? {
        guard let homepage, SiteCheckSupport.homepageLoaded(homepage), !homepage.https else { return nil }
        return Finding(
            target: site, indicator: indicator, level: indicators.level(indicator), url: homepage.url,
            detail: ["homepage": .string(homepage.url), "finalURL": .string(homepage.finalURL)],
            evidence: "网站首页未启用HTTPS（\(homepage.finalURL)），或HTTP访问未跳转到HTTPS", locationKey: "https")
    }
}
