import Foundation

/// `site.columns.unupdated-veto` (veto): too many columns that should be updated are not.
///
/// Rule (国办秘函〔2019〕19号, 栏目不更新): at least `count` (10) columns of any category with
/// an update period are stale as `site.column.stale` judges them (应更新但长期未更新的栏目).
/// Blank columns are counted by `site.columns.blank-veto`, not here.
///
/// Only registered or confirmed columns count: a column the crawler discovered is a proposal
/// until an administrator confirms it (its own finding is a notice).
///
/// One target-wide finding (location key `columns`). `detail`: `count`, `threshold`,
/// `columns` (each `name`, `url`, `category`, `lastUpdated` or null, `periodDays`), sorted by URL.
public enum SiteColumnsUnupdatedVeto {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteColumnsUnupdatedVeto

    /// The finding of this indicator for one site, or nil when the rule is met.
    public static func check(site: Target, columns: [ColumnEvidence], asOf: Date, indicators: IndicatorSet) -> Finding? {
        let threshold = Int(indicators.threshold(indicator, "count", default: 10))
        let stale = SiteColumnStale.staleColumns(SiteCheckSupport.confirmedColumns(columns), asOf: asOf, indicators: indicators)
        guard stale.count >= threshold, !stale.isEmpty else { return nil }
        return Finding(
            target: site, indicator: indicator, level: indicators.level(indicator), url: nil,
            detail: [
                "count": .number(Double(stale.count)), "threshold": .number(Double(threshold)),
                "columns": .array(stale.map(SiteColumnsStaleVeto.summary)),
            ],
            evidence: "应更新而未按期更新的栏目共\(stale.count)个（达到\(threshold)个即单项否决）：\(SiteCheckSupport.list(stale.map(\.column.name)))",
            locationKey: "columns")
    }
}
