import Foundation
import GovWatchCore
import Testing

@Suite struct ChinaTimeTests {
    @Test func daysInEveryCommonWriting() {
        let expected = CalendarDate(year: 2022, month: 3, day: 10)
        for text in ["2022-03-10", "2022/3/10", "2022.03.10", "2022年3月10日", "2022年03月10日", " 2022-3-10 "] {
            #expect(ChinaTime.parseDay(text) == expected, "\(text)")
        }
        for text in ["2022-02-30", "2022-13-01", "20220310", "2022-03", "2022/03-10", "2022年3月10", "abc"] {
            #expect(ChinaTime.parseDay(text) == nil, "\(text)")
        }
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
    }

    @Test func momentsAreChinaStandardTimeUnlessZoned() {
        #expect(ChinaTime.parseMoment("2022-03-15").map(ChinaTime.iso8601) == "2022-03-15T00:00:00+08:00")
        // `--as-of 2022-03-15` is the end of that day.
        #expect(ChinaTime.parseMoment("2022-03-15", bareDayMeansEnd: true).map(ChinaTime.iso8601) == "2022-03-16T00:00:00+08:00")
        #expect(ChinaTime.parseMoment("2022-03-15 09:30").map(ChinaTime.iso8601) == "2022-03-15T09:30:00+08:00")
        #expect(ChinaTime.parseMoment("2022-03-15T01:30:00Z").map(ChinaTime.iso8601) == "2022-03-15T09:30:00+08:00")
        #expect(ChinaTime.parseMoment("2022-03-15T09:30:00+08:00").map(ChinaTime.iso8601) == "2022-03-15T09:30:00+08:00")
        #expect(ChinaTime.parseMoment("2022-03-15T00:30:00-0100").map(ChinaTime.iso8601) == "2022-03-15T09:30:00+08:00")
        #expect(ChinaTime.parseMoment("2022-03-15 25:00") == nil)
        #expect(ChinaTime.parseMoment("2022-03-15 09:30 CST") == nil)
    }

    @Test func calendarArithmetic() {
        let day = CalendarDate(year: 2022, month: 2, day: 28)!
        #expect(day.adding(days: 1).description == "2022-03-01")
        #expect(day.adding(days: -59).description == "2021-12-31")
        #expect(CalendarDate(day.endOfDay.addingTimeInterval(-1)) == day)
    }
}
