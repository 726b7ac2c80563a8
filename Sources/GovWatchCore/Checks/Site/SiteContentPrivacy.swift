import Foundation

/// `site.content.privacy` (deduction, configurable to veto): personal information exposed in
/// a published page or an attached document.
///
/// Rule: the personal-information scanner finds, in a page's or attachment's text, an
/// 18-digit 居民身份证号 with a valid GB 11643 check character (or a 15-digit old one), a
/// mainland mobile number, a bank card number passing the Luhn check, or the health
/// condition of a named person (确诊/患有/病史/残疾 … near a name). Values already masked
/// (138****1234) are not findings. Nothing leaves this check in clear: `masked` and the
/// evidence excerpt carry the masked value, and other personal information in the excerpt
/// is de-identified too. The level comes from the indicator file, so a province can make it
/// a veto.
///
/// One finding per page (or attachment part), kind and masked value (the location key),
/// so the same number twice on a page is one finding with `occurrences` 2.
/// `detail`: `kind` (`id-card`, `mobile`, `bank-card`, `health`), `masked`, `occurrences`,
/// `line`, `column` (first occurrence, 1-based), `columnCategory` (the column type the page
/// belongs to — 领导信箱 `consultation`, 公告公示 `notice` … — or null when unknown),
/// `attachment`, `part` (the sheet or page of an attachment, when the document names one;
/// also `sheet` for spreadsheets).
public enum SiteContentPrivacy {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteContentPrivacy

    /// The findings of this indicator for one site, in a stable order.
    public static func check(site: Target, scanned: [ScannedDocument], indicators: IndicatorSet) -> [Finding] {
        scanned.flatMap { document -> [Finding] in
            var order: [String] = []
            var groups: [String: [ContentProblem]] = [:]
            for problem in document.result.problems where problem.kind.isPersonalInformation {
                let key = "\(problem.kind.rawValue)\u{1F}\(problem.evidence)"
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(problem)
            }
            return order.map { key in
                let problems = groups[key]!
                let first = problems[0]
                var detail = ContentFindingSupport.baseDetail(document, first: first, occurrences: problems.count)
                detail["kind"] = .string(first.kind.rawValue)
                detail["masked"] = .string(first.evidence)
                detail["columnCategory"] = SiteCheckSupport.json(document.document.columnCategory?.rawValue)
                let place = document.document.columnCategory.map { "（\($0.chineseName)栏目）" } ?? ""
                let container = document.document.isAttachment ? "附件" : "页面"
                let times = problems.count > 1 ? "，本\(container)共\(problems.count)处" : ""
                return Finding(
                    target: site, indicator: indicator, level: indicators.level(indicator),
                    url: SiteCheckSupport.splitPart(document.document.url).url, detail: .object(detail),
                    evidence: "\(container)\(place)公开了\(first.kind.chineseName)\(times)：\(ContentFindingSupport.excerpt(document, for: first))",
                    locationKey: ContentFindingSupport.locationKey(document, kind: first.kind, value: first.evidence))
            }
        }
    }
}
