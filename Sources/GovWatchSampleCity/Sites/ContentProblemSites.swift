import Foundation
import GovWatchCore

/// Sites whose problems are in what they publish: personal information (in pages, .xlsx,
/// .docx and PDF attachments, a mailbox reply), severe expression errors repeated across
/// pages, sensitive words, dark links, and a wrong 网站标识码.
enum ContentProblemSites {
    static func build(into city: CityBuilder) {
        education(city)
        health(city)
        humanResources(city)
        culture(city)
    }

    /// 鸿溪市教育局 (TRS): leaks in a 公示 page and its .xlsx list; the same severe error on
    /// three pages. None of it is fixed in the fixed variant (the overdue scenario's unit).
    private static func education(_ city: CityBuilder) {
        let d = Roster.education
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "education", style: .trs)
        b.addStandardColumns()
        let target = b.site.target

        // The 公示 page with a full ID number and mobile number, and its .xlsx attachment.
        let rows = [
            ["序号", "姓名", "性别", "身份证号", "任教学科", "联系电话"],
            ["1", "周文静", "女", PlantedValues.xlsxID1, "小学语文", PlantedValues.xlsxMobile],
            ["2", "黄志成", "男", PlantedValues.xlsxID2, "初中数学", "0731-88883456"],
        ]
        let listURL = b.addArticle(
            Article(
                title: "2022年上半年中小学教师资格认定拟认定人员名单公示", date: city.clock.daysAgo(9), source: d.unit,
                body: Varying(
                    HTML.paragraph("根据教师资格认定有关规定，现将2022年上半年中小学教师资格拟认定人员名单予以公示，公示期5个工作日。")
                        + "\n"
                        + HTML.table(
                            header: ["序号", "姓名", "身份证号", "认定学段", "联系电话"],
                            rows: [["1", "刘晓婷", PlantedValues.teacherID, "初级中学", PlantedValues.teacherMobile]])
                        + "\n" + HTML.paragraph("公示期间如有异议，请向市教育局教师工作科反映，电话：0731-88882211。")),
                attachments: [
                    Attachment(
                        title: "拟认定人员名单.xlsx", fileName: "P020220323548712306541.xlsx", contentType: OfficeDocuments.xlsxType,
                        data: Varying(OfficeDocuments.xlsx(rows: rows)))
                ]),
            to: b.column(.notice))
        city.plant(
            .siteContentPrivacy, target, url: listURL, note: "公示页面表格中公开了完整的居民身份证号码",
            detail: ["kind": "id-card", "masked": PersonalData.mask(PlantedValues.teacherID, kind: .idCard)])
        city.plant(
            .siteContentPrivacy, target, url: listURL, note: "公示页面表格中公开了个人手机号码",
            detail: ["kind": "mobile", "masked": PersonalData.mask(PlantedValues.teacherMobile, kind: .mobile)])
        let xlsxURL = b.attachmentURL(column: b.column(.notice), articleURL: listURL, fileName: "P020220323548712306541.xlsx")
        for id in [PlantedValues.xlsxID1, PlantedValues.xlsxID2] {
            city.plant(
                .siteContentPrivacy, target, url: xlsxURL, note: "附件Excel名单（Sheet1）中公开了完整的居民身份证号码",
                detail: ["kind": "id-card", "masked": PersonalData.mask(id, kind: .idCard), "sheet": "Sheet1"])
        }
        city.plant(
            .siteContentPrivacy, target, url: xlsxURL, note: "附件Excel名单（Sheet1）中公开了个人手机号码",
            detail: ["kind": "mobile", "masked": PersonalData.mask(PlantedValues.xlsxMobile, kind: .mobile), "sheet": "Sheet1"])

