import Foundation

/// `site.content.sensitive` (notice): a term of the sensitive-word list on a page or in an
/// attachment.
///
/// Rule: a term of the configurable sensitive-word list (reactionary, violent,
/// pornographic, gambling, advertising — often spam planted in a tampered page) found by the
/// content scanner. Recorded for a person to review; no points.
///
/// One finding per page (or attachment part) and distinct term; the location key is the
/// page URL plus the term with spaces and invisible characters removed. `detail`: `term`
/// (as written), `suggestion`, `occurrences` (on this page), `line`, `column` (first
/// occurrence), `part` (sheet or page of an attachment), `attachment`.
public enum SiteContentSensitive {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteContentSensitive

    /// The findings of this indicator for one site, in a stable order.
    public static func check(site: Target, scanned: [ScannedDocument], indicators: IndicatorSet) -> [Finding] {
        scanned.flatMap { document in
            ContentFindingSupport.grouped(document.result.problems, kind: .sensitive).map { term, problems in
                let first = problems[0]
                var detail = ContentFindingSupport.baseDetail(document, first: first, occurrences: problems.count)
                detail["term"] = .string(first.evidence)
                detail["suggestion"] = .string(first.suggestion)
                let times = problems.count > 1 ? "（本页共\(problems.count)处）" : ""
                return Finding(
                    target: site, indicator: indicator, level: indicators.level(indicator),
                    url: SiteCheckSupport.splitPart(document.document.url).url, detail: .object(detail),
                    evidence: "敏感词“\(first.evidence)”\(times)：\(ContentFindingSupport.excerpt(document, for: first))",
                    locationKey: ContentFindingSupport.locationKey(document, kind: .sensitive, value: term))
            }
        }
    }
}
