import Foundation
import GovWatchCore

/// Sites whose problems are in links and hosting: broken links of every kind (and links to
/// the hostile host), a department outside .gov.cn, a homepage that fails one request in four.
enum LinkAndHostSites {
    static func build(into city: CityBuilder) {
        landPlanning(city)
        market(city)
        statistics(city)
    }

    /// 鸿溪市自然资源和规划局 (TRS): broken internal, external, image and attachment links on
    /// the homepage and other pages (all fixed in the fixed variant), and a 相关链接 page
    /// pointing at the hostile host (kept in both variants).
    private static func landPlanning(_ city: CityBuilder) {
        let d = Roster.landPlanning
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "landplanning", style: .trs)
        b.addStandardColumns()
        let target = b.site.target
        let home = [b.homepageURL, b.url("/index.html")]

        // Homepage: a banner image that is gone and a link to a page that is gone.
        b.homepageExtra = Varying(
            original: "<div class=\"banner\"><img src=\"/images/banner_2019.jpg\" alt=\"不动产登记便民服务\"></div>\n<div class=\"quick\"><a href=\"/zwgk/jgzn/index.html\">机构职能</a></div>\n",
            fixed: "<div class=\"quick\"><a href=\"/zcwj/index.html\">政策文件</a></div>\n")
        b.navExtras = [("相关链接", "/xglj/index.html")]
        city.plant(
            .siteLinksBroken, target, url: b.homepageURL, note: "首页横幅图片不存在（404）",
            detail: ["link": b.url("/images/banner_2019.jpg"), "linkKind": "image", "status": "404", "onHomepage": "true"],
            fix: .urls(home))
        city.plant(
            .siteLinksBroken, target, url: b.homepageURL, note: "首页“机构职能”链接指向已删除的页面（404）",
            detail: ["link": b.url("/zwgk/jgzn/index.html"), "linkKind": "internal", "status": "404", "onHomepage": "true"],
            fix: .urls(home))

        // An article with a dead external site, a removed internal page and a missing image.
        let articleDate = city.clock.daysAgo(6)
        let folder = "/xwdt/\(CityClock.yearMonthCompact(articleDate))/"
        let deadExternal = "http://www.hxgtzy.com/"
        let articleURL = b.addArticle(
            Article(
                title: "市自然资源和规划局开展不动产登记“跨省通办”业务培训", date: articleDate, source: d.unit,
                body: Varying(
                    original: b.prose(topic: "不动产登记", sentences: 3)
                        + "\n<p style=\"text-align:center;\"><img src=\"./W020220325398166.jpg\" alt=\"培训现场\"></p>\n"
                        + HTML.paragraph("详情请访问原鸿溪市国土资源局网站：") + "<p><a href=\"\(deadExternal)\">http://www.hxgtzy.com/</a></p>\n"
                        + "<p>相关阅读：<a href=\"/xwdt/202101/t20210105_99999.html\">2020年不动产登记工作总结</a></p>",
                    fixed: b.prose(topic: "不动产登记", sentences: 3))),
            to: b.column(.news))
        city.plant(
            .siteLinksBroken, target, url: articleURL, note: "正文图片不存在（404）",
            detail: ["link": b.url(folder + "W020220325398166.jpg"), "linkKind": "image", "status": "404", "onHomepage": "false"],
            fix: .urls([articleURL]))
        city.plant(
            .siteLinksBroken, target, url: articleURL, note: "正文外链指向已停用的原国土资源局域名（无法解析，代理返回502）",
            detail: ["link": deadExternal, "linkKind": "external", "status": "502", "onHomepage": "false"],
            fix: .urls([articleURL]))
        city.plant(
            .siteLinksBroken, target, url: articleURL, note: "“相关阅读”指向已删除的站内页面（404）",
            detail: ["link": b.url("/xwdt/202101/t20210105_99999.html"), "linkKind": "internal", "status": "404", "onHomepage": "false"],
            fix: .urls([articleURL]))

        // A notice whose attachment was never uploaded.
        let noticeDate = city.clock.daysAgo(10)
        let noticeURL = b.addArticle(
            Article(
                title: "关于2022年度地质灾害防治方案的公示", date: noticeDate, source: d.unit,
                body: Varying(b.prose(topic: "地质灾害防治", sentences: 2)),
                attachments: [
                    Attachment(
                        title: "鸿溪市2022年度地质灾害防治方案.docx", fileName: "P020220322611750244.docx",
                        contentType: OfficeDocuments.docxType,
                        data: Varying(
                            original: nil,
                            fixed: OfficeDocuments.docx(paragraphs: ["鸿溪市2022年度地质灾害防治方案", "一、总体要求", "二、重点防范区域"])))
                ]),
            to: b.column(.notice))
        let attachmentURL = b.attachmentURL(column: b.column(.notice), articleURL: noticeURL, fileName: "P020220322611750244.docx")
        city.plant(
            .siteLinksBroken, target, url: noticeURL, note: "附件链接指向不存在的文件（404）",
            detail: ["link": attachmentURL, "linkKind": "attachment", "status": "404", "onHomepage": "false"],
            fix: .urls([attachmentURL]))