        // The same severe error on three news pages of one unit. The first page also carries
        // hostile markup as its text (a paste into the CMS editor that it escaped), close
        // enough to the error to be in the finding's evidence, and a `javascript:` link with
        // an event attribute in its HTML: the platform must show all of it inert (the browser
        // test looks at that finding's page). Nothing of it is a problem of its own.
        let titles = ["市教育局召开依法治校示范校创建工作推进会", "市教育局开展“法治进校园”宣传活动", "全市中小学开展国家安全教育日主题活动"]
        for (index, title) in titles.enumerated() {
            let opening = index == 0
                ? HTML.paragraph(
                    "会议要求，各学校要认真学习贯彻\(HostileMarkup.script)《中华人民共合国\(HostileMarkup.attribute)教育法》\(HostileMarkup.scriptEnd)"
                        + "《中华人民共和国未成年人保护法》，依法规范办学行为。")
                    + "\n<p><a href=\"\(HostileMarkup.javascriptURL)\" onmouseover=\"alert(1)\">点击查看会议原文</a></p>"
                : HTML.paragraph("会议要求，各学校要认真学习贯彻《中华人民共合国教育法》《中华人民共和国未成年人保护法》，依法规范办学行为。")
            let url = b.addArticle(
                Article(
                    title: title, date: city.clock.daysAgo(2 + index * 4, hour: 15), source: d.unit,
                    body: Varying(opening + "\n" + b.prose(topic: "校园安全", sentences: 3))),
                to: b.column(.news))
            if index == 0 { city.hostileMarkupURL = url }
            city.plant(
                .siteContentSevereError, target, url: url,
                note: "正文把“中华人民共和国”错写为“中华人民共合国”（同一单位第\(index + 1)处，共3处重复）",
                detail: ["wrong": "中华人民共合国", "correct": "中华人民共和国", "count": "3"])
        }
        city.finish(b)
    }

    /// 鸿溪市卫生健康委员会 (Hanweb): health conditions of named people in a 公示 page, its
    /// .docx form, and a leader-mailbox reply (the mailbox reply stays unfixed: the reopened scenario).
    private static func health(_ city: CityBuilder) {
        let d = Roster.health
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "health", style: .hanweb)
        b.addStandardColumns()
        let target = b.site.target

        b.addArticle(
            Article(
                title: "鸿溪市新冠肺炎疫情防控工作情况通报", date: city.clock.daysAgo(1, hour: 8), source: d.unit,
                body: Varying(LookAlikes.aggregateHealthStatistics() + "\n" + b.prose(topic: "疫情防控", sentences: 2))),
            to: b.column(.news))

        let docName = "医疗救助审批表.docx"
        let original = OfficeDocuments.docx(paragraphs: [
            "鸿溪市困难群众医疗救助审批表", "申请人：王秀英  性别：女", "身份证号：\(PlantedValues.docxID)",
            "申请事由：王秀英确诊为乳腺癌，住院治疗费用负担较重，申请医疗救助。", "审批意见：同意救助。",
        ])
        let fixed = OfficeDocuments.docx(paragraphs: [
            "鸿溪市困难群众医疗救助审批表", "申请人：王*英  性别：女", "身份证号：\(PersonalData.mask(PlantedValues.docxID, kind: .idCard))",
            "申请事由：因病住院治疗费用负担较重，申请医疗救助。", "审批意见：同意救助。",
        ])
        let noticeURL = b.addArticle(
            Article(
                title: "2022年第一季度困难群众医疗救助情况公示", date: city.clock.daysAgo(12), source: d.unit,
                body: Varying(
                    original: HTML.paragraph("现将2022年第一季度医疗救助对象公示如下：")
                        + HTML.table(header: ["姓名", "救助原因", "救助金额（元）"], rows: [["李红梅", "患有尿毒症，长期血液透析", "12,000"]]),
                    fixed: HTML.paragraph("现将2022年第一季度医疗救助对象公示如下：")
                        + HTML.table(header: ["姓名", "救助原因", "救助金额（元）"], rows: [["李*梅", "因病", "12,000"]])),
                attachments: [
                    Attachment(
                        title: docName, fileName: "P020220318337015642.docx", contentType: OfficeDocuments.docxType,
                        data: Varying(original: original, fixed: fixed))
                ]),
            to: b.column(.notice))
        city.plant(
            .siteContentPrivacy, target, url: noticeURL, note: "公示页面写明了具名人员（李红梅）患有尿毒症的健康状况",
            detail: ["kind": "health", "masked": "李*梅…患有"], fix: .urls([noticeURL]))
        let docURL = b.attachmentURL(column: b.column(.notice), articleURL: noticeURL, fileName: "P020220318337015642.docx")
        city.plant(
            .siteContentPrivacy, target, url: docURL, note: "附件Word审批表中公开了完整的居民身份证号码",
            detail: ["kind": "id-card", "masked": PersonalData.mask(PlantedValues.docxID, kind: .idCard)], fix: .urls([docURL]))
        city.plant(
            .siteContentPrivacy, target, url: docURL, note: "附件Word审批表写明了具名人员（王秀英）确诊乳腺癌",
            detail: ["kind": "health", "masked": "王*英确诊"], fix: .urls([docURL]))

        // A mailbox reply naming the writer's father and his illness; never fixed.
        let mailbox = b.column(.consultation)
        let asked = city.clock.daysAgo(20, hour: 16, minute: 40)
        let letterURL = b.addLetter(
            Letter(
                title: "关于父亲慢性病门诊报销的咨询", question: "我父亲长期在市人民医院看门诊，请问门诊慢特病待遇怎么申请？", asker: "王**", asked: asked,
                reply: Letter.Reply(
                    date: city.clock.adding(days: 2, to: asked),
                    text: Varying("您好！经核实，来信人父亲王建华患有2型糖尿病伴肾病，符合门诊慢特病认定条件，请携带病历资料到参保地医保经办机构申请认定。"),
                    replier: d.unit)),
            to: mailbox)
        city.plant(
            .siteContentPrivacy, target, url: letterURL, note: "领导信箱答复中写明了具名人员（王建华）患有2型糖尿病伴肾病（固定变体中仍未整改）",
            detail: ["kind": "health", "masked": "王*华患有"])
        city.finish(b)
    }

    /// 鸿溪市人力资源和社会保障局 (table style): a mobile number in a recruitment 公示, a bank
    /// card number in a subsidy 公示, an ID number inside a PDF list. All fixed in the fixed variant.
    private static func humanResources(_ city: CityBuilder) {
        let d = Roster.humanResources
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "hrss", style: .table)
        b.addStandardColumns()
        let target = b.site.target

        let pdfOriginal = MinimalPDF.document(lines: [
            "Hongxi Municipal Human Resources and Social Security Bureau", "2022 public recruitment - candidates for employment",
            "No. 1  Name: Zhou Xiaoyan  ID: \(PlantedValues.pdfID)  Post: HX2022-015",
        ])
        let pdfFixed = MinimalPDF.document(lines: [
            "Hongxi Municipal Human Resources and Social Security Bureau", "2022 public recruitment - candidates for employment",
            "No. 1  Name: Zhou Xiaoyan  ID: \(PersonalData.mask(PlantedValues.pdfID, kind: .idCard))  Post: HX2022-015",
        ])
        let recruitURL = b.addArticle(
            Article(
                title: "2022年市属事业单位公开招聘拟聘用人员公示", date: city.clock.daysAgo(16), source: d.unit,
                body: Varying(
                    original: HTML.table(
                        header: ["姓名", "性别", "报考岗位", "联系电话"], rows: [["周晓燕", "女", "HX2022-015 会计", PlantedValues.recruitMobile]]),
                    fixed: HTML.table(
                        header: ["姓名", "性别", "报考岗位", "联系电话"],
                        rows: [["周晓燕", "女", "HX2022-015 会计", PersonalData.mask(PlantedValues.recruitMobile, kind: .mobile)]])),
                attachments: [
                    Attachment(
                        title: "拟聘用人员名单.pdf", fileName: "W020220315612034.pdf", contentType: MinimalPDF.contentType,
                        data: Varying(original: pdfOriginal, fixed: pdfFixed))
                ]),
            to: b.column(.personnel))
        city.plant(
            .siteContentPrivacy, target, url: recruitURL, note: "招聘公示中公开了拟聘用人员的手机号码",
            detail: ["kind": "mobile", "masked": PersonalData.mask(PlantedValues.recruitMobile, kind: .mobile)],
            fix: .urls([recruitURL]))
        let pdfURL = b.attachmentURL(column: b.column(.personnel), articleURL: recruitURL, fileName: "W020220315612034.pdf")
        city.plant(
            .siteContentPrivacy, target, url: pdfURL, note: "附件PDF名单中公开了完整的居民身份证号码（ASCII文本，pdftotext可提取）",
            detail: ["kind": "id-card", "masked": PersonalData.mask(PlantedValues.pdfID, kind: .idCard)], fix: .urls([pdfURL]))

        let subsidyURL = b.addArticle(
            Article(
                title: "2022年3月就业见习补贴发放情况公示", date: city.clock.daysAgo(7), source: d.unit,
                body: Varying(
                    original: HTML.paragraph("见习人员周某某，补贴金额1,500元，户名：周晓燕，银行卡号：\(PlantedValues.subsidyBankCard)，开户行：中国建设银行鸿溪分行。"),
                    fixed: HTML.paragraph("见习人员周某某，补贴金额1,500元，已发放至本人社会保障卡银行账户。"))
                    .appending(LookAlikes.maskedPersonalData())),
            to: b.column(.notice))
        city.plant(
            .siteContentPrivacy, target, url: subsidyURL, note: "补贴公示中“银行卡号”后公开了完整的银行卡号（通过Luhn校验）",
            detail: ["kind": "bank-card", "masked": PersonalData.mask(PlantedValues.subsidyBankCard, kind: .bankCard)],
            fix: .urls([subsidyURL]))
        city.finish(b)
    }

    /// 鸿溪市文化旅游广电体育局 (TRS): a tampered site — hidden links to gambling domains on the
    /// homepage and off-screen in an article, spam with sensitive words, a wrong 网站标识码 in the
    /// footer; and an endless activity calendar (a spider trap, not a problem).
    private static func culture(_ city: CityBuilder) {
        let d = Roster.culture
        let b = city.makeSite(
            code: d.code, name: d.name, host: d.host, unit: d.unit, parent: Roster.cityGovernment, unitShort: d.short,
            topic: "culture", style: .trs)
        b.addStandardColumns()
        let target = b.site.target

        var wrong = b.identity.original
        wrong.code = "4390000090"
        b.identity = Varying(original: wrong, fixed: b.identity.fixed)
        city.plant(
            .siteIdentityMissing, target, url: b.homepageURL, note: "页脚（及SiteIDCode元标签）的网站标识码4390000090与登记的4390000009不一致",
            detail: ["missing": "code-mismatch", "shown": "4390000090", "registered": d.code], fix: .site(d.host))

        let darkLinks = ["http://www.hg8868-bet.com/", "http://www.xpj3377.net/"]
        b.homepageExtra = Varying(
            original: "<div style=\"display:none\"><a href=\"\(darkLinks[0])\">在线体育</a> <a href=\"\(darkLinks[1])\">VIP会员中心</a></div>\n",
            fixed: "")
        for link in darkLinks {
            city.plant(
                .siteDarkLink, target, url: b.homepageURL, note: "首页display:none隐藏区块中指向政府域名之外博彩站点的暗链",
                detail: ["link": link, "hidden": "display:none"], fix: .urls([b.homepageURL, b.url("/index.html")]))
        }

        let offscreen = "http://www.dafa888-vip.com/"
        let articleURL = b.addArticle(
            Article(
                title: "市文旅广体局开展春季旅游市场综合执法检查", date: city.clock.daysAgo(3), source: d.unit,
                body: Varying(
                    original: b.prose(topic: "旅游市场监管", sentences: 3)
                        + "\n<span style=\"position:absolute;left:-9999px;top:-9999px\"><a href=\"\(offscreen)\">官方网站</a></span>\n"
                        + HTML.paragraph("专业代开发票，六合彩特码免费推荐，详询客服。"),
                    fixed: b.prose(topic: "旅游市场监管", sentences: 3))),
            to: b.column(.news))
        city.plant(
            .siteDarkLink, target, url: articleURL, note: "正文中用绝对定位移出屏幕（left:-9999px）的外链暗链",
            detail: ["link": offscreen, "hidden": "off-screen"], fix: .urls([articleURL]))
        for term in ["代开发票", "六合彩"] {
            city.plant(
                .siteContentSensitive, target, url: articleURL, note: "正文被篡改插入的垃圾广告含敏感词“\(term)”",
                detail: ["term": term], fix: .urls([articleURL]))
        }

        b.navExtras = [("活动日历", "/hdrl/index.html?month=2022-03")]
        city.dynamicRoutes[b.url("/hdrl/index.html")] = .calendar(siteName: d.name)

        // A registered column whose list page is a JavaScript shell, as www.lottery.gov.cn's
        // 历史开奖 page is (Tests/Fixtures/real-pages/column-js-shell-www.lottery.gov.cn-kjlb.html):
        // empty containers, a script that fills the list at run time, no plain data URL. The
        // same in both variants; unread, it counts toward no stale/blank column or veto.
        let shellName = "活动预告"
        let shellURL = b.addRawColumn(
            shellName, path: "/hdyg/index.html", category: .news, page: Varying(Resource.html(jsShellColumnPage(title: shellName))))
        city.plant(
            .siteInspectionIncomplete, target, url: shellURL, note: "栏目内容由JavaScript动态加载，未找到数据源，未能完成检查",
            detail: ["reason": "javascript", "scope": "column", "url": shellURL, "column": shellName])
        city.finish(b)
    }
}

