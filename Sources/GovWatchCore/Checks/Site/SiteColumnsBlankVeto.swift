import Foundation

/// `site.columns.blank-veto` (veto): too many blank columns.
///
/// Rule (国办秘函〔2019〕19号, 空白栏目): at least `count` (5) columns are blank as
/// `site.column.blank` judges them (no items, or placeholders only).
///
/// Only registered or confirmed columns count: a column the crawler discovered is a proposal
/// until an administrator confirms it (its own finding is a notice).
///
/// One target-wide finding (location key `columns`). `detail`: `count`, `threshold`,
/// `columns` (each `name`, `url`, `category`, `placeholder`), sorted by URL.
public enum SiteColumnsBlankVeto {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteColumnsBlankVeto

    /// The finding of this indicator for one site, or nil when the rule is met.
    public static func check(site: Target, columns: [ColumnEvidence], indicators: IndicatorSet) -> Finding? {
        let threshold = Int(indicators.threshold(indicator, "count", default: 5))
        let blank = SiteColumnBlank.blankColumns(SiteCheckSupport.confirmedColumns(columns))
        guard blank.count >= threshold, !blank.isEmpty else { return nil }
        let listed: [JSONValue] = blank.map { column in
            [
                "name": .string(column.column.name), "url": .string(column.column.url),
                "category": .string(column.column.category.rawValue),
                "placeholder": .bool(column.placeholderOnly && !column.items.isEmpty),
            ]
        }
        return Finding(
            target: site, indicator: indicator, level: indicators.level(indicator), url: nil,
            detail: ["count": .number(Double(blank.count)), "threshold": .number(Double(threshold)), "columns": .array(listed)],
            evidence: "空白栏目共\(blank.count)个（达到\(threshold)个即单项否决）：\(SiteCheckSupport.list(blank.map(\.column.name)))",
            locationKey: "columns")
    }
}
