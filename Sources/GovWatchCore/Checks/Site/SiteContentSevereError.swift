import Foundation

/// `site.content.severe-error` (veto): a severe expression error (严重表述错误) on a page or in
/// an attachment.
///
/// Rule: a term of the severe-error dictionary (wrong leader names and titles, mistyped
/// state or party names, wrong or outdated political formulations) found by the content
/// scanner in the text of a crawled page or attachment. Each occurrence names the page, the
/// wrong text and the correct text.
///
/// Grouping: one finding per page (or attachment part) and distinct wrong term — the place a
/// unit corrects, so each stays its own rectification ticket — with the repeats grouped:
/// `occurrences` counts the term on that page, and `count`/`pageCount`/`pages` say how often
/// and where the same error recurs across the whole site (the notice calls out units that
/// repeat the same error). The location key is the page URL (with its part) plus the wrong
/// term with spaces and invisible characters removed, so a page is one ticket however often
/// the error appears and whatever else changes on the site.
///
/// `detail`: `wrong` (as written), `correct`, `occurrences` (on this page), `count` (on the
/// whole site), `pageCount`, `pages` (up to 20 page URLs, site-wide, in URL order), `line`
/// and `column` (first occurrence on the page, 1-based), `part` (sheet or page of an
/// attachment, when the document names one), `attachment`.
public enum SiteContentSevereError {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteContentSevereError

    /// The findings of this indicator for one site, in a stable order.
    public static func check(site: Target, scanned: [ScannedDocument], indicators: IndicatorSet) -> [Finding] {
        // Site-wide repeats of each wrong term.
        var occurrences: [(source: String, problem: ContentProblem)] = []
        for document in scanned {
            for problem in document.result.problems where problem.kind == .severe {
                occurrences.append((SiteCheckSupport.splitPart(document.document.url).url, problem))
            }
        }
        guard !occurrences.isEmpty else { return [] }
        var repeats: [String: RepeatedProblem] = [:]
        for group in RepeatedProblemGrouping.group(occurrences) { repeats[group.evidence] = group }

        var findings: [Finding] = []
        for document in scanned {
            for (term, problems) in ContentFindingSupport.grouped(document.result.problems, kind: .severe) {
                let first = problems[0]
                let correct = first.entry?.correct ?? first.suggestion
                let siteWide = repeats[term]
                let pages = (siteWide?.sources ?? []).sorted()
                let count = siteWide?.count ?? problems.count
                var detail = ContentFindingSupport.baseDetail(document, first: first, occurrences: problems.count)
                detail["wrong"] = .string(first.evidence)
                detail["correct"] = .string(correct)
                detail["count"] = .number(Double(count))
                detail["pageCount"] = .number(Double(pages.count))
                detail["pages"] = .array(pages.prefix(SiteCheckSupport.detailListLimit).map(JSONValue.string))
                let repeatNote = pages.count > 1 ? "；全站同一错误共\(count)处，涉及\(pages.count)个页面" : ""
                findings.append(Finding(
                    target: site, indicator: indicator, level: indicators.level(indicator),
                    url: SiteCheckSupport.splitPart(document.document.url).url, detail: .object(detail),
                    evidence: "严重表述错误：\(ContentFindingSupport.excerpt(document, for: first))（应为“\(correct)”\(repeatNote)）",
                    locationKey: ContentFindingSupport.locationKey(document, kind: .severe, value: term)))
            }
        }
        return findings
    }
}
