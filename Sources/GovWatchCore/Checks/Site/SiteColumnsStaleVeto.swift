import Foundation

/// `site.columns.stale-veto` (veto): too many key columns not updated.
///
/// Rule (国办秘函〔2019〕19号, 栏目不更新): among 动态/要闻 columns (any level, period 2 weeks)
/// and top-level (一级) 通知公告/政策文件 columns (period 6 months), at least `count` (5) are
/// stale as `site.column.stale` judges them (same periods, undated items count as not
/// updated). A 政策解读 sub-column under 政策文件 does not count.
///
/// Only registered or confirmed columns count: a column the crawler discovered is a proposal
/// until an administrator confirms it (its own finding is a notice).
///
/// One target-wide finding (location key `columns`: the veto is one problem however many
/// columns it lists). `detail`: `count`, `threshold`, `columns` (each `name`, `url`,
/// `category`, `lastUpdated` or null, `periodDays`), sorted by URL.
public enum SiteColumnsStaleVeto {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteColumnsStaleVeto

    /// Whether a stale column is one the veto counts.
    public static func counts(_ column: ColumnRecord) -> Bool {
        switch column.category {
        case .news: true
        case .notice, .policy: column.topLevel
        default: false
        }
    }

    /// The finding of this indicator for one site, or nil when the rule is met.
    public static func check(site: Target, columns: [ColumnEvidence], asOf: Date, indicators: IndicatorSet) -> Finding? {
        let threshold = Int(indicators.threshold(indicator, "count", default: 5))
        let stale = SiteColumnStale.staleColumns(SiteCheckSupport.confirmedColumns(columns), asOf: asOf, indicators: indicators).filter { counts($0.column) }
        guard stale.count >= threshold, !stale.isEmpty else { return nil }
        return Finding(
            target: site, indicator: indicator, level: indicators.level(indicator), url: nil,
            detail: [
                "count": .number(Double(stale.count)), "threshold": .number(Double(threshold)),
                "columns": .array(stale.map(SiteColumnsStaleVeto.summary)),
            ],
            evidence: "\(periods(indicators))中有\(stale.count)个未按期更新"
                + "（达到\(threshold)个即单项否决）：\(SiteCheckSupport.list(stale.map(\.column.name)))",
            locationKey: "columns")
    }

    /// The columns the veto counts, with the periods of the indicator set: `动态要闻类栏目（2周）及
    /// 一级通知公告、政策文件类栏目（6个月）` by default.
    static func periods(_ indicators: IndicatorSet) -> String {
        func days(_ key: String, _ fallback: Double) -> String {
            let value = Int(indicators.threshold(SiteColumnStale.indicator, key, default: fallback))
            switch value {
            case 7, 14, 21, 28: return "\(value / 7)周"
            case 183: return "6个月"
            case 365: return "12个月"
            default: return "\(value)天"
            }
        }
        let news = days("newsDays", 14), notice = days("noticeDays", 183), policy = days("policyDays", 183)
        let topLevel = notice == policy ? "一级通知公告、政策文件类栏目（\(notice)）" : "一级通知公告类栏目（\(notice)）、一级政策文件类栏目（\(policy)）"
        return "动态要闻类栏目（\(news)）及\(topLevel)"
    }

    /// A stale column as listed in a veto's detail.
    static func summary(_ stale: SiteColumnStale.StaleColumn) -> JSONValue {
        [
            "name": .string(stale.column.name), "url": .string(stale.column.url),
            "category": .string(stale.column.category.rawValue),
            "lastUpdated": SiteCheckSupport.json(stale.lastUpdated?.description),
            "periodDays": .number(Double(stale.periodDays)),
        ]
    }
}
