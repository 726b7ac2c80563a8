import Foundation

/// `site.links.broken` (deduction): a link that does not load.
///
/// Rule: a checked link target (page, image, attachment, script, style, frame; on the site or
/// external) answered 4xx/5xx, timed out, failed DNS or connection, or looped in redirects
/// (`LinkEvidence.isBroken`). Homepage links are told apart from links on other pages
/// (`onHomepage`, which the scorer weighs with `homepagePoints`), and internal, external,
/// image and attachment links by `linkKind`.
///
/// One finding per broken target URL (the location key), listing the pages that link to it;
/// the finding's `url` is the homepage when the homepage links to it, else the first
/// referring page. `detail`: `link`, `status` (HTTP status, or null on a transport failure),
/// `error` (超时, 域名解析失败 …, or null), `onHomepage`, `kind` (`page`, `image`,
/// `attachment`, `script`, `style`, `frame`), `external`, `linkKind` (`image`, `attachment`,
/// else `external` or `internal`), `referrers` (up to 20, sorted: the crawler keeps the first
/// few), `referrerCount` (every page linking to it, however many `referrers` lists).
///
/// A link whose server kept answering 429 or 503 (`LinkEvidence.isRateLimited`) was not
/// judged and is not broken: `site.inspection.incomplete` names its host instead.
public enum SiteLinksBroken {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteLinksBroken

    /// The findings of this indicator for one site, in a stable order.
    public static func check(
        site: Target, links: [LinkEvidence], homepageURL: String?, indicators: IndicatorSet
    ) -> [Finding] {
        // The crawler may report a target once per kind or referrer batch: merge by URL.
        var merged: [String: LinkEvidence] = [:]
        for link in links where link.isBroken {
            if var existing = merged[link.url] {
                existing.referrers = Array(Set(existing.referrers + link.referrers))
                existing.onHomepage = existing.onHomepage || link.onHomepage
                existing.referrerCount = [existing.referrerCount, link.referrerCount].compactMap { $0 }.max()
                merged[link.url] = existing
            } else {
                merged[link.url] = link
            }
        }
        let ordered = merged.values.sorted { ($0.onHomepage ? 0 : 1, $0.url) < ($1.onHomepage ? 0 : 1, $1.url) }
        return ordered.map { link in
            let referrers = Array(Set(link.referrers)).sorted()
            let page = link.onHomepage ? (homepageURL ?? referrers.first) : referrers.first
            let linkKind = linkKind(link)
            let failure = link.error ?? link.status.map { "HTTP \($0)" } ?? "无法访问"
            let place = link.onHomepage ? "首页" : (page.map { "页面 \($0) " } ?? "")
            // The crawler keeps a few referrers and counts them all.
            let referrerCount = max(link.referrerCount ?? 0, referrers.count)
            let others = referrerCount > 1 ? "；共\(referrerCount)个页面引用" : ""
            return Finding(
                target: site, indicator: indicator, level: indicators.level(indicator), url: page,
                detail: [
                    "link": .string(link.url), "status": SiteCheckSupport.json(link.status),
                    "error": SiteCheckSupport.json(link.error), "onHomepage": .bool(link.onHomepage),
                    "kind": .string(link.kind.rawValue), "external": .bool(link.external), "linkKind": .string(linkKind),
                    "referrers": .array(referrers.prefix(SiteCheckSupport.detailListLimit).map(JSONValue.string)),
                    "referrerCount": .number(Double(referrerCount)),
                ],
                evidence: "\(place)中的\(chineseName(linkKind)) \(link.url) 无法访问（\(failure)）\(others)",
                locationKey: link.url)
        }
    }

    /// The notice's split: image and attachment links by kind, other links by where they point.
    static func linkKind(_ link: LinkEvidence) -> String {
        switch link.kind {
        case .image: "image"
        case .attachment: "attachment"
        default: link.external ? "external" : "internal"
        }
    }

    private static func chineseName(_ linkKind: String) -> String {
        switch linkKind {
        case "image": "图片链接"
        case "attachment": "附件链接"
        case "external": "外部链接"
        default: "站内链接"
        }
    }
}
