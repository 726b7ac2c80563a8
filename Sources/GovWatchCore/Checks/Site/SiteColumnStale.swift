import Foundation

/// `site.column.stale` (deduction): a column not updated within its period.
///
/// Rule (国办秘函〔2019〕19号, 栏目不更新): a column's newest dated item is more than its period
/// before the as-of day — 14 days for 动态/要闻 (`newsDays`), 183 days (6 months) for
/// 通知公告 and 政策文件 (`noticeDays`, `policyDays`), 365 days for 人事 and 规划计划
/// (`personnelDays`, `planningDays`); a column's own `period_days` overrides its category's,
/// and a `<category>Days` threshold added to the indicator file (`otherDays`,
/// `consultationDays`) gives those categories a period, which they otherwise lack (互动
/// columns are judged by the interaction indicators). An item exactly one period old is
/// still fresh. Items without a publish date count as not updated (未注明信息发布时间的视为
/// 不更新), so a column of undated items is stale with no last date; items dated after the
/// as-of day are ignored. A column whose page did not load is a broken link, and a column
/// with no items is blank (`site.column.blank`): neither is judged here, so one empty column
/// is not reported twice.
///
/// A column the crawler discovered and an administrator has not confirmed is a proposal: it is
/// judged the same way, but its finding is a notice (no points), says so, and the column
/// vetoes do not count it. A column whose list page could not be read (`SiteEvidence.unreadable`)
/// is not judged at all (`SiteChecks.run` leaves it out).
///
/// One finding per column, at the column's URL (the location key).
/// `detail`: `column` (name), `category`, `periodDays`, `lastUpdated` (YYYY-MM-DD, null when
/// no item is dated), `daysSinceUpdate` (null likewise), `undated` (no item dated),
/// `topLevel`, `discovered` (found by the crawler, not imported).
public enum SiteColumnStale {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteColumnStale

    /// A column found stale, shared with the two column vetoes.
    public struct StaleColumn: Sendable, Hashable {
        /// The column as imported or discovered.
        public var column: ColumnRecord
        /// Found by the crawler rather than imported.
        public var discovered: Bool
        /// The period it was judged by.
        public var periodDays: Int
        /// The newest item dated on or before the as-of day; nil when none is.
        public var lastUpdated: CalendarDate?
        /// Days from `lastUpdated` to the as-of day; nil when nothing is dated.
        public var daysSinceUpdate: Int?
        /// No item of the column carries a date at all.
        public var undated: Bool
    }

    /// The update period of `column` in days, nil when its category has none.
    public static func periodDays(of column: ColumnRecord, indicators: IndicatorSet) -> Int? {
        if let days = column.periodDays, days > 0 { return days }
        let defaults: [ColumnCategory: Double] = [.news: 14, .notice: 183, .policy: 183, .personnel: 365, .planning: 365]
        let key = "\(column.category.rawValue)Days"
        guard let days = indicators.rule(indicator).thresholds?[key] ?? defaults[column.category], days > 0 else { return nil }
        return Int(days)
    }

    /// The columns not updated within their period, sorted by URL.
    public static func staleColumns(_ columns: [ColumnEvidence], asOf: Date, indicators: IndicatorSet) -> [StaleColumn] {
        let today = SiteCheckSupport.lastDay(coveredBy: asOf)
        var stale: [StaleColumn] = []
        for evidence in SiteCheckSupport.uniqueColumns(columns) where evidence.loaded && !SiteColumnBlank.isBlank(evidence) {
            guard let period = periodDays(of: evidence.column, indicators: indicators) else { continue }
            let newest = evidence.items.compactMap(\.date).filter { $0 <= today }.max()
            let age = newest.map { $0.days(to: today) }
            if let age, age <= period { continue }
            stale.append(StaleColumn(
                column: evidence.column, discovered: evidence.discovered, periodDays: period, lastUpdated: newest,
                daysSinceUpdate: age, undated: evidence.items.allSatisfy { $0.date == nil }))
        }
        return stale
    }

    /// The findings of this indicator for one site, in a stable order.
    public static func check(site: Target, columns: [ColumnEvidence], asOf: Date, indicators: IndicatorSet) -> [Finding] {
        staleColumns(columns, asOf: asOf, indicators: indicators).map { stale in
            let name = stale.column.name
            let evidence: String
            if let last = stale.lastUpdated, let age = stale.daysSinceUpdate {
                evidence = "栏目“\(name)”最近更新于\(last)，\(age)天未更新，超过更新周期\(stale.periodDays)天"
            } else if stale.undated {
                evidence = "栏目“\(name)”的信息均未注明发布时间，视为未更新（更新周期\(stale.periodDays)天）"
            } else {
                evidence = "栏目“\(name)”在监测时间点前没有注明日期的信息，视为未更新（更新周期\(stale.periodDays)天）"
            }
            return Finding(
                target: site, indicator: indicator,
                level: SiteCheckSupport.level(indicator, discovered: stale.discovered, indicators: indicators), url: stale.column.url,
                detail: [
                    "column": .string(name), "category": .string(stale.column.category.rawValue),
                    "periodDays": .number(Double(stale.periodDays)),
                    "lastUpdated": SiteCheckSupport.json(stale.lastUpdated?.description),
                    "daysSinceUpdate": SiteCheckSupport.json(stale.daysSinceUpdate), "undated": .bool(stale.undated),
                    "topLevel": .bool(stale.column.topLevel), "discovered": .bool(stale.discovered),
                ],
                evidence: evidence + SiteCheckSupport.discoveredNote(stale.discovered), locationKey: stale.column.url)
        }
    }
}