        // 相关链接: the hostile host. Only the redirect loops are certain to be broken links;
        // the rest depend on the inspector's time, size and retry limits.
        let linksURL = b.url("/xglj/index.html")
        var items = ""
        for endpoint in HostileHost.endpoints(city.clock) where endpoint.linkedFromSites {
            items += "<li><a href=\"\(endpoint.url)\" target=\"_blank\">\(HTML.escape(endpoint.title))</a></li>\n"
            guard let broken = endpoint.brokenLink else { continue }
            city.plant(
                .siteLinksBroken, target, url: linksURL, note: "相关链接指向\(endpoint.title)（\(broken.note)）",
                detail: ["link": endpoint.url, "linkKind": "external", "onHomepage": "false"], mustBeFound: broken.certain)
        }
        b.addPage("/xglj/index.html", title: "相关链接", body: Varying("<div class=\"list\"><ul>\n\(items)</ul></div>"))
        city.finish(b)
    }

    /// 鸿溪市市场监督管理局 on www.hxamr.cn: a government site outside .gov.cn.
    private static func market(_ city: CityBuilder) {
        let d = Roster.market
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "market", style: .trs)
        b.addStandardColumns()
        city.plant(
            .siteDomainNoncompliant, b.site.target, url: b.homepageURL,
            note: "部门网站使用非政府域名www.hxamr.cn，未在本级政府域名hongxi.gov.cn下", detail: ["host": d.host])
        city.finish(b)
    }

    /// 鸿溪市统计局 (Hanweb): its homepage (`/`) answers 503 to one request in four, so
    /// availability probes fail 25% of the time (≥ 5%). Its other pages are healthy.
    private static func statistics(_ city: CityBuilder) {
        let d = Roster.statistics
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "statistics", style: .hanweb)
        b.addStandardColumns()
        city.flakyHomepageHosts.insert(d.host)
        city.plant(
            .siteUnreachable, b.site.target, url: nil,
            note: "首页（http://tjj.hongxi.gov.cn/）每4次请求有1次返回503（按请求计数确定），探测失败率25%≥5%；其余页面正常；固定变体下不再失败",
            detail: ["ratio": "0.25"], fix: .urls([b.homepageURL]))
        city.finish(b)
    }
}

/// 鸿溪市公安局 and 鸿溪市住房和城乡建设局: the interaction indicators.
enum InteractionSites {
    static func build(into city: CityBuilder) {
        police(city)
        housing(city)
    }

    /// 鸿溪市公安局 (Hanweb): a letter unanswered for 4½ months, two replies 10 working days
    /// late, and (not a problem) an unanswered letter older than a year.
    private static func police(_ city: CityBuilder) {
        let d = Roster.police
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "police", style: .hanweb)
        b.addStandardColumns(skipping: [.consultation])
        let clock = city.clock
        let mailbox = b.addMailbox("局长信箱", folder: "hdjl/jzxx", letters: b.letters(asked: [2, 9, 19, 40].map { clock.daysAgo($0, hour: 14) }))
        let unansweredURL = b.addLetter(
            Letter(
                title: "关于户口迁移办理进度的咨询", question: "我于去年10月提交了户口迁入申请，至今没有消息，请问办理到哪一步了？", asker: "赵**",
                asked: clock.daysAgo(137, hour: 10, minute: 5), reply: nil),
            to: mailbox)
        b.addLetter(
            Letter(
                title: "咨询临时身份证明开具", question: "身份证丢失了，急需乘坐高铁，请问派出所能开临时身份证明吗？", asker: "孙*",
                asked: clock.daysAgo(480, hour: 9), reply: nil),
            to: mailbox)
        for (days, title) in [(31, "关于小区周边电动车充电安全隐患的反映"), (81, "建议在学校路段增设减速带")] {
            let asked = clock.daysAgo(days, hour: 9, minute: 45)
            b.addLetter(
                Letter(
                    title: title, question: "请相关部门尽快核实处理。", asker: "周**", asked: asked,
                    reply: Letter.Reply(
                        date: clock.adding(days: 14, to: asked).addingTimeInterval(6 * 3600),
                        text: Varying("您好！您反映的问题已转交辖区派出所核实处理，感谢您对公安工作的支持。"), replier: d.unit)),
                to: mailbox)
        }
        city.plant(
            .siteInteractionUnanswered, b.site.target, url: unansweredURL,
            note: "局长信箱来信（\(CityClock.isoDay(clock.daysAgo(137)))）超过3个月仍为“办理中”，未答复",
            detail: ["asked": CityClock.isoDay(clock.daysAgo(137))])
        city.plant(
            .siteInteractionSlowReply, b.site.target, url: b.columnURL(mailbox),
            note: "2封来信答复用时10个工作日，超过5个工作日（另有1封一年前的未答复来信不在统计期内）",
            detail: ["count": "2", "slowestWorkingDays": "10"])
        city.finish(b)
    }

    /// 鸿溪市住房和城乡建设局 (table style): no consultation channel at all and no 党政机关
    /// badge; the fixed variant adds both.
    private static func housing(_ city: CityBuilder) {
        let d = Roster.housing
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "housing", style: .table)
        b.addStandardColumns(skipping: [.consultation])
        b.addMailbox("咨询留言", folder: "hdjl/zxly", letters: b.letters(asked: [3, 10].map { city.clock.daysAgo($0) }), inOriginal: false)
        var noBadge = b.identity.original
        noBadge.badge = false
        b.identity = Varying(original: noBadge, fixed: b.identity.fixed)
        city.plant(
            .siteInteractionNoChannel, b.site.target, url: nil,
            note: "网站没有任何在线咨询/留言渠道（固定变体新增“咨询留言”栏目）", fix: .site(d.host))
        city.plant(
            .siteIdentityMissing, b.site.target, url: b.homepageURL, note: "页脚缺少党政机关网站标识",
            detail: ["missing": "badge"], fix: .site(d.host))
        city.finish(b)
    }
}
