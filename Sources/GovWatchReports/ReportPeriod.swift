import Foundation
import GovWatchCore

/// The period a notice covers: a quarter (`2022Q1`), a month (`2022-03`), or any range of
/// days (`--from 2022-01-01 --to 2022-03-15`), in China Standard Time.
///
/// A run belongs to the period when its as-of time falls in `(start, end]`: an as-of time
/// is an instant, and `--as-of 2022-03-31` means 2022-03-31 24:00 (= 2022-04-01 00:00),
/// which is the last moment of the first quarter, not the first of the second.
public struct ReportPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How the period was given; it decides the wording and what "the previous period" is.
    public enum Kind: String, Sendable, Hashable, Codable {
        case quarter, month, range
    }

    public var kind: Kind
    /// The first day covered.
    public var firstDay: CalendarDate
    /// The last day covered (inclusive).
    public var lastDay: CalendarDate

    /// A range of whole days; `lastDay` must not be before `firstDay`.
    public init(kind: Kind = .range, firstDay: CalendarDate, lastDay: CalendarDate) {
        self.kind = kind
        self.firstDay = firstDay
        self.lastDay = lastDay
    }

    /// Why a period could not be read; the message is for the user, in Chinese.
    public struct InvalidPeriod: Error, CustomStringConvertible, Equatable {
        public var text: String
        public var reason: String
        public var description: String { "统计周期“\(text)”无效：\(reason)" }
    }

    /// The quarter `year`Q`quarter` (1–4).
    public static func quarter(_ year: Int, _ quarter: Int) -> ReportPeriod? {
        guard (1...4).contains(quarter), let first = CalendarDate(year: year, month: quarter * 3 - 2, day: 1),
            let last = CalendarDate(year: year, month: quarter * 3, day: CalendarDate.daysIn(month: quarter * 3, year: year))
        else { return nil }
        return ReportPeriod(kind: .quarter, firstDay: first, lastDay: last)
    }

    /// The month `year`-`month`.
    public static func month(_ year: Int, _ month: Int) -> ReportPeriod? {
        guard let first = CalendarDate(year: year, month: month, day: 1),
            let last = CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))
        else { return nil }
        return ReportPeriod(kind: .month, firstDay: first, lastDay: last)
    }

    /// Parses `2022Q1` (also `2022q1`, `2022-Q1`, `2022年第一季度`, `2022年一季度`) or `2022-03`
    /// (also `2022年3月`).
    public static func parse(_ text: String) throws -> ReportPeriod {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let fail = { (reason: String) in InvalidPeriod(text: text, reason: reason) }
        let expected = "应为季度（如 2022Q1）或月份（如 2022-03）"
        guard trimmed.count >= 6, let year = Int(trimmed.prefix(4)), trimmed.prefix(4).allSatisfy(\.isASCII) else {
            throw fail(expected)
        }
        // 1901 at the earliest: the notice compares with the period before, and days end at 1900.
        guard (1901...2999).contains(year) else { throw fail("年份超出范围") }
        var rest = Substring(trimmed.dropFirst(4))
        if rest.hasPrefix("-") && !rest.dropFirst().hasPrefix("Q") && !rest.dropFirst().hasPrefix("q") {
            // 2022-03
            let digits = rest.dropFirst()
            guard (1...2).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let month = Int(digits) else {
                throw fail(expected)
            }
            guard let period = Self.month(year, month) else { throw fail("月份应为 1–12") }
            return period
        }
        if rest.hasPrefix("-") { rest = rest.dropFirst() }
        if rest.hasPrefix("Q") || rest.hasPrefix("q") {
            let digits = rest.dropFirst()
            guard digits.count == 1, let quarter = Int(digits) else { throw fail(expected) }
            guard let period = Self.quarter(year, quarter) else { throw fail("季度应为 Q1–Q4") }
            return period
        }
        if rest.hasPrefix("年") {
            var body = rest.dropFirst()
            if body.hasPrefix("第") { body = body.dropFirst() }
            let quarterNames: [String: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4]
            if body.hasSuffix("季度"), let quarter = quarterNames[String(body.dropLast(2))] {
                return Self.quarter(year, quarter)!
            }
            if body.hasSuffix("月"), let month = Int(body.dropLast()) {
                guard let period = Self.month(year, month) else { throw fail("月份应为 1–12") }
                return period
            }
        }
        throw fail(expected)
    }

    /// The period between two days given as `YYYY-MM-DD` (both included).
    public static func range(from: String, to: String) throws -> ReportPeriod {
        guard let first = ChinaTime.parseDay(from) else {
            throw InvalidPeriod(text: from, reason: "起始日期应为 YYYY-MM-DD")
        }
        guard let last = ChinaTime.parseDay(to) else {
            throw InvalidPeriod(text: to, reason: "截止日期应为 YYYY-MM-DD")
        }
        guard first <= last else {
            throw InvalidPeriod(text: "\(from) 至 \(to)", reason: "截止日期早于起始日期")
        }
        return ReportPeriod(kind: .range, firstDay: first, lastDay: last)
    }

    /// 00:00 of the first day: runs with an as-of time after this belong to the period.
    public var start: Date { firstDay.startOfDay }
    /// 24:00 of the last day: runs with an as-of time up to and including this belong to it.
    public var end: Date { lastDay.endOfDay }

    /// Whether a run with this as-of time belongs to the period.
    public func contains(asOf: Date) -> Bool { asOf > start && asOf <= end }

    /// Days covered, both ends included.
    public var dayCount: Int {
        Int(((end.timeIntervalSince(start)) / 86_400).rounded())
    }

    /// The period of the same length just before: the previous quarter or month, or for a
    /// range the same number of days ending the day before it starts.
    public var previous: ReportPeriod {
        switch kind {
        case .quarter:
            let quarter = (firstDay.month - 1) / 3 + 1
            return quarter == 1 ? Self.quarter(firstDay.year - 1, 4)! : Self.quarter(firstDay.year, quarter - 1)!
        case .month:
            return firstDay.month == 1 ? Self.month(firstDay.year - 1, 12)! : Self.month(firstDay.year, firstDay.month - 1)!
        case .range:
            let last = firstDay.adding(days: -1)
            return ReportPeriod(kind: .range, firstDay: last.adding(days: -(dayCount - 1)), lastDay: last)
        }
    }

    /// How the notice names the period: 2022年第一季度, 2022年3月, 2022年1月1日至3月15日.
    public var chineseName: String {
        switch kind {
        case .quarter:
            let names = ["一", "二", "三", "四"]
            return "\(firstDay.year)年第\(names[(firstDay.month - 1) / 3])季度"
        case .month:
            return "\(firstDay.year)年\(firstDay.month)月"
        case .range:
            let first = ChineseDates.full(firstDay)
            if firstDay == lastDay { return first }
            let last =
                lastDay.year == firstDay.year ? "\(lastDay.month)月\(lastDay.day)日" : ChineseDates.full(lastDay)
            return "\(first)至\(last)"
        }
    }

    /// How the notice refers to the previous period: 上季度, 上月, 上一统计期.
    public var previousName: String {
        switch kind {
        case .quarter: "上季度"
        case .month: "上月"
        case .range: "上一统计期"
        }
    }

    /// `2022Q1`, `2022-03`, `2022-01-01~2022-03-15`: for file names and logs.
    public var code: String {
        switch kind {
        case .quarter: "\(firstDay.year)Q\((firstDay.month - 1) / 3 + 1)"
        case .month: String(format: "%04d-%02d", firstDay.year, firstDay.month)
        case .range: "\(firstDay)~\(lastDay)"
        }
    }

    public var description: String { code }
}

/// Dates written the way official documents write them.
public enum ChineseDates {
    /// `2022年4月10日` (GB/T 9704-2012: Arabic numerals, no leading zeros).
    public static func full(_ day: CalendarDate) -> String {
        "\(day.year)年\(day.month)月\(day.day)日"
    }

    /// `二〇二二年四月十日`, the older style some offices still use for the signature date.
    public static func numerals(_ day: CalendarDate) -> String {
        let digits = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        let year = String(day.year).map { digits[Int(String($0))!] }.joined()
        return "\(year)年\(small(day.month))月\(small(day.day))日"
    }

    /// 1–31 in Chinese numerals: 十, 十一, 二十, 三十一.
    static func small(_ value: Int) -> String {
        let digits = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        switch value {
        case 0..<10: return digits[value]
        case 10: return "十"
        case 11..<20: return "十" + digits[value - 10]
        default: return digits[value / 10] + "十" + (value % 10 == 0 ? "" : digits[value % 10])
        }
    }

    /// 一, 二, … 十, 十一 …: the numbering of headings (一、（一）).
    public static func ordinal(_ value: Int) -> String {
        value < 100 ? small(value) : String(value)
    }
}
