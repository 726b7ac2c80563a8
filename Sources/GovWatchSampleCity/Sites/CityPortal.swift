import Foundation

/// 鸿溪市人民政府门户网站 (www.hongxi.gov.cn, TRS): a clean portal full of look-alikes.
enum CityPortal {
    static func build(into city: CityBuilder) {
        let b = city.makeSite(
            code: "4390000001", name: "鸿溪市人民政府", host: Roster.portalHost, unit: Roster.cityOffice,
            parent: Roster.cityGovernment, unitShort: "市政府", topic: "portal", style: .trs, kind: .portal)
        b.homepageShortDates = true
        b.friendLinks = [("中国政府网", "http://www.gov.cn/"), ("湖南省人民政府", "http://www.hunan.gov.cn/")]
        b.addListColumn("鸿溪要闻", folder: "xwdt/hxyw", category: .news, dates: b.dates(first: 1, every: 2, count: 34), onHomepage: true)
        b.addListColumn("部门动态", folder: "xwdt/bmdt", category: .news, dates: b.dates(first: 2, every: 3, count: 18), onHomepage: true)
        let notices = b.addListColumn(
            "通知公告", folder: "zwgk/tzgg", category: .notice, dates: b.dates(first: 3, every: 11, count: 12), onHomepage: true)
        let policies = b.addListColumn("政策文件", folder: "zwgk/zcwj", category: .policy, dates: b.dates(first: 9, every: 30, count: 8))
        b.addListColumn("人事信息", folder: "zwgk/rsxx", category: .personnel, dates: b.dates(first: 20, every: 50, count: 5))
        b.addListColumn("规划计划", folder: "zwgk/ghjh", category: .planning, dates: b.dates(first: 45, every: 90, count: 4))
        // An "other" column whose newest item is eight months old: no period applies to it.
        b.addListColumn("专题专栏", folder: "ztzl", category: .other, dates: b.dates(first: 240, every: 60, count: 3))
        b.addMailbox("市长信箱", folder: "hdjl/szxx", letters: b.letters(asked: [2, 6, 13, 27, 48, 90].map { city.clock.daysAgo($0, hour: 11) }))

        // Look-alikes: a policy with its metadata table, a masked 公示, statistics, correct names.
        let policyDate = city.clock.daysAgo(5)
        b.addArticle(
            Article(
                title: "鸿溪市人民政府办公室关于印发《鸿溪市优化营商环境若干措施》的通知", date: policyDate, source: Roster.cityOffice,
                body: Varying(
                    LookAlikes.policyMetadata(
                        index: "004390000/2022-00123", docNumber: "鸿政办发〔2022〕12号", issuer: Roster.cityOffice, date: policyDate)
                        + "\n" + b.prose(topic: "优化营商环境") + "\n" + LookAlikes.publicNumbers(unit: Roster.cityOffice)
                        + "\n" + LookAlikes.correctPoliticalNames())),
            to: policies)
        b.addArticle(
            Article(
                title: "关于2022年度城乡居民临时救助对象的公示", date: city.clock.daysAgo(6), source: "鸿溪市民政局",
                body: Varying(LookAlikes.maskedPersonalData() + "\n" + LookAlikes.aggregateHealthStatistics())),
            to: notices)

        b.homepageLinkBlocks = [
            // Links name `/index.html`: the registered `/` of 统计局 is the URL that fails one request in four.
            ("部门网站", Roster.departments.map { ($0.name, "http://\($0.host)/index.html") }),
            ("区县网站", [("青山县人民政府", "http://\(Roster.qingshanHost)/"), ("澜江区人民政府", "http://\(Roster.lanjiangHost)/")]),
        ]
        city.finish(b)
    }
}
