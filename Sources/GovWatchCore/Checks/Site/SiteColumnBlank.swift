import Foundation

/// `site.column.blank` (deduction): a column with nothing in it (空白栏目).
///
/// Rule (国办秘函〔2019〕19号, 空白栏目): a column whose list page loaded but shows no items
/// ("暂无信息", "暂无数据", an empty list), or whose only items are placeholders ("本栏目信息
/// 正在整理中", as the crawler marks with `placeholderOnly`). A column whose page did not load
/// is a broken link, not a blank column.
///
/// A discovered, unconfirmed column's finding is a notice and no veto counts it (see
/// `SiteColumnStale`); a column whose page could not be read is not judged.
///
/// One finding per column, at the column's URL (the location key).
/// `detail`: `column` (name), `category`, `placeholder` (the page shows only placeholder
/// items rather than none), `items` (items listed), `topLevel`, `discovered`.
public enum SiteColumnBlank {
    /// The indicator this check reports.
    public static let indicator = IndicatorID.siteColumnBlank

    /// Whether a loaded column counts as blank.
    public static func isBlank(_ column: ColumnEvidence) -> Bool {
        column.loaded && (column.items.isEmpty || column.placeholderOnly)
    }

    /// The blank columns, one per URL (imported record preferred), sorted by URL.
    public static func blankColumns(_ columns: [ColumnEvidence]) -> [ColumnEvidence] {
        SiteCheckSupport.uniqueColumns(columns).filter(isBlank)
    }

    /// The findings of this indicator for one site, in a stable order.
    public static func check(site: Target, columns: [ColumnEvidence], indicators: IndicatorSet) -> [Finding] {
        blankColumns(columns).map { column in
            let name = column.column.name
            let placeholder = column.placeholderOnly && !column.items.isEmpty
            let evidence = placeholder
                ? "栏目“\(name)”仅有占位信息（如“\(column.items[0].title)”），无实际内容，视为空白栏目"
                : "栏目“\(name)”页面无任何信息（如显示“暂无信息”），为空白栏目"
            return Finding(
                target: site, indicator: indicator,
                level: SiteCheckSupport.level(indicator, discovered: column.discovered, indicators: indicators), url: column.column.url,
                detail: [
                    "column": .string(name), "category": .string(column.column.category.rawValue),
                    "placeholder": .bool(placeholder), "items": .number(Double(column.items.count)),
                    "topLevel": .bool(column.column.topLevel), "discovered": .bool(column.discovered),
                ],
                evidence: evidence + SiteCheckSupport.discoveredNote(column.discovered), locationKey: column.column.url)
        }
    }
}
