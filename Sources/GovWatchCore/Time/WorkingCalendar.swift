import Foundation

/// China's working days (工作日): Monday to Friday, minus public holidays (放假), plus the
/// weekend days the State Council makes working days (调休上班).
///
/// Used wherever a rule counts working days: `site.interaction.slow-reply` ("more than 5
/// working days") and rectification deadlines. The days come from the State Council
/// General Office's annual notices, kept in `Data/calendar/cn-holidays.tsv` (one notice per
/// year, cited in the file) so a new year's notice is a data change, not a code change.
/// Years the file does not cover count weekends only; `coveredYears` says which are covered.
public struct WorkingCalendar: Sendable, Hashable {
    /// What a listed day is.
    public enum DayKind: String, Sendable, Hashable, Codable {
        /// 放假: not a working day, whatever the weekday.
        case holiday
        /// 调休上班: a Saturday or Sunday that is a working day.
        case workday
    }

    /// A listed day with its holiday's name (元旦, 春节 …).
    public struct Entry: Sendable, Hashable {
        public var kind: DayKind
        public var name: String

        public init(kind: DayKind, name: String) {
            self.kind = kind
            self.name = name
        }
    }

    /// A bad line in a calendar file; the message is for a person, in Chinese.
    public struct FormatError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
        public var file: String
        public var line: Int
        public var reason: String

        public var description: String { "\(file):\(line): 节假日文件格式错误：\(reason)" }
        public var errorDescription: String? { description }
    }

    /// The listed days: holidays and 调休 working days.
    public let entries: [CalendarDate: Entry]
    /// The years whose notices the data holds completely; nil when the file does not say.
    public let coveredYears: ClosedRange<Int>?

    public init(entries: [CalendarDate: Entry], coveredYears: ClosedRange<Int>? = nil) {
        self.entries = entries
        self.coveredYears = coveredYears
    }

    /// The calendar shipped with GovWatch (2019–2026 from the State Council's notices).
    public static let china: WorkingCalendar = {
        guard let url = Bundle.module.url(forResource: "cn-holidays", withExtension: "tsv", subdirectory: "Data/calendar"),
            let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8)
        else { fatalError("GovWatchCore resource Data/calendar/cn-holidays.tsv is missing") }
        // The shipped file is tested; a format error here is a build defect, not user input.
        return try! parse(text, file: "Data/calendar/cn-holidays.tsv")
    }()

    /// Parses a calendar file: `DATE<TAB>holiday|workday<TAB>name` per line, an optional
    /// `covers<TAB>FIRST<TAB>LAST` line, `#` comments and blank lines.
    ///
    /// - Parameter file: the name used in error messages.
    /// - Throws: `FormatError` naming the first bad line (a malformed date, an unknown kind,
    ///   a day listed twice, or a 调休 working day that is not a Saturday or Sunday).
    public static func parse(_ text: String, file: String) throws -> WorkingCalendar {
        var entries: [CalendarDate: Entry] = [:]
        var covered: ClosedRange<Int>?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            func fail(_ reason: String) -> FormatError { FormatError(file: file, line: lineNumber, reason: reason) }
            if fields[0] == "covers" {
                guard fields.count == 3, let first = Int(fields[1]), let last = Int(fields[2]), first <= last else {
                    throw fail("“covers”行应为“covers<TAB>起始年<TAB>终止年”")
                }
                covered = first...last
                continue
            }
            guard fields.count == 3 else { throw fail("应为“日期<TAB>类型<TAB>名称”三列，实际为 \(fields.count) 列") }
            guard let day = ChinaTime.parseDay(fields[0]) else { throw fail("日期“\(fields[0])”无效，应为 YYYY-MM-DD") }
            guard let kind = DayKind(rawValue: fields[1].lowercased()) else {
                throw fail("类型“\(fields[1])”无效，应为 holiday（放假）或 workday（调休上班）")
            }
            guard entries[day] == nil else { throw fail("日期 \(day) 重复出现") }
            if kind == .workday, day.isoWeekday < 6 {
                throw fail("\(day) 不是周六或周日，不能列为调休上班日")
            }
            entries[day] = Entry(kind: kind, name: fields[2])
        }
        return WorkingCalendar(entries: entries, coveredYears: covered)
    }

    /// Whether `day` is a working day: a 调休 working day, or a weekday that is not a holiday.
    public func isWorkingDay(_ day: CalendarDate) -> Bool {
        switch entries[day]?.kind {
        case .holiday: false
        case .workday: true
        case nil: day.isoWeekday <= 5
        }
    }

    /// The holiday `day` falls in (春节, 国庆节 …), nil on other days and on 调休 working days.
    public func holidayName(_ day: CalendarDate) -> String? {
        guard let entry = entries[day], entry.kind == .holiday else { return nil }
        return entry.name
    }

    /// Working days elapsed from `start` to `end`: the working days after `start` up to and
    /// including `end`, so a letter received on a Monday and answered on the next Monday took
    /// 5 working days. Negative when `end` is before `start`; 0 when they are the same day.
    public func workingDays(from start: CalendarDate, to end: CalendarDate) -> Int {
        if end < start { return -workingDays(from: end, to: start) }
        let first = start.dayNumber + 1
        let last = end.dayNumber
        guard first <= last else { return 0 }
        var count = 0
        for number in first...last where isWorkingDay(CalendarDate(dayNumber: number)) {
            count += 1
        }
        return count
    }

    /// The day on which `count` working days have elapsed after `day` (a deadline of
    /// "10 working days"): `workingDays(from: day, to: result) == count`, and the result is
    /// itself a working day. `count` 0 returns `day`; a negative count goes back in time to
    /// the working day `-count` working days before.
    public func adding(workingDays count: Int, to day: CalendarDate) -> CalendarDate {
        guard count != 0 else { return day }
        let step = count > 0 ? 1 : -1
        var remaining = abs(count)
        var number = day.dayNumber
        while remaining > 0 {
            number += step
            if isWorkingDay(CalendarDate(dayNumber: number)) { remaining -= 1 }
        }
        return CalendarDate(dayNumber: number)
    }
}

extension CalendarDate {
    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar; integer
    /// arithmetic only, so day counts never depend on time zones or daylight saving.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)!
    }

    /// ISO weekday: 1 Monday … 7 Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let offset = (dayNumber + 3) % 7
        return (offset < 0 ? offset + 7 : offset) + 1
    }

    /// Calendar days from `self` to `other` (negative when `other` is earlier).
    public func days(to other: CalendarDate) -> Int { other.dayNumber - dayNumber }

    /// The same day `months` months later (earlier when negative), clamped to the month's
    /// last day: 2021-11-30 plus 3 months is 2022-02-28.
    public func adding(months: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + months
        let newYear = index / 12
        let newMonth = index % 12 + 1
        let newDay = min(day, CalendarDate.daysIn(month: newMonth, year: newYear))
        return CalendarDate(year: newYear, month: newMonth, day: newDay)!
    }
}
