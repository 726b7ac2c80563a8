import Foundation
import GovWatchCore

/// Clean department sites (one with Hanweb's datastore lists, one with a configured longer
/// period that keeps an older news column in time) and the county sites: 青山县 (clean portal,
/// a department with a severe error) and 澜江区 (a whole GBK-encoded portal with a leak).
enum CleanAndCountySites {
    static func build(into city: CityBuilder) {
        finance(city)
        transport(city)
        qingshan(city)
        qingshanHealth(city)
        lanjiang(city)
    }

    /// 鸿溪市财政局 (Hanweb, lists inside `<script type="text/xml">` datastores): clean.
    private static func finance(_ city: CityBuilder) {
        let d = Roster.finance
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "finance", style: .hanweb)
        b.hanwebDatastore = true
        b.addStandardColumns()
        b.addArticle(
            Article(
                title: "鸿溪市2022年市级预算公开", date: city.clock.daysAgo(8), source: d.unit,
                body: Varying(
                    LookAlikes.policyMetadata(index: "004390014/2022-00031", docNumber: "鸿财预〔2022〕8号", issuer: d.unit, date: city.clock.daysAgo(8))
                        + "\n" + LookAlikes.publicNumbers(unit: d.unit)),
                attachments: [
                    Attachment(
                        title: "2022年市级一般公共预算收支表.xlsx", fileName: "budget-2022.xlsx", contentType: OfficeDocuments.xlsxType,
                        data: Varying(OfficeDocuments.xlsx(rows: [["项目", "预算数（万元）"], ["一般公共预算收入", "1,856,300"], ["一般公共预算支出", "2,932,100"]]))),
                    Attachment(
                        title: "Budget summary 2022.pdf", fileName: "budget-2022.pdf", contentType: MinimalPDF.contentType,
                        data: Varying(MinimalPDF.document(lines: ["Hongxi Municipal Finance Bureau", "2022 budget summary", "General public budget revenue: 1,856,300 (10k CNY)", "Hotline: 12345  Tel: 0731-88882345"]))),
                ]),
            to: b.column(.policy))
        city.finish(b)
    }

    /// 鸿溪市交通运输局 (table style): clean; its 路况信息 news column is configured with a
    /// 30-day period, so its newest item (20 days old) is in time.
    private static func transport(_ city: CityBuilder) {
        let d = Roster.transport
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "transport", style: .table)
        b.addStandardColumns()
        b.addListColumn("路况信息", folder: "lkxx", category: .news, dates: b.dates(first: 20, every: 25, count: 6), periodDays: 30)
        city.finish(b)
    }

    /// 青山县人民政府 (Hanweb): a clean county portal.
    private static func qingshan(_ city: CityBuilder) {
        let b = city.makeSite(
            code: "4390210001", name: "青山县人民政府", host: Roster.qingshanHost, unit: Roster.qingshanOffice,
            parent: Roster.qingshanGovernment, unitShort: "县政府", locality: "青山县", topic: "county", style: .hanweb, kind: .portal)
        b.friendLinks = [("中国政府网", "http://www.gov.cn/"), ("鸿溪市人民政府", "http://www.hongxi.gov.cn/")]
        b.addStandardColumns()
        b.addListColumn("乡镇动态", folder: "xzdt", category: .news, dates: b.dates(first: 2, every: 3, count: 16), onHomepage: true)
        b.homepageLinkBlocks = [("县直部门", [("青山县卫生健康局", "http://\(Roster.qingshanHealthHost)/")])]
        b.addArticle(
            Article(
                title: "青山县召开县委常委会会议", date: city.clock.daysAgo(2), source: "青山县融媒体中心",
                body: Varying(LookAlikes.correctPoliticalNames() + "\n" + b.prose(topic: "乡村振兴"))),
            to: b.column(.news))
        city.finish(b)
    }

    /// 青山县卫生健康局 (TRS, a county department): one severe error, fixed in the fixed variant.
    private static func qingshanHealth(_ city: CityBuilder) {
        let b = city.makeSite(
            code: "4390210002", name: "青山县卫生健康局", host: Roster.qingshanHealthHost, unit: Roster.qingshanHealth,
            parent: Roster.qingshanGovernment, unitShort: "县卫健局", locality: "青山县", topic: "health", style: .trs)
        b.friendLinks = [("青山县人民政府", "http://www.qingshan.gov.cn/"), ("鸿溪市卫生健康委员会", "http://wjw.hongxi.gov.cn/")]
        b.addStandardColumns()
        let url = b.addArticle(
            Article(
                title: "县卫健局党组召开党史学习教育专题组织生活会", date: city.clock.daysAgo(5), source: Roster.qingshanHealth,
                body: Varying(
                    original: HTML.paragraph("会议指出，要坚定不移坚持中国共产共党的领导，把党的建设贯穿卫生健康工作全过程。") + "\n" + LookAlikes.aggregateHealthStatistics(),
                    fixed: HTML.paragraph("会议指出，要坚定不移坚持中国共产党的领导，把党的建设贯穿卫生健康工作全过程。") + "\n" + LookAlikes.aggregateHealthStatistics())),
            to: b.column(.news))
        city.plant(
            .siteContentSevereError, b.site.target, url: url, note: "正文把“中国共产党”错写为“中国共产共党”",
            detail: ["wrong": "中国共产共党", "correct": "中国共产党", "count": "1"], fix: .urls([url]))
        city.finish(b)
    }

    /// 鸿溪市澜江区人民政府 (TRS, the whole site GBK on the wire): a mobile number in a 公示.
    private static func lanjiang(_ city: CityBuilder) {
        let b = city.makeSite(
            code: "4390020001", name: "鸿溪市澜江区人民政府", host: Roster.lanjiangHost, unit: Roster.lanjiangOffice,
            parent: Roster.lanjiangGovernment, unitShort: "区政府", locality: "澜江区", topic: "county", style: .trs, kind: .portal,
            gbk: true)
        b.friendLinks = [("中国政府网", "http://www.gov.cn/"), ("鸿溪市人民政府", "http://www.hongxi.gov.cn/")]
        b.addStandardColumns()
        let url = b.addArticle(
            Article(
                title: "澜江区2022年城乡低保对象新增名单公示", date: city.clock.daysAgo(11), source: Roster.lanjiangOffice,
                body: Varying(
                    original: HTML.table(header: ["姓名", "住址", "联系电话"], rows: [["谭桂兰", "澜江区东风街道", PlantedValues.lanjiangMobile]])
                        + "\n" + LookAlikes.maskedPersonalData(),
                    fixed: HTML.table(header: ["姓名", "住址", "联系电话"], rows: [["谭*兰", "澜江区东风街道", PersonalData.mask(PlantedValues.lanjiangMobile, kind: .mobile)]])
                        + "\n" + LookAlikes.maskedPersonalData())),
            to: b.column(.notice))
        city.plant(
            .siteContentPrivacy, b.site.target, url: url, note: "GBK编码页面的公示表格中公开了个人手机号码",
            detail: ["kind": "mobile", "masked": PersonalData.mask(PlantedValues.lanjiangMobile, kind: .mobile)], fix: .urls([url]))
        city.finish(b)
    }
}
