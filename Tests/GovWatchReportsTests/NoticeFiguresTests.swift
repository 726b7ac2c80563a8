import Foundation
import GovWatchCore
import GovWatchReports
import GovWatchStore
import Testing

/// Every figure of 江城市's notice for 2022Q1, worked out by hand from `SyntheticCity`.
@Suite(.serialized) struct NoticeFiguresTests {
    static let q1 = ReportPeriod.quarter(2022, 1)!
    static let today = ChinaTime.parseDay("2022-04-10")!

    static func notice(_ period: ReportPeriod = q1, settings: NoticeSettings = NoticeSettings()) async throws -> Notice {
        let store = try await SyntheticCity.stored.value
        return NoticeBuilder(settings: settings, today: today).build(try await NoticeInput.load(from: store, period: period))
    }

    @Test func periodResultsTakeEachTargetsLastFinishedRun() async throws {
        let store = try await SyntheticCity.stored.value
        let results = try await store.periodResults(asOfAfter: Self.q1.start, through: Self.q1.end)
        #expect(results.runs.map(\.code) == ["r-20220228-0001", "r-20220331-0001"])
        #expect(results.scorecards.count == 12)
        #expect(results.runOfTarget["site 4300000002"] == "r-20220331-0001")
        #expect(results.runOfTarget["account jcjy"] == "r-20220331-0001")
        #expect(results.runOfTarget["site 4300000005"] == "r-20220228-0001")  // not the unfinished run
        let education = results.scorecards.first { $0.target == SyntheticCity.education }
        #expect(education?.passed == true && education?.score == 97)
        // Run A's severe errors of 教育局 are superseded by run B; the unit's duplicate comes from run B.
        #expect(!results.findings.contains { $0.target == SyntheticCity.education && $0.indicator == .siteContentSevereError })
        #expect(results.findings.filter { $0.indicator == .accountDuplicate }.count == 1)
        #expect(results.findings.count == 20)
    }

