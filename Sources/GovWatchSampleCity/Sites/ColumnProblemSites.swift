import Foundation
import GovWatchCore

/// Sites whose problems are in their columns: stale and undated columns up to both vetoes,
/// a stale homepage, blank columns up to the blank veto; plus no search and no ICP number.
enum ColumnProblemSites {
    static func build(into city: CityBuilder) {
        development(city)
        agriculture(city)
        environment(city)
    }

    private static func plantStale(
        _ city: CityBuilder, _ b: SiteBuilder, _ index: Int, period: Int, note: String
    ) {
        let column = b.columns[index]
        let newest = column.articles.compactMap(\.date).max()
        city.plant(
            .siteColumnStale, b.site.target, url: b.columnURL(index), note: note,
            detail: [
                "column": column.name, "category": column.category.rawValue, "periodDays": String(period),
                "lastUpdated": newest.map(CityClock.isoDay) ?? "",
            ])
    }

    /// 鸿溪市发展和改革委员会 (TRS): ten columns not updated within their periods — five news
    /// columns (one with undated items only), three notice/policy columns (one not top-level),
    /// personnel and planning — so both column vetoes apply. One fresh news column keeps the
    /// homepage itself up to date.
    private static func development(_ city: CityBuilder) {
        let d = Roster.development
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "development", style: .trs)
        b.addListColumn("媒体关注", folder: "mtgz", category: .news, dates: b.dates(first: 1, every: 4, count: 12), onHomepage: true)
        let news = [
            b.addListColumn("发改要闻", folder: "fgyw", category: .news, dates: b.dates(first: 30, every: 9, count: 16)),
            b.addListColumn("工作动态", folder: "gzdt", category: .news, dates: b.dates(first: 20, every: 7, count: 20)),
            b.addListColumn("部门动态", folder: "bmdt", category: .news, dates: b.dates(first: 45, every: 12, count: 9)),
            b.addListColumn("价格监测", folder: "jgjc", category: .news, dates: b.dates(first: 25, every: 14, count: 8)),
        ]
        let undated = b.addListColumn(
            "项目建设", folder: "xmjs", category: .news, dates: Array(repeating: nil, count: 6))
        let notices = b.addListColumn(
            "通知公告", folder: "tzgg", category: .notice, dates: b.dates(first: 240, every: 30, count: 7), onHomepage: true)
        let policies = b.addListColumn("政策文件", folder: "zcwj", category: .policy, dates: b.dates(first: 215, every: 60, count: 5))
        let readings = b.addListColumn(
            "政策解读", folder: "zcwj/zcjd", category: .policy, dates: b.dates(first: 300, every: 45, count: 4), topLevel: false)
        let personnel = b.addListColumn("人事信息", folder: "rsxx", category: .personnel, dates: b.dates(first: 430, every: 90, count: 3))
        let planning = b.addListColumn("规划计划", folder: "ghjh", category: .planning, dates: b.dates(first: 400, every: 200, count: 2))
        b.addMailbox(letters: b.letters(asked: [4, 12, 30, 58].map { city.clock.daysAgo($0, hour: 9) }))
        b.addArticle(
            Article(
                title: "鸿溪市2022年重点建设项目计划下达", date: city.clock.daysAgo(2), source: d.unit,
                body: Varying(b.prose(topic: "重点项目建设") + "\n" + LookAlikes.publicNumbers(unit: d.unit))),
            to: 0)

        for index in news {
            plantStale(city, b, index, period: 14, note: "动态类栏目超过2周未更新")
        }
        city.plant(
            .siteColumnStale, b.site.target, url: b.columnURL(undated),
            note: "栏目信息均未注明发布时间，视为不更新",
            detail: ["column": "项目建设", "category": "news", "periodDays": "14", "lastUpdated": ""])
        for index in [notices, policies, readings] {
            plantStale(city, b, index, period: 180, note: "通知公告/政策文件类栏目超过6个月未更新")
        }
        plantStale(city, b, personnel, period: 365, note: "人事类栏目超过12个月未更新")
        plantStale(city, b, planning, period: 365, note: "规划计划类栏目超过12个月未更新")
        city.plant(
            .siteColumnsStaleVeto, b.site.target, url: nil,
            note: "动态要闻类（2周）与一级通知公告/政策文件类（6个月）栏目中有7个未按期更新（≥5，政策解读不是一级栏目不计入）",
            detail: ["count": "7"])
        city.plant(
            .siteColumnsUnupdatedVeto, b.site.target, url: nil, note: "应更新而未更新的栏目共10个（≥10）",
            detail: ["count": "10"])
        city.finish(b)
    }

    /// 鸿溪市农业农村局 (table style): nothing on the homepage newer than 25 days, its two news
    /// columns stale; no site search; no ICP number in the footer.
    private static func agriculture(_ city: CityBuilder) {
        let d = Roster.agriculture
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "agriculture", style: .table)
        let headline = b.addListColumn(
            "农业要闻", folder: "nyyw", category: .news, dates: b.dates(first: 25, every: 5, count: 14), onHomepage: true)
        let work = b.addListColumn(
            "工作动态", folder: "gzdt", category: .news, dates: b.dates(first: 32, every: 6, count: 12), onHomepage: true)
        b.addListColumn("通知公告", folder: "tzgg", category: .notice, dates: b.dates(first: 40, every: 20, count: 8), onHomepage: true)
        b.addStandardColumns(skipping: [.news, .notice])
        b.hasSearch = Varying(original: false, fixed: true)
        var noICP = b.identity.original
        noICP.icp = nil
        b.identity = Varying(original: noICP, fixed: b.identity.fixed)

        city.plant(
            .siteHomepageStale, b.site.target, url: b.homepageURL, note: "首页最新信息为25天前，超过2周未更新",
            detail: ["lastUpdated": CityClock.isoDay(city.clock.daysAgo(25))])
        plantStale(city, b, headline, period: 14, note: "动态类栏目超过2周未更新")
        plantStale(city, b, work, period: 14, note: "动态类栏目超过2周未更新")
        city.plant(
            .siteSearchMissing, b.site.target, url: b.homepageURL, note: "网站没有站内搜索（固定变体增加了搜索框和搜索页）",
            fix: .site(d.host))
        city.plant(
            .siteIdentityMissing, b.site.target, url: b.homepageURL, note: "页脚缺少ICP备案号",
            detail: ["missing": "icp"], fix: .site(d.host))
        city.finish(b)
    }

    /// 鸿溪市生态环境局 (Hanweb): six blank columns (five "暂无信息", one holding only a
    /// placeholder item), so the blank veto applies.
    private static func environment(_ city: CityBuilder) {
        let d = Roster.environment
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "environment", style: .hanweb)
        b.addStandardColumns()
        let blanks: [(String, String?)] = [
            ("建议提案办理", nil), ("环境监测信息", nil), ("行政执法公示", nil), ("财政资金信息", nil), ("应急管理", nil),
            ("专项工作", "本栏目信息正在整理中，敬请期待"),
        ]
        for (name, placeholder) in blanks {
            let index = b.addColumn(
                ColumnSpec(key: b.columnKey(name), name: name, category: .other, content: .blank(placeholder: placeholder)))
            city.plant(
                .siteColumnBlank, b.site.target, url: b.columnURL(index),
                note: placeholder == nil ? "空白栏目（页面显示“暂无信息”）" : "栏目仅有占位条目“\(placeholder!)”",
                detail: ["column": name])
        }
        city.plant(
            .siteColumnsBlankVeto, b.site.target, url: nil, note: "空白栏目共6个（≥5）", detail: ["count": "6"])
        city.finish(b)
    }
}
