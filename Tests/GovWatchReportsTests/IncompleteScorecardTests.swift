import Foundation
import GovWatchCore
import GovWatchReports
import GovWatchStore
import Testing

/// A site whose homepage could not be read is never 合格 silently: the scorecard (text, JSON,
/// CSV) and the notice say 未能完成检查; discovered columns awaiting confirmation are named.
@Suite struct IncompleteScorecardTests {
    static let blocked = Target(kind: .site, code: "4300000009", name: "江城市体育局")
    static let clean = Target(kind: .site, code: "4300000003", name: "江城市财政局")
    static let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!

    static var findings: [Finding] {
        let part = UnreadablePart(
            reason: .challenge, url: "http://tyj.jc.gov.cn/", skippedChecks: UnreadablePart.homepageChecks, scope: .homepage)
        let discovered = Finding(
            target: clean, indicator: .siteColumnStale, level: .notice, url: "http://czj.jc.gov.cn/czyw/index.html",
            detail: ["column": "财政要闻", "discovered": true], evidence: "栏目“财政要闻”……", locationKey: "http://czj.jc.gov.cn/czyw/index.html")
        return SiteInspectionIncomplete.check(site: blocked, unreadable: [part], indicators: .national2019) + [discovered]
    }

    static var cards: [Scorecard] {
        let scorer = Scorer(indicators: .national2019)
        return [scorer.score(clean, findings: findings), scorer.score(blocked, findings: findings)]
    }

    static func run() throws -> InspectionRun {
        let json = """
            {"code": "r-20220331-0001", "asOf": \(asOf.timeIntervalSinceReferenceDate), "indicatorSet": "national-2019@1",
             "startedAt": \(asOf.timeIntervalSinceReferenceDate), "finishedAt": \(asOf.timeIntervalSinceReferenceDate), "status": "finished"}
            """
        return try JSONDecoder().decode(InspectionRun.self, from: Data(json.utf8))
    }

    @Test func theScorerMarksTheCards() {
        let cards = Self.cards
        #expect(cards[0].passed && !cards[0].incomplete && cards[0].unconfirmedColumns == 1 && cards[0].score == 100)
        #expect(cards[1].passed && cards[1].incomplete && cards[1].vetoes.isEmpty)
    }

    @Test func theScorecardCommandSaysSoInTextJSONAndCSV() throws {
        let run = try Self.run()
        let text = try FindingsReport.render(run: run, scorecards: Self.cards, format: "text")
        #expect(text.contains("合格（未能完成检查）"), "\(text)")
        #expect(text.contains("首页未能读取"), "\(text)")
        #expect(text.contains("另有1个自动发现的栏目待确认，未计入单项否决"), "\(text)")
        #expect(text.contains("其中 1 个未能完成检查"), "\(text)")

        let json = try FindingsReport.render(run: run, scorecards: Self.cards, format: "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let targets = try #require(object["targets"] as? [[String: Any]])
        #expect(targets.map { $0["incomplete"] as? Bool } == [false, true])
        #expect(targets.map { $0["unconfirmedColumns"] as? Int } == [1, 0])

        let csv = try FindingsReport.render(run: run, scorecards: Self.cards, format: "csv")
        let lines = csv.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let row = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let field = { (name: String) in header.firstIndex(of: name).map { row[$0] } }
        #expect(field("incomplete") == "1", "\(lines)")
        #expect(field("unconfirmed_columns") == "0", "\(lines)")
        #expect(field("passed") == "1", "\(lines)")
    }

    @Test func theNoticeListsTheSiteAsNotFullyJudged() throws {
        let run = try Self.run()
        let results = PeriodResults(
            runs: [run], scorecards: Self.cards, findings: Self.findings,
            runOfTarget: ["site \(Self.clean.code)": run.code, "site \(Self.blocked.code)": run.code])
        let empty = PeriodResults(runs: [], scorecards: [], findings: [], runOfTarget: [:])
        let sites = [
            SiteRecord(code: Self.clean.code, name: Self.clean.name, url: "http://czj.jc.gov.cn/", kind: .department, unit: "江城市财政局"),
            SiteRecord(code: Self.blocked.code, name: Self.blocked.name, url: "http://tyj.jc.gov.cn/", kind: .department, unit: "江城市体育局"),
        ]
        let input = NoticeInput(
            period: .quarter(2022, 1)!, results: results, tickets: [], previousResults: empty, previousTickets: [], sites: sites,
            accounts: [])
        let notice = NoticeBuilder(today: ChinaTime.parseDay("2022-04-10")!).build(input)
        #expect(notice.overview.incompleteSites == 1)
        let listed = try #require(notice.problemSites.first { $0.code == Self.blocked.code })
        #expect(listed.incomplete)
        #expect(listed.problems.hasPrefix("首页未能读取，未能完成检查，需人工核查"), "\(listed.problems)")
        let table = try #require(NoticeDocument.attachmentTables(notice).first { $0.header.contains("结果") && $0.rows.contains { $0.contains(Self.blocked.name) } })
        #expect(table.rows.contains { $0.contains("合格（未能完成检查）") }, "\(table.rows)")
        let text = MarkdownWriter.render(notice)
        #expect(text.contains("其中1个网站首页在检查期间未能读取，未能完成检查"), "\(text.prefix(2000))")
        // The site with a discovered column is listed too only when it has other problems; its note is in the scorecard.
        #expect(!notice.problemSites.contains { $0.code == Self.clean.code })
    }
}
