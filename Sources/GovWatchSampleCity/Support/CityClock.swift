import Foundation

/// Dates of the sample city, all derived from the as-of time so that staleness is
/// deterministic whatever day the tests run.
///
/// The city lives in China Standard Time (UTC+8, no daylight saving). `daysAgo(n)` is a
/// time of day on the calendar day `n` days before the as-of day, so with the default
/// as-of (2022-03-31 24:00) `daysAgo(1)` is a moment on 31 March.
struct CityClock: Sendable {
    /// China Standard Time.
    static let zone = TimeZone(secondsFromGMT: 8 * 3600)!

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }()

    /// The as-of instant: the end of the as-of day, 24:00 CST.
    let asOf: Date

    /// A moment on the day `days` days before the as-of day (`days >= 1`, so never after the as-of time).
    func daysAgo(_ days: Int, hour: Int = 9, minute: Int = 30) -> Date {
        precondition(days >= 1, "fixture dates never lie after the as-of time")
        let dayStart = Self.calendar.date(byAdding: .day, value: -days, to: asOf)!
        return Self.calendar.date(bySettingHour: hour, minute: minute, second: 0, of: dayStart)!
    }

    /// The date `days` calendar days after `date`, same time of day.
    func adding(days: Int, to date: Date) -> Date {
        Self.calendar.date(byAdding: .day, value: days, to: date)!
    }

    /// `date` plus `workingDays` working days (Monday–Friday), same time of day.
    ///
    /// The fixture keeps replies away from public holidays, so a plain weekday count is
    /// the same number an inspection with a holiday calendar gets.
    func adding(workingDays: Int, to date: Date) -> Date {
        var result = date
        var left = workingDays
        while left > 0 {
            result = adding(days: 1, to: result)
            let weekday = Self.calendar.component(.weekday, from: result)
            if weekday != 1 && weekday != 7 { left -= 1 }
        }
        return result
    }

    // MARK: Formatting (all in CST)

    static func components(_ date: Date) -> DateComponents {
        calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    /// `2022-03-10`
    static func isoDay(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// `2022-03-10 09:30`
    static func minute(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// `2022-03-10 09:30:00`
    static func second(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// `2022年03月10日`
    static func chineseDay(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d年%02d月%02d日", c.year!, c.month!, c.day!)
    }

    /// `03-10`, as homepages show recent items without the year.
    static func monthDay(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%02d-%02d", c.month!, c.day!)
    }

    /// `202203`, the month folder of TRS article paths.
    static func yearMonthCompact(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d%02d", c.year!, c.month!)
    }

    /// `20220310`
    static func dayCompact(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
    }

    /// ISO 8601 with the +08:00 offset: `2022-03-10T09:30:00+08:00`.
    static func iso8601(_ date: Date) -> String {
        let c = components(date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d+08:00", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// RFC 1123 in GMT, for HTTP headers and RSS `pubDate`.
    static func rfc1123(_ date: Date) -> String {
        var gmt = Calendar(identifier: .gregorian)
        gmt.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = gmt.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d GMT", days[c.weekday! - 1], c.day!, months[c.month! - 1],
            c.year!, c.hour!, c.minute!, c.second!)
    }

    /// Parses an RFC 1123 date (`If-Modified-Since`); nil when it is not one.
    static func parseRFC1123(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
