import GovWatchCore
import Testing

@Suite struct WorkingCalendarTests {
    let calendar = WorkingCalendar.china

    func day(_ text: String) -> CalendarDate { ChinaTime.parseDay(text)! }

    @Test func dayNumbersAndWeekdaysAreRight() {
        #expect(day("1970-01-01").dayNumber == 0)
        #expect(day("2022-03-31").dayNumber == 19_082)
        #expect(day("2022-03-31").isoWeekday == 4)  // Thursday
        #expect(day("2024-02-29").isoWeekday == 4)
        #expect(day("1969-12-31").isoWeekday == 3)
        // Round trip over leap years and century boundaries.
        var current = day("1999-12-25")
        for _ in 0..<3_000 {
            #expect(CalendarDate(dayNumber: current.dayNumber) == current)
            let next = current.adding(days: 1)
            #expect(next.dayNumber == current.dayNumber + 1)
            #expect(next.isoWeekday == current.isoWeekday % 7 + 1)
            current = next
        }
    }

    @Test func addingMonthsClampsToTheMonthEnd() {
        #expect(day("2021-11-30").adding(months: 3) == day("2022-02-28"))
        #expect(day("2021-12-31").adding(months: 3) == day("2022-03-31"))
        #expect(day("2023-11-30").adding(months: 3) == day("2024-02-29"))
        #expect(day("2022-03-31").adding(months: -13) == day("2021-02-28"))
    }

    @Test(arguments: [
        // 调休 weekend working days from the notices.
        ("2018-12-29", true), ("2019-04-28", true), ("2019-05-05", true), ("2020-01-19", true), ("2021-09-18", true),
        ("2022-04-02", true), ("2023-06-25", true), ("2024-02-04", true), ("2024-02-18", true), ("2025-04-27", true),
        ("2026-01-04", true), ("2026-02-14", true), ("2026-02-28", true), ("2026-10-10", true),
        // Holidays on weekdays.
        ("2019-01-01", false), ("2019-05-03", false), ("2020-01-31", false), ("2021-02-17", false), ("2022-04-04", false),
        ("2022-04-05", false), ("2023-04-05", false), ("2023-10-06", false), ("2024-06-10", false), ("2025-01-28", false),
        ("2025-10-08", false), ("2026-02-23", false), ("2026-06-19", false), ("2026-09-25", false),
        // 2020-02-01 was to be a working Saturday; the epidemic extension made it a holiday.
        ("2020-02-01", false),
        // 除夕 2024 was only "encouraged" off: a working day.
        ("2024-02-09", true),
        // Ordinary days.
        ("2022-03-31", true), ("2022-03-26", false), ("2027-03-01", true), ("2027-03-06", false),
    ])
    func knownDays(_ text: String, _ working: Bool) {
        #expect(calendar.isWorkingDay(day(text)) == working, "\(text)")
    }

    @Test func everyCoveredYearHasItsSevenHolidays() {
        #expect(calendar.coveredYears == 2019...2026)
        for year in 2019...2026 {
            let names = calendar.entries.filter { $0.key.year == year && $0.value.kind == .holiday }.map(\.value.name)
            for holiday in ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"] {
                #expect(names.contains { $0.contains(holiday) }, "\(year) \(holiday)")
            }
        }
        #expect(calendar.holidayName(day("2022-10-03")) == "国庆节")
        #expect(calendar.holidayName(day("2022-10-08")) == nil)
    }

    @Test func workingDaysAcrossQingmingAndItsWorkingSaturday() {
        // 2022: 4月2日（星期六）上班, 4月3日至5日放假.
        let asked = day("2022-03-31")  // Thursday
        #expect(calendar.workingDays(from: asked, to: day("2022-04-01")) == 1)
        #expect(calendar.workingDays(from: asked, to: day("2022-04-02")) == 2)  // the 调休 Saturday counts
        #expect(calendar.workingDays(from: asked, to: day("2022-04-05")) == 2)  // three holidays do not
        #expect(calendar.workingDays(from: asked, to: day("2022-04-08")) == 5)
        #expect(calendar.workingDays(from: asked, to: day("2022-04-11")) == 6)
        #expect(calendar.workingDays(from: asked, to: asked) == 0)
        #expect(calendar.workingDays(from: day("2022-04-11"), to: asked) == -6)
    }

    @Test func addingWorkingDaysLandsOnWorkingDaysAndInvertsCounting() {
        #expect(calendar.adding(workingDays: 5, to: day("2022-03-31")) == day("2022-04-08"))
        #expect(calendar.adding(workingDays: 1, to: day("2022-04-01")) == day("2022-04-02"))
        #expect(calendar.adding(workingDays: 1, to: day("2022-09-30")) == day("2022-10-08"))
        #expect(calendar.adding(workingDays: -1, to: day("2022-10-08")) == day("2022-09-30"))
        #expect(calendar.adding(workingDays: 0, to: day("2022-10-03")) == day("2022-10-03"))
        var start = day("2019-12-20")
        for _ in 0..<200 {
            for count in [1, 5, 10, 15] {
                let end = calendar.adding(workingDays: count, to: start)
                #expect(calendar.isWorkingDay(end))
                #expect(calendar.workingDays(from: start, to: end) == count)
                #expect(calendar.workingDays(from: start, to: end.adding(days: -1)) == count - 1)
            }
            start = start.adding(days: 7)
        }
    }

    @Test func uncoveredYearsCountWeekendsOnly() {
        // 2027 is not in the data: Monday 2027-01-04 to Monday 2027-01-11 is 5 working days.
        #expect(calendar.workingDays(from: day("2027-01-04"), to: day("2027-01-11")) == 5)
        #expect(calendar.coveredYears?.contains(2027) == false)
    }

    @Test func parseRejectsBadLinesWithTheirLineNumber() throws {
        let good = try WorkingCalendar.parse("# c\ncovers\t2030\t2030\n2030-01-01\tholiday\t元旦\n2030-01-05\tworkday\t元旦\n", file: "x.tsv")
        #expect(good.coveredYears == 2030...2030)
        #expect(!good.isWorkingDay(day("2030-01-01")))
        #expect(good.isWorkingDay(day("2030-01-05")))  // a Saturday
        let cases: [(String, Int, String)] = [
            ("2030-01-01\tholiday\n", 1, "三列"),
            ("# header\n2030-02-30\tholiday\t春节\n", 2, "日期"),
            ("2030-01-01\tfree\t元旦\n", 1, "类型"),
            ("2030-01-01\tholiday\t元旦\n2030-01-01\tholiday\t元旦\n", 2, "重复"),
            ("2030-01-02\tworkday\t元旦\n", 1, "不是周六或周日"),
        ]
        for (text, line, reason) in cases {
            #expect {
                _ = try WorkingCalendar.parse(text, file: "x.tsv")
            } throws: { error in
                guard let error = error as? WorkingCalendar.FormatError else { return false }
                return error.line == line && error.reason.contains(reason) && error.description.hasPrefix("x.tsv:\(line):")
            }
        }
    }
}
