import Foundation

/// `site.unreachable` (veto): the homepage failed too many availability probes.
///
/// Rule (国办秘函〔2019〕19号): probed at intervals at least 20 times a day for a week; a
/// probe fails when the homepage does not load within 15 s, answers 5xx, or the
/// connection or DNS lookup fails. Failures at or above 5% of the probes in the 7 days
/// before the as-of time make the site unreachable. Judged only once `minimumProbes`
/// probes exist in the window, so one failed probe of a new site is not a veto.
///
/// `detail`: `probes` (count in the window), `failures`, `ratio` (0…1), `windowDays`,
/// `firstProbe`/`lastProbe` (ISO 8601), `errors` (up to 5 distinct error texts).
public enum SiteUnreachable {
    public static let indicator = IndicatorID.siteUnreachable

    public static func check(
        site: Target, probes: [Probe], asOf: Date, indicators: IndicatorSet
    ) -> Finding? {
        let windowDays = indicators.threshold(indicator, "windowDays", default: 7)
        let minimum = Int(indicators.threshold(indicator, "minimumProbes", default: 20))
        let ratioLimit = indicators.threshold(indicator, "failureRatio", default: 0.05)
        let from = asOf.addingTimeInterval(-windowDays * 86_400)
        let window = probes.filter { $0.at >= from && $0.at < asOf }.sorted { $0.at < $1.at }
        guard window.count >= minimum else { return nil }
        let failures = window.filter { !$0.ok }
        let ratio = Double(failures.count) / Double(window.count)
        guard ratio >= ratioLimit, !failures.isEmpty else { return nil }
        var errors: [String] = []
        for failure in failures {
            let text = failure.error ?? failure.status.map { "HTTP \($0)" } ?? "失败"
            if !errors.contains(text) && errors.count < 5 { errors.append(text) }
        }
        return Finding(
            target: site, indicator: indicator, level: indicators.level(indicator), url: nil,
            detail: [
                "probes": .number(Double(window.count)), "failures": .number(Double(failures.count)),
                "ratio": .number((ratio * 10_000).rounded() / 10_000), "windowDays": .number(windowDays),
                "firstProbe": .string(ChinaTime.iso8601(window.first!.at)),
                "lastProbe": .string(ChinaTime.iso8601(window.last!.at)),
                "errors": .array(errors.map(JSONValue.string)),
            ],
            evidence: "近\(Int(windowDays))天监测\(window.count)次，\(failures.count)次无法访问，占比\(String(format: "%.1f", ratio * 100))%",
            locationKey: "homepage")
    }
}
