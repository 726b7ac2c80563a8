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
/// `detail`: `link`, `host`, `text` (the link text), `hidden` (how it is hidden, as the
/// extractor recorded it, e.g. `display:none`, `off-screen`, `class:…`, `parent`; or null),
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
            let how = hiding.map { "（\(hidingDescription($0))）" } ?? ""
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

    /// How a link was hidden, in Chinese, from the extractor's words (`display:none`,
    /// `visibility:hidden`, `zero-size`, `off-screen`, `class`, `parent` …, possibly joined
    /// by `+` or `;`); a word it does not know is shown as it is.
    public static func hidingDescription(_ hiding: String) -> String {
        let words = hiding.split(whereSeparator: { $0 == "+" || $0 == ";" || $0 == "," }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let described = words.filter { !$0.isEmpty }.map { word -> String in
            let lower = word.lowercased().replacingOccurrences(of: " ", with: "")
            if lower.contains("display:none") || lower == "display" { return "display:none隐藏" }
            if lower.contains("visibility:hidden") || lower == "visibility" { return "visibility:hidden隐藏" }
            if lower.contains("zero") || lower.contains("size") { return "尺寸为零" }
            if lower.contains("off-screen") || lower.contains("offscreen") || lower.contains("position") { return "定位到屏幕之外" }
            if lower.contains("class") || lower.contains("stylesheet") { return "样式表中的类（\(word)）隐藏" }
            if lower.contains("parent") || lower.contains("ancestor") { return "所在父元素被隐藏" }
            if lower.contains("opacity") { return "透明度为零" }
            if lower.contains("hidden") { return "hidden属性隐藏" }
            return word
        }
        return described.isEmpty ? hiding : described.joined(separator: "、")
    }
}
