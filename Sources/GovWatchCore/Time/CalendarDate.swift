import Foundation

/// A day on the calendar of China Standard Time (UTC+8), e.g. a filing date or a deadline.
///
/// Registry dates carry no time of day; keeping them as a plain year-month-day avoids the
/// off-by-one days that `Date` at midnight in another zone produces.
public struct CalendarDate: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Validates the day (rejects 2022-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month), day >= 1,
            day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day of `date` in China Standard Time.
    public init(_ date: Date) {
        let parts = ChinaTime.calendar.dateComponents([.year, .month, .day], from: date)
        self.year = parts.year!
        self.month = parts.month!
        self.day = parts.day!
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    /// 00:00 of this day in China Standard Time.
    public var startOfDay: Date {
        ChinaTime.calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// 24:00 of this day in China Standard Time (the start of the next day).
    public var endOfDay: Date { startOfDay.addingTimeInterval(86_400) }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(startOfDay.addingTimeInterval(Double(days) * 86_400 + 3_600))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = ChinaTime.parseDay(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad date \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