extension ContentProblemSites {
    /// A column list page drawn entirely by script: a title, empty containers, and a script
    /// that renders the list from names in a config object (no URL string a crawler could read).
    static func jsShellColumnPage(title: String) -> String {
        """
        <!doctype html>
        <html>
        <head>
        <meta charset="UTF-8">
        <meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
        <title>\(HTML.escape(title))栏目</title>
        <script src="/js/common.js"></script>
        <script>
          var jsCommonDataV1 = { siteId: 'whlgt', column: 'hdyg', env: 'prd', pageSize: 15 };
        </script>
        </head>
        <body>
        <div class="g-topbar"><div class="container" id="sy_101"></div></div>
        <div class="container" id="sy_102"></div>
        <div class="container"><ul class="news-list" id="hdyg_list"></ul><div class="page" id="hdyg_page"></div></div>
        <div class="container" id="sy_109"></div>
        <script>
          var idList = 'sy_101,sy_102,sy_109';
          commonV1Fun.loadHtml(idList, jsCommonDataV1.siteId);
          commonV1Fun.renderList('hdyg_list', 'hdyg_page', jsCommonDataV1);
        </script>
        </body>
        </html>
        """
    }
}

extension Varying where Value == String {
    /// Both variants with `suffix` appended.
    func appending(_ suffix: String) -> Varying<String> {
        Varying(original: original + "\n" + suffix, fixed: fixed + "\n" + suffix)
    }
}
