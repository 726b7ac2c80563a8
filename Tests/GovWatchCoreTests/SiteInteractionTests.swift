import Foundation
import GovWatchCore
import Testing

@Suite struct SiteInteractionNoChannelTests {
    func check(_ columns: [ColumnEvidence], homepage: HomepageEvidence? = F.homepage()) -> Finding? {
        SiteInteractionNoChannel.check(site: F.target, homepage: homepage, columns: columns, indicators: .national2019)
    }

    @Test func noConsultationColumnIsAVeto() throws {
        let columns = F.cleanColumns().filter { $0.column.category != .consultation }
        let finding = try #require(check(columns))
        #expect(finding.level == .veto)
        #expect(finding.detail["reason"] == "none")
        #expect(finding.evidence == "网站未设置在线咨询或留言渠道（如领导信箱、咨询留言）")
    }

    @Test func aChannelWhosePageFailsIsNoChannel() throws {
        let broken = F.column("主任信箱", "hdjl/ldxx", .consultation, dates: [], loaded: false)
        let finding = try #require(check([broken]))
        #expect(finding.detail["reason"] == "not-loading")
        #expect(finding.evidence == "在线咨询渠道“主任信箱”页面无法打开，网站没有可用的互动渠道")
        // Another channel that works is enough.
        let working = F.column("咨询留言", "hdjl/zxly", .consultation, dates: [F.daysAgo(2)])
        #expect(check([broken, working]) == nil)
        // An empty but loading mailbox is a channel (blank, perhaps, but working).
        #expect(check([F.column("咨询留言", "hdjl/zxly", .consultation, dates: [])]) == nil)
    }

    @Test func nothingIsConcludedWhenTheHomepageDidNotLoad() {
        #expect(check([], homepage: F.homepage(loaded: false)) == nil)
        #expect(check([], homepage: nil) == nil)
    }
}

@Suite struct SiteInteractionUnansweredTests {
    func message(_ id: Int, asked: CalendarDate, answered: CalendarDate? = nil, status: String? = nil) -> ConsultationMessage {
        ConsultationMessage(
            url: F.homepageURL + "hdjl/ldxx/\(id).html", title: "来信\(id)", askedOn: asked, answeredOn: answered, status: status,
            columnURL: F.mailboxURL)
    }

    func check(_ messages: [ConsultationMessage], asOf: Date = F.asOf) -> [Finding] {
        SiteInteractionUnanswered.check(site: F.target, messages: messages, asOf: asOf, indicators: .national2019)
    }

    @Test func exactlyThreeMonthsIsNotYetOverdueOneDayMoreIs() throws {
        #expect(check([message(1, asked: F.day("2021-12-31"))]).isEmpty)
        let findings = check([message(1, asked: F.day("2021-12-30"), status: "办理中")])
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.level == .veto)
        #expect(finding.url == F.homepageURL + "hdjl/ldxx/1.html")
        #expect(finding.detail["asked"] == "2021-12-30")
        #expect(finding.detail["daysUnanswered"] == 91)
        #expect(finding.detail["status"] == "办理中")
        #expect(finding.evidence == "留言“来信1”于2021-12-30提交，至监测时间点已91天未答复，状态为“办理中”，超过3个月")
    }

    @Test func messagesOlderThanAYearAreOutsideTheWindow() {
        #expect(check([message(1, asked: F.daysAgo(366))]).isEmpty)
        #expect(check([message(1, asked: F.daysAgo(480))]).isEmpty)
        #expect(check([message(1, asked: F.daysAgo(364))]).count == 1)
    }

    @Test func answeredInvalidAndFutureMessages() {
        // Answered late is slow, not unanswered.
        #expect(check([message(1, asked: F.daysAgo(150), answered: F.daysAgo(10))]).isEmpty)
        // Marked answered without a date.
        #expect(check([message(1, asked: F.daysAgo(150), status: "已回复")]).isEmpty)
        // Not a valid message.
        #expect(check([message(1, asked: F.daysAgo(150), status: "无效留言")]).isEmpty)
        // Answered only after the as-of day: still unanswered as of then.
        #expect(check([message(1, asked: F.daysAgo(150), answered: F.day("2022-04-10"), status: "已回复")]).count == 1)
        // Asked after the as-of day.
        #expect(check([message(1, asked: F.day("2022-04-01"))]).isEmpty)
        // "未办结" is not "已办结".
        #expect(check([message(1, asked: F.daysAgo(150), status: "未办结")]).count == 1)
    }

    @Test func messagesSharingTheirListURLStayApart() {
        // A list that links no message pages: the crawler gives each message the list's URL.
        let listed = (1...2).map { index in
            ConsultationMessage(
                url: F.mailboxURL, title: "来信\(index)", askedOn: F.daysAgo(100 + index), answeredOn: nil, columnURL: F.mailboxURL)
        }
        let findings = check(listed)
        #expect(findings.count == 2)
        #expect(Set(findings.map(\.fingerprint)).count == 2)
        #expect(findings.allSatisfy { $0.url == F.mailboxURL })
    }

    @Test func oneFindingPerMessageOldestFirstWithStableFingerprints() throws {
        let findings = check([message(2, asked: F.daysAgo(100)), message(1, asked: F.daysAgo(137)), message(2, asked: F.daysAgo(100))])
        #expect(findings.map { $0.detail["title"] } == ["来信1", "来信2"])
        let later = check(
            [message(1, asked: F.daysAgo(137))],
            asOf: F.today.adding(days: 30).endOfDay)
        #expect(later.first?.fingerprint == findings.first?.fingerprint)
        #expect(later.first?.detail["daysUnanswered"] == 167)
    }
}