    @Test func overviewAndComparison() async throws {
        let notice = try await Self.notice()
        let o = notice.overview
        #expect(o.sites == Tally(inspected: 6, passed: 4))
        #expect(o.sites.percent == "67%")
        #expect(abs((o.sites.rate ?? 0) - 4.0 / 6.0) < 1e-12)
        #expect(o.sitesByCategory == [
            NamedTally(name: "市级门户网站", tally: Tally(inspected: 1, passed: 1)),
            NamedTally(name: "市级部门网站", tally: Tally(inspected: 3, passed: 3)),
            NamedTally(name: "县（区）门户网站", tally: Tally(inspected: 1, passed: 0)),
            NamedTally(name: "县（区）部门网站", tally: Tally(inspected: 1, passed: 0)),
        ])
        #expect(o.accounts == Tally(inspected: 6, passed: 5))
        #expect(o.accounts.percent == "83%")
        #expect(o.accountsByPlatform == [
            NamedTally(name: "微信", tally: Tally(inspected: 3, passed: 3)),
            NamedTally(name: "微博", tally: Tally(inspected: 1, passed: 1)),
            NamedTally(name: "抖音", tally: Tally(inspected: 1, passed: 0)),
            NamedTally(name: "移动客户端", tally: Tally(inspected: 1, passed: 1)),
        ])
        #expect(o.problemCount == 17)
        #expect(o.vetoedSites == 2 && o.vetoedAccounts == 1)
        #expect(o.problemsByType.map { "\($0.name) \($0.count) \($0.targets)" } == [
            "栏目不更新 2 2", "空白栏目 5 1", "严重表述错误 2 1", "泄露个人信息 3 2", "错链断链 2 1",
            "同一平台重复开设账号 1 1", "互动功能缺失 1 1", "停用注销未备案 1 1",
        ])
        let previous = try #require(notice.previous)
        #expect(previous.sites == Tally(inspected: 5, passed: 2))
        #expect(previous.accounts == Tally(inspected: 3, passed: 2))
        #expect(previous.problemCount == 8)
        #expect(NoticeWording.changeSentence(notice)
            == "与上季度相比，政府网站合格率上升27个百分点（上季度为40%），政务新媒体合格率上升17个百分点（上季度为67%），发现问题增加9个（上季度8个）。")
        #expect(notice.runs == ["r-20220228-0001", "r-20220331-0001"])
    }

    @Test func problemsByType() async throws {
        let p = try await Self.notice().problems
        #expect(p.staleColumns == [
            NamedCount(name: "江城市教育局", unit: "江城市教育局", count: 1, items: ["工作动态"]),
            NamedCount(name: "江城市财政局", unit: "江城市财政局", count: 1, items: ["通知公告"]),
        ])
        #expect(p.staleColumnVetoSites.isEmpty)
        #expect(p.blankColumns == [
            NamedCount(name: "西山县卫生健康局", unit: "西山县卫生健康局", count: 5, items: ["栏目1", "栏目2", "栏目3", "栏目4", "栏目5"]),
        ])
        #expect(p.blankColumnVetoSites == ["西山县卫生健康局"])
        #expect(p.brokenLinkCount == 2 && p.brokenOnHomepage == 1)
        #expect(p.severeErrors.count == 1)
        let severe = try #require(p.severeErrors.first)
        #expect(severe.target == "东湖区人民政府" && severe.unit == "东湖区人民政府办公室")
        #expect(severe.wrong == "中国共产共党" && severe.correct == "中国共产党")
        #expect(severe.count == 2 && severe.pages == 2 && severe.repeated && severe.onSite)
        #expect(p.privacyByColumnType == [
            NamedCount(name: "公告公示栏目", unit: "", count: 2), NamedCount(name: "领导信箱（咨询留言）栏目", unit: "", count: 1),
        ])
        #expect(p.privacyByKind == [NamedCount(name: "身份证号", unit: "", count: 2), NamedCount(name: "手机号码", unit: "", count: 1)])
        #expect(p.privacyTargets.map { "\($0.name) \($0.count)" } == ["东湖区人民政府 2", "江城市教育局 1"])
        #expect(p.duplicateAccounts == [
            NamedCount(name: "江城市教育局", unit: "江城市教育局", count: 2, items: ["江城教育", "江城教育服务"], note: "微信"),
        ])
        #expect(p.staleAccounts.isEmpty && p.zombieAccounts.isEmpty)
        #expect(p.closuresUnfiled == [
            NamedCount(name: "江城通", unit: "江城市人民政府办公室", count: 1, items: ["已停用未备案", "已停用后仍提供下载"], note: "移动客户端"),
        ])
        #expect(p.otherAccountProblems.map(\.name) == ["互动功能缺失"])
        #expect(p.otherAccountProblems.first?.targets == ["江城财政"])
        #expect(p.otherSiteProblems.map { "\($0.name) \($0.level) \($0.targets)" } == ["未启用HTTPS notice [\"江城市人民政府\", \"江城市统计局\"]"])
    }

    /// Tickets: 21 from run A on 1 March, 2 more from run B; 财政局's stale column verified,
    /// its homepage link reported fixed; run B closed 教育局's two severe errors and jcjy's
    /// staleness. Every run A ticket still open is past its deadline (3 or 10 working days).
    @Test func backlogAtThePeriodsEnd() async throws {
        let notice = try await Self.notice()
        let b = notice.backlog
        #expect(b.total == 23)
        #expect(b.closed == 4 && b.feedback == 1 && b.open == 18 && b.dismissed == 0)
        #expect(b.overdue == 16 && b.reopened == 0)
        #expect(b.unresolved == 19)
        #expect(b.units.map { "\($0.unit) \($0.backlog) \($0.overdue) \($0.feedback)" } == [
            "西山县卫生健康局 6 6 0", "东湖区人民政府办公室 4 4 0", "江城市教育局 3 1 0", "江城市财政局 3 2 1",
            "江城市人民政府办公室 2 2 0", "江城市统计局 1 1 0",
        ])
        #expect(b.clearedUnits.isEmpty)
        #expect(notice.previousBacklog == nil)  // no ticket existed at the end of 2021Q4
        // The same figures as the tickets module counts them at that moment.
        let store = try await SyntheticCity.stored.value
        let tickets = try await store.tickets(asOf: Self.q1.end)
        #expect(tickets.count == b.total)
        #expect(tickets.filter { $0.isOverdue(at: Self.q1.end) }.count == b.overdue)
        // Before the verification on 15 March, the stale column was awaiting verification.
        let earlier = try await store.tickets(asOf: ChinaTime.parseMoment("2022-03-14T12:00:00+08:00")!)
        #expect(earlier.count == 21)
        #expect(earlier.first { $0.target == SyntheticCity.finance && $0.indicator == .siteColumnStale }?.state == .feedback)
        #expect(earlier.filter { $0.state == .closed }.isEmpty)
    }

    @Test func attachments() async throws {
        let notice = try await Self.notice()
        #expect(notice.commended == [CommendedUnit(unit: "江城市统计局", sites: ["江城市统计局"], accounts: [], lowestScore: 100)])
        #expect(notice.problemSites.map { "\($0.name)|\($0.kind)|\($0.unit)|\(Formatting.score($0.score))|\($0.passed)|\($0.problems)" } == [
            "西山县卫生健康局|县（区）部门网站|西山县卫生健康局|75|false|空白栏目5个；空白栏目达到单项否决（单项否决）",
            "东湖区人民政府|县（区）门户网站|东湖区人民政府办公室|90|false|严重表述错误2处（单项否决）；泄露个人信息2处",
            "江城市教育局|市级部门网站|江城市教育局|97|true|栏目不更新1个；泄露个人信息1处",
        ])
        #expect(notice.problemAccounts.map { "\($0.name)|\($0.kind)|\($0.unit)|\($0.passed)|\($0.problems)" } == [
            "江城财政|抖音|江城市财政局|false|互动功能缺失1个（单项否决）",
            "江城通|移动客户端|江城市人民政府办公室|true|停用注销未备案1个",
            "江城教育服务|微信|江城市教育局|true|同一平台重复开设账号",
        ])
        // A stricter rule: a minimum score of 100 still lists 统计局; requiring no findings
        // at all keeps it too (its HTTPS notice is not a finding above notice level).
        let strict = try await Self.notice(settings: NoticeSettings(commendation: CommendationRule(minimumScore: 100, requireNoFindings: true)))
        #expect(strict.commended.map(\.unit) == ["江城市统计局"])
        #expect(strict.commendationRule == "所属政府网站和政务新媒体检查全部合格、得分均不低于100分、未发现扣分问题、统计期末无未完成整改的扣分或否决问题")
    }

    @Test func headerTemplateAndSignature() async throws {
        let notice = try await Self.notice()
        #expect(notice.office == "江城市人民政府办公室")
        #expect(notice.officeShort == "市政府办公室")
        #expect(notice.title == "江城市人民政府办公室关于2022年第一季度全市政府网站和政府系统政务新媒体检查情况的通报")
        #expect(notice.recipients == "各县（区）人民政府，市政府各部门，各有关单位：")
        #expect(notice.dateText == "2022年4月10日")
        #expect(notice.opening.count == 1)
        #expect(notice.opening[0].contains("市政府办公室对全市政府网站和政府系统政务新媒体开展了2022年第一季度检查。现将有关情况通报如下。"))
        #expect(notice.achievements.map(\.heading) == ["运行管理总体平稳。", "问题整改有序推进。", "部分单位工作成效明显。"])
        #expect(notice.achievements[0].paragraphs[0].hasSuffix("本期检查政府网站6个、政务新媒体6个，合格率分别为67%、83%。"))
        #expect(notice.achievements[1].paragraphs == ["各单位对照检查发现的问题认真整改，截至2022年3月31日，已整改销号问题4个。"])
        #expect(notice.achievements[2].paragraphs[0].hasPrefix("江城市统计局等1个单位所属政府网站和政务新媒体检查全部合格"))
        #expect(notice.requirements.count == 5)
        #expect(notice.requirements[0].paragraphs[1] == "截至2022年3月31日，仍有19个问题未完成整改，其中16个已超过整改期限，相关单位要限期清零，逾期未整改的将在下期通报中予以点名。")

        let custom = try await Self.notice(settings: NoticeSettings(
            office: "江城市大数据中心", title: "关于一季度检查情况的通报", recipients: "各单位：", documentNumber: "江数函〔2022〕3号",
            date: ChinaTime.parseDay("2022-04-12"), chineseNumeralDate: true, contact: "联系人：李明，电话：0731-12345678"))
        #expect(custom.title == "关于一季度检查情况的通报")
        #expect(custom.officeShort == "江城市大数据中心")
        #expect(custom.dateText == "二〇二二年四月十二日")
        let blocks = NoticeDocument.blocks(custom)
        #expect(blocks.contains(.documentNumber("江数函〔2022〕3号")))
        #expect(blocks.contains(.signature(office: "江城市大数据中心", date: "二〇二二年四月十二日")))
        #expect(blocks.contains(.note("联系人：李明，电话：0731-12345678")))
        // The issuing office is no longer 江城市人民政府办公室, yet its unit stays unlisted:
        // it failed nothing but has open deduction tickets (the app).
        #expect(custom.commended.map(\.unit) == ["江城市统计局"])
    }

    @Test func theBodyText() async throws {
        let notice = try await Self.notice()
        let text = NoticeDocument.blocks(notice).compactMap { block -> String? in
            if case .paragraph(let runs) = block { return runs.map(\.text).joined() }
            return nil
        }
        #expect(text.contains(
            "本次共检查全市政府网站6个，其中市级门户网站1个、市级部门网站3个、县（区）门户网站1个、县（区）部门网站1个；合格4个，合格率67%。"
                + "检查政府系统政务新媒体6个，其中微信3个、微博1个、抖音1个、移动客户端1个；合格5个，合格率83%。"))
        #expect(text.contains { $0.hasPrefix("检查共发现各类问题17个，2个网站、1个政务新媒体存在单项否决问题，判定为不合格。与上季度相比") })
        #expect(text.contains("1.栏目更新不及时。2个网站的2个栏目超过更新周期未更新，分别是：江城市教育局网站（1个：工作动态）、江城市财政局网站（1个：通知公告）。"))
        #expect(text.contains("2.存在空白栏目。1个网站存在空白栏目5个：西山县卫生健康局网站（5个：栏目1、栏目2、栏目3、栏目4、栏目5）。其中，西山县卫生健康局网站空白栏目数量达到单项否决标准。"))
        #expect(text.contains("3.错链断链较多。1个网站存在无法正常访问的链接2个（其中首页1个）：江城市财政局网站（2个）。"))
        #expect(text.contains(
            "4.出现严重表述错误。1个网站出现严重表述错误2处：东湖区人民政府网站将“中国共产党”错写为“中国共产共党”（2处）。"
                + "其中，东湖区人民政府办公室（“中国共产共党”在2个页面重复出现）同一错误反复出现，信息发布审核把关不严，问题突出。"))
        #expect(text.contains(
            "5.泄露个人信息。2个网站在页面或附件中公开个人信息3处，其中公告公示栏目2处、领导信箱（咨询留言）栏目1处；涉及身份证号2处、手机号码1处。"
                + "分别是：东湖区人民政府网站（2处）、江城市教育局网站（1处）。"))
        #expect(text.contains("6.其他问题。另有提示性问题：未启用HTTPS（2个网站），请相关单位一并改进。"))
        #expect(text.contains("1.同一平台重复开设账号。江城市教育局在微信平台开设“江城教育”“江城教育服务”2个账号，存在多头开设、重复建设问题，分散了主账号的传播力。"))
        #expect(text.contains("2.停用注销未按规定备案。“江城通”（移动客户端）已停用未备案、已停用后仍提供下载。"))
        #expect(text.contains("3.其他问题。还存在互动功能缺失（江城财政）等问题。"))
        #expect(text.contains { $0.hasPrefix("截至2022年3月31日，全市累计建立整改问题23个，已整改销号4个，尚有19个问题未完成整改（待整改18个、已反馈待核验1个），其中超过整改期限16个。6个单位未实现问题清零（见表4），其中西山县卫生健康局（未完成6个，逾期6个）、东湖区人民政府办公室（未完成4个，逾期4个）、江城市教育局（未完成3个，逾期1个）整改进度滞后，问题突出。") })
    }

    /// A period with nothing inspected gives a valid notice that says so.
    @Test func anEmptyPeriodSaysNothingWasInspected() async throws {
        let notice = try await Self.notice(ReportPeriod.quarter(2023, 1)!)
        #expect(notice.isEmpty)
        #expect(notice.runs.isEmpty && notice.previous == nil)
        #expect(notice.problemSites.isEmpty && notice.problemAccounts.isEmpty && notice.commended.isEmpty)
        let markdown = MarkdownWriter.render(notice)
        #expect(markdown.contains("2023年第一季度，统计周期内没有已完成的政府网站和政务新媒体检查，本期无检查数据。"))
        #expect(markdown.contains("本期无符合条件的单位。"))
        #expect(markdown.contains("## 四、下一步工作要求"))
        // The backlog still stands at the period's end: 2023 sees the 2022 tickets.
        #expect(notice.backlog.total == 23)
        for format in NoticeFormat.allCases {
            #expect(try !format.render(notice).isEmpty)
        }
        // A period before anything was stored has no tickets either.
        let early = try await Self.notice(ReportPeriod.month(2021, 6)!)
        #expect(early.isEmpty && early.backlog.total == 0)
        #expect(NoticeDocument.blocks(early).contains(.paragraph([TextRun("截至2021年6月30日，尚无整改问题记录。")])))
    }
}
