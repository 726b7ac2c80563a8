import Foundation
import GovWatchCore
import GovWatchReports
import Testing

/// Periods: `YYYYQn`, `YYYY-MM`, `--from/--to`; which as-of times they hold; the previous period.
@Suite struct ReportPeriodTests {
    static func day(_ text: String) -> CalendarDate { ChinaTime.parseDay(text)! }

    @Test(arguments: [
        ("2022Q1", "2022-01-01", "2022-03-31", "2022年第一季度"),
        ("2022q2", "2022-04-01", "2022-06-30", "2022年第二季度"),
        ("2022-Q3", "2022-07-01", "2022-09-30", "2022年第三季度"),
        ("2024Q4", "2024-10-01", "2024-12-31", "2024年第四季度"),
        ("2022年第一季度", "2022-01-01", "2022-03-31", "2022年第一季度"),
        ("2022年二季度", "2022-04-01", "2022-06-30", "2022年第二季度"),
        ("2022-03", "2022-03-01", "2022-03-31", "2022年3月"),
        ("2024-2", "2024-02-01", "2024-02-29", "2024年2月"),
        ("2023-02", "2023-02-01", "2023-02-28", "2023年2月"),
        ("2022年12月", "2022-12-01", "2022-12-31", "2022年12月"),
    ])
    func parses(_ text: String, _ first: String, _ last: String, _ name: String) throws {
        let period = try ReportPeriod.parse(text)
        #expect(period.firstDay == Self.day(first))
        #expect(period.lastDay == Self.day(last))
        #expect(period.chineseName == name)
    }

    @Test(arguments: ["", "2022", "2022Q5", "2022Q0", "2022-13", "2022-00", "22Q1", "2022Q1x", "abcdQ1", "2022-1-1", "1800Q1"])
    func rejects(_ text: String) {
        #expect(throws: ReportPeriod.InvalidPeriod.self) { try ReportPeriod.parse(text) }
    }

    @Test func rangesAndTheirErrors() throws {
        let range = try ReportPeriod.range(from: "2022-01-01", to: "2022-03-15")
        #expect(range.kind == .range)
        #expect(range.dayCount == 74)
        #expect(range.chineseName == "2022年1月1日至3月15日")
        #expect(try ReportPeriod.range(from: "2021-12-20", to: "2022-01-05").chineseName == "2021年12月20日至2022年1月5日")
        #expect(throws: ReportPeriod.InvalidPeriod.self) { try ReportPeriod.range(from: "2022-03-15", to: "2022-01-01") }
        #expect(throws: ReportPeriod.InvalidPeriod.self) { try ReportPeriod.range(from: "2022-02-30", to: "2022-03-01") }
        #expect(throws: ReportPeriod.InvalidPeriod.self) { try ReportPeriod.range(from: "2022-01-01", to: "March") }
        let error = try #require(throws: ReportPeriod.InvalidPeriod.self) { try ReportPeriod.parse("2022Q5") }
        #expect(error.description == "统计周期“2022Q5”无效：季度应为 Q1–Q4")
    }

    /// `--as-of 2022-03-31` is 2022-04-01 00:00: the last moment of Q1, not the first of Q2.
    @Test func asOfTimesBelongToThePeriodTheyEnd() throws {
        let q1 = try ReportPeriod.parse("2022Q1")
        let endOfMarch = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!
        #expect(q1.contains(asOf: endOfMarch))
        #expect(!(try ReportPeriod.parse("2022Q2")).contains(asOf: endOfMarch))
        let endOfDecember = ChinaTime.parseMoment("2021-12-31", bareDayMeansEnd: true)!
        #expect(!q1.contains(asOf: endOfDecember))
        #expect(q1.contains(asOf: ChinaTime.parseMoment("2022-01-01T00:00:01+08:00")!))
        #expect(q1.contains(asOf: ChinaTime.parseMoment("2022-02-15T09:30:00+08:00")!))
        // A time in another zone is compared as an instant: 2022-03-31T16:30Z is 00:30 on 1 April in China.
        #expect(!q1.contains(asOf: ChinaTime.parseMoment("2022-03-31T16:30:00Z")!))
    }

    @Test func previousPeriodHasTheSameLength() throws {
        #expect(try ReportPeriod.parse("2022Q1").previous == ReportPeriod.quarter(2021, 4))
        #expect(try ReportPeriod.parse("2022Q3").previous == ReportPeriod.quarter(2022, 2))
        #expect(try ReportPeriod.parse("2022-01").previous == ReportPeriod.month(2021, 12))
        #expect(try ReportPeriod.parse("2022-03").previous == ReportPeriod.month(2022, 2))
        let range = try ReportPeriod.range(from: "2022-03-01", to: "2022-03-10")
        #expect(range.previous.firstDay == Self.day("2022-02-19"))
        #expect(range.previous.lastDay == Self.day("2022-02-28"))
        #expect(range.previous.dayCount == range.dayCount)
        #expect(try ReportPeriod.parse("2022Q1").previousName == "上季度")
        #expect(try ReportPeriod.parse("2022-03").previousName == "上月")
    }

    @Test func codesAndDates() throws {
        #expect(try ReportPeriod.parse("2022q1").code == "2022Q1")
        #expect(try ReportPeriod.parse("2022-3").code == "2022-03")
        #expect(ChineseDates.full(Self.day("2022-04-10")) == "2022年4月10日")
        #expect(ChineseDates.numerals(Self.day("2022-04-10")) == "二〇二二年四月十日")
        #expect(ChineseDates.numerals(Self.day("2020-12-31")) == "二〇二〇年十二月三十一日")
        #expect(ChineseDates.numerals(Self.day("2021-11-20")) == "二〇二一年十一月二十日")
        #expect(ChineseDates.ordinal(4) == "四")
        #expect(ChineseDates.ordinal(12) == "十二")
    }

    @Test func ratesPrintAsNotices() {
        #expect(Formatting.percent(passed: 10, of: 18) == "56%")
        #expect(Formatting.percent(passed: 29, of: 34) == "85%")
        #expect(Formatting.percent(passed: 199, of: 200) == "99%")  // never 100% with a failure
        #expect(Formatting.percent(passed: 1, of: 300) == "1%")  // never 0% with a pass
        #expect(Formatting.percent(passed: 0, of: 0) == "—")
        #expect(Formatting.pointsChange(5.4) == "上升5个百分点")
        #expect(Formatting.pointsChange(-12.6) == "下降13个百分点")
        #expect(Formatting.pointsChange(0) == "持平")
        #expect(Formatting.countChange(-3) == "减少3个")
    }
}