@Suite struct SiteInteractionSlowReplyTests {
    /// As of the end of the second quarter of 2022, after 清明 (4月2日 Saturday 上班, 3–5日 放假).
    let asOf = ChinaTime.parseMoment("2022-06-30", bareDayMeansEnd: true)!

    func message(_ id: Int, asked: String, answered: String?, column: String? = F.mailboxURL) -> ConsultationMessage {
        ConsultationMessage(
            url: F.homepageURL + "hdjl/ldxx/\(id).html", title: "来信\(id)", askedOn: F.day(asked),
            answeredOn: answered.map(F.day), status: answered == nil ? "办理中" : "已回复", columnURL: column)
    }

    func check(_ messages: [ConsultationMessage]) -> [Finding] {
        SiteInteractionSlowReply.check(site: F.target, messages: messages, asOf: asOf, indicators: .national2019)
    }

    @Test func fiveWorkingDaysAcrossQingmingIsOnTimeSixIsLate() throws {
        // Thursday 3-31 to Friday 4-08: 4-01, 4-02 (调休 Saturday), 4-06, 4-07, 4-08 — five,
        // though eight calendar days and six plain weekdays have passed.
        #expect(check([message(1, asked: "2022-03-31", answered: "2022-04-08")]).isEmpty)
        let findings = check([message(1, asked: "2022-03-31", answered: "2022-04-11")])
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.level == .deduction)
        #expect(finding.url == F.mailboxURL)
        #expect(finding.detail["count"] == 1)
        #expect(finding.detail["slowestWorkingDays"] == 6)
        #expect(finding.detail["limitWorkingDays"] == 5)
        #expect(finding.detail["slowest"]?["answered"] == "2022-04-11")
        #expect(finding.evidence == "1条留言答复超过5个工作日；最慢一条“来信1”2022-03-31提交、2022-04-11答复，用时6个工作日")
    }

    @Test func oneFindingPerChannelWithCountAndSlowest() throws {
        let other = F.homepageURL + "hdjl/zxly/index.html"
        let findings = check([
            message(1, asked: "2022-05-09", answered: "2022-05-23"),  // 10 working days
            message(2, asked: "2022-05-16", answered: "2022-05-24"),  // 6
            message(3, asked: "2022-05-16", answered: "2022-05-17"),  // 1, on time
            message(4, asked: "2022-06-01", answered: nil),  // unanswered: the other indicator's
            message(5, asked: "2022-06-06", answered: "2022-06-14", column: other),  // 6 (端午 6-03 is before)
        ])
        #expect(findings.map(\.url) == [F.mailboxURL, other])
        #expect(findings[0].detail["count"] == 2)
        #expect(findings[0].detail["slowestWorkingDays"] == 10)
        #expect(findings[0].detail["slowest"]?["title"] == "来信1")
        #expect(findings[1].detail["count"] == 1)
    }

    @Test func messagesOlderThanTheLookBackAreNotCounted() {
        #expect(check([message(1, asked: "2021-05-10", answered: "2021-05-31")]).isEmpty)
    }

    @Test func theFingerprintIsTheChannelNotTheCount() throws {
        let one = try #require(check([message(1, asked: "2022-05-09", answered: "2022-05-23")]).first)
        let two = try #require(
            check([message(1, asked: "2022-05-09", answered: "2022-05-23"), message(2, asked: "2022-05-16", answered: "2022-05-31")]).first)
        #expect(one.fingerprint == two.fingerprint)
        #expect(two.detail["count"] == 2)
    }
}
