import Foundation

/// The ordinary make-up of a government site, which every family starts from and then
/// changes where it plants a problem: fresh news, notices, policies, personnel and
/// planning items, and a leader mailbox with timely replies.
extension SiteBuilder {
    /// A column key in the site's style: a folder for TRS and table sites, a numeric
    /// column id for Hanweb (`col1523401`).
    func columnKey(_ folder: String) -> String {
        guard site.style == .hanweb else { return folder }
        let base = Int(site.code.suffix(3))! * 1000 + 152_000
        return String(base + columns.count * 7 + 1)
    }

    /// `count` dates, the first `first` days before the as-of day, then every `step` days back.
    func dates(first: Int, every step: Int, count: Int) -> [Date?] {
        (0..<count).map { clock.daysAgo(first + $0 * step, hour: 8 + ($0 * 5) % 9, minute: ($0 * 17) % 60) }
    }

    /// Adds a list column of ordinary articles dated `dates`.
    @discardableResult
    func addListColumn(
        _ name: String, folder: String, category: SampleColumn.Category, dates: [Date?], onHomepage: Bool = false,
        topLevel: Bool = true, periodDays: Int? = nil
    ) -> Int {
        let key = columnKey(folder)
        return addColumn(
            ColumnSpec(
                key: key, name: name, category: category, topLevel: topLevel, periodDays: periodDays,
                onHomepage: onHomepage, content: .articles(articles(for: category, dates: dates))))
    }

    /// Adds a consultation column with the given letters.
    @discardableResult
    func addMailbox(_ name: String = "领导信箱", folder: String = "hdjl/ldxx", letters: [Letter], inOriginal: Bool = true)
        -> Int
    {
        addColumn(
            ColumnSpec(
                key: columnKey(folder), name: name, category: .consultation, registered: inOriginal,
                inOriginal: inOriginal, content: .mailbox(letters)))
    }

    /// Standard, healthy columns of a department site, except the categories in `skipping`.
    func addStandardColumns(skipping: Set<SampleColumn.Category> = []) {
        if !skipping.contains(.news) {
            addListColumn("工作动态", folder: "xwdt", category: .news, dates: dates(first: 1, every: 3, count: 22), onHomepage: true)
        }
        if !skipping.contains(.notice) {
            addListColumn("通知公告", folder: "tzgg", category: .notice, dates: dates(first: 4, every: 19, count: 9), onHomepage: true)
        }
        if !skipping.contains(.policy) {
            addListColumn("政策文件", folder: "zcwj", category: .policy, dates: dates(first: 12, every: 41, count: 6))
        }
        if !skipping.contains(.personnel) {
            addListColumn("人事信息", folder: "rsxx", category: .personnel, dates: dates(first: 33, every: 67, count: 4))
        }
        if !skipping.contains(.planning) {
            addListColumn("规划计划", folder: "ghjh", category: .planning, dates: dates(first: 62, every: 120, count: 3))
        }
        if !skipping.contains(.consultation) {
            addMailbox(letters: letters(asked: [3, 8, 15, 26, 44, 71, 103].map { clock.daysAgo($0, hour: 10, minute: 12) }))
        }
    }

    /// Index of the first column of `category`.
    func column(_ category: SampleColumn.Category) -> Int {
        columns.firstIndex { $0.category == category }!
    }
}

extension CityBuilder {
    /// A new site of the city with the usual registry data (ICP and 公安备案 numbers derived from its code).
    func makeSite(
        code: String, name: String, host: String, unit: String, parent: String?, unitShort: String,
        locality: String = "鸿溪市", topic: String, style: SampleSite.Style, kind: SampleSite.Kind = .department,
        gbk: Bool = false
    ) -> SiteBuilder {
        let serial = Int(code.suffix(4))!
        let site = SampleSite(
            code: code, name: name, host: host, kind: kind, unit: unit, parent: parent,
            icp: "湘ICP备\(String(format: "%08d", 13_010_000 + serial * 37))号-1",
            police: "湘公网安备 \(code.prefix(6))02\(String(format: "%06d", serial))号", style: style, gbk: gbk)
        return SiteBuilder(
            site: site, clock: clock, unitShort: unitShort, locality: locality, topicKey: topic,
            idBase: 100_000 + serial * 9_000)
    }
}
