import Foundation

/// `site.identity.missing` (deduction): the footer lacks a required identity item, or shows
/// a 网站标识码 other than the registered one.
///
/// Rule (国办发〔2017〕47号): every government site's footer shows its 网站标识码 (10 digits for
/// local sites, "bm" + 8 digits for central departments), ICP备案号, 公安机关备案号, 主办单位,
/// and the 党政机关网站标识 (all registered sites are Party/government sites). A code on the
/// page (footer or `SiteIDCode` meta tag) that differs from the registered one, ignoring
/// case and spaces, is a finding of its own. Judged on the homepage, only when it loaded.
///
/// One finding per missing item (the location key is the item), so each is scored and
/// rectified on its own. `detail`: `missing` (`site-code`, `icp`, `police`, `sponsor`,
/// `badge`, or `code-mismatch`), `item` (its Chinese name); for `code-mismatch` also
/// `shown` (on the page) and `registered`.
public enum SiteIdentityMissing {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteIdentityMissing

    /// The findings of this indicator for one site, in a stable order.
    public static func check(site: SiteRecord, homepage: HomepageEvidence?, indicators: IndicatorSet) -> [Finding] {
        guard let homepage, SiteCheckSupport.homepageLoaded(homepage) else { return [] }
        let target = Target(kind: .site, code: site.code, name: site.name)
        let identity = homepage.identity
        func present(_ value: String?) -> Bool { !(value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        let items: [(key: String, name: String, present: Bool)] = [
            ("site-code", "网站标识码", present(identity.siteCode)),
            ("icp", "ICP备案号", present(identity.icp)),
            ("police", "公安机关备案号", present(identity.police)),
            ("sponsor", "主办单位", present(identity.sponsor)),
            ("badge", "党政机关网站标识", identity.partyGovBadge),
        ]
        var findings: [Finding] = []
        for item in items where !item.present {
            findings.append(Finding(
                target: target, indicator: indicator, level: indicators.level(indicator), url: homepage.url,
                detail: ["missing": .string(item.key), "item": .string(item.name)],
                evidence: "网站首页页脚缺少\(item.name)", locationKey: item.key))
        }
        if let shown = identity.siteCode, present(shown), normalizedCode(shown) != normalizedCode(site.code) {
            let display = shown.trimmingCharacters(in: .whitespacesAndNewlines)
            findings.append(Finding(
                target: target, indicator: indicator, level: indicators.level(indicator), url: homepage.url,
                detail: [
                    "missing": "code-mismatch", "item": "网站标识码", "shown": .string(display),
                    "registered": .string(site.code),
                ],
                evidence: "网站首页显示的网站标识码\(display)与登记的网站标识码\(site.code)不一致",
                locationKey: "code-mismatch"))
        }
        return findings
    }

    /// A 网站标识码 compared without case, spaces or a "网站标识码：" label.
    static func normalizedCode(_ code: String) -> String {
        code.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
