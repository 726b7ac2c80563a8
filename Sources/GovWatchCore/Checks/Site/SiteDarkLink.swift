import Foundation

/// `site.dark-link` (deduction): hidden links pointing outside the government domain (暗链).
///
/// Rule: a link hidden from readers (display:none, visibility:hidden, zero size, off-screen)
/// whose host is neither under .gov.cn nor one of the site's own hosts — a sign the site was
/// tampered with. Hidden links inside the government domain (a collapsed menu) are not
/// findings, nor are relative, `javascript:` or `mailto:` links.
///
/// One finding per hidden target URL (the location key), listing the pages carrying it; the
/// finding's `url` is the homepage when the homepage carries it, else the first page.
/// `detail`: `link`, `host`, `text` (the link text), `hidden` (how it is hidden, or null),
/// `onHomepage`, `pages` (up to 20, sorted), `pageCount`.
public enum SiteDarkLink {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteDarkLink

    /// The findings of this indicator for one site, in a stable order.
    public static func check(
        site: Target, hiddenLinks: [HiddenLinkEvidence], ownHosts: Set<String>, homepageURLs: Set<String>,
        indicators: IndicatorSet
    ) -> [Finding] {
        var byLink: [String: [HiddenLinkEvidence]] = [:]
        for hidden in hiddenLinks {
            guard let host = SiteCheckSupport.host(of: hidden.link), !SiteCheckSupport.isGovernmentHost(host),
                !ownHosts.contains(host)
            else { continue }
            byLink[hidden.link, default: []].append(hidden)
        }
        let entries = byLink.map { link, seen -> (link: String, seen: [HiddenLinkEvidence], onHomepage: Bool) in
            (link, seen, seen.contains { homepageURLs.contains($0.page) })
        }
        return entries.sorted { ($0.onHomepage ? 0 : 1, $0.link) < ($1.onHomepage ? 0 : 1, $1.link) }.map { entry in
            let pages = Array(Set(entry.seen.map(\.page))).sorted()
            let homepage = entry.seen.first { homepageURLs.contains($0.page) }?.page
            let page = homepage ?? pages[0]
            let example = entry.seen.first { $0.page == page } ?? entry.seen[0]
            let host = SiteCheckSupport.host(of: entry.link) ?? entry.link
            let hiding = entry.seen.compactMap(\.hiding).first
            let how = hiding.map { "（\($0)）" } ?? ""
            let place = entry.onHomepage ? "首页" : "页面"
            let others = pages.count > 1 ? "；共\(pages.count)个页面含此链接" : ""
            let text = example.text.trimmingCharacters(in: .whitespacesAndNewlines)
            return Finding(
                target: site, indicator: indicator, level: indicators.level(indicator), url: page,
                detail: [
                    "link": .string(entry.link), "host": .string(host), "text": .string(text),
                    "hidden": SiteCheckSupport.json(hiding), "onHomepage": .bool(entry.onHomepage),
                    "pages": .array(pages.prefix(SiteCheckSupport.detailListLimit).map(JSONValue.string)),
                    "pageCount": .number(Double(pages.count)),
                ],
                evidence: "\(place)隐藏链接\(how)“\(text)”指向政府网站域名之外的\(host)\(others)",
                locationKey: entry.link)
        }
    }
}
