import Foundation

/// Parsing and printing of the dates and times users type, in China Standard Time.
///
/// `interfaces.md`: `DATE` is `YYYY-MM-DD` or an ISO 8601 timestamp, in UTC+8 unless it
/// names a zone; a bare date as `--as-of` means the end of that day.
public enum ChinaTime {
    /// UTC+8, without daylight saving (China has had none since 1991).
    public static let timeZone = TimeZone(secondsFromGMT: 8 * 3600)!

    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// A day written as `2022-03-10`, `2022/3/10`, `2022.03.10` or `2022年3月10日`.
    public static func parseDay(_ text: String) -> CalendarDate? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let (date, rest) = scanDay(Substring(trimmed)), rest.isEmpty else { return nil }
        return date
    }

    /// A moment: a day alone (00:00 of it, or its end when `bareDayMeansEnd`), a day with
    /// `HH:mm[:ss]` in China Standard Time, or ISO 8601 with a zone.
    public static func parseMoment(_ text: String, bareDayMeansEnd: Bool = false) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let (day, rest) = scanDay(Substring(trimmed)) else { return nil }
        if rest.isEmpty { return bareDayMeansEnd ? day.endOfDay : day.startOfDay }
        var remainder = rest
        guard let separator = remainder.first, separator == "T" || separator == " " else { return nil }
        remainder = remainder.dropFirst().drop(while: { $0 == " " })
        // Time of day.
        let timePart = remainder.prefix(while: { $0.isNumber || $0 == ":" || $0 == "." })
        remainder = remainder.dropFirst(timePart.count)
        let fields = timePart.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), let hour = Int(fields[0]), let minute = Int(fields[1]),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        var seconds = 0.0
        if fields.count == 3 {
            guard let value = Double(fields[2]), value >= 0, value < 61 else { return nil }
            seconds = value
        }
        // Zone: none (UTC+8), Z, or ±HH[:]MM.
        var offset = 8 * 3600
        let zone = remainder.trimmingCharacters(in: .whitespaces)
        if zone == "Z" || zone == "z" {
            offset = 0
        } else if let sign = zone.first, sign == "+" || sign == "-" {
            let digits = zone.dropFirst().filter(\.isNumber)
            guard digits.count == 4 || digits.count == 2, let value = Int(digits) else { return nil }
            let (hours, minutes) = digits.count == 4 ? (value / 100, value % 100) : (value, 0)
            offset = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
        } else if !zone.isEmpty {
            return nil
        }
        let utcMidnight = day.startOfDay.addingTimeInterval(8 * 3600)
        return utcMidnight.addingTimeInterval(Double(hour * 3600 + minute * 60) + seconds - Double(offset))
    }

    /// ISO 8601 in China Standard Time, as the JSON of the spec prints it:
    /// `2022-03-15T00:00:00+08:00`.
    public static func iso8601(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d+08:00",
            parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }

    /// `2022-03-15 09:30` for people.
    public static func display(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    /// An as-of time for people: midnight is written as 24:00 of the day before, as
    /// `--as-of 2022-03-31` is understood (`2022-03-31 24:00`).
    public static func displayAsOf(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        if parts.hour == 0, parts.minute == 0, parts.second == 0 {
            return CalendarDate(date.addingTimeInterval(-1)).description + " 24:00"
        }
        return display(date)
    }

    /// Reads a day at the start of `text` and returns it with what follows.
    static func scanDay(_ text: Substring) -> (CalendarDate, Substring)? {
        var rest = text
        func number(maxDigits: Int) -> Int? {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber }).prefix(maxDigits)
            guard !digits.isEmpty else { return nil }
            rest = rest.dropFirst(digits.count)
            return Int(digits)
        }
        guard let year = number(maxDigits: 4), year >= 1000 else { return nil }
        let chinese = rest.first == "年"
        guard let first = rest.first, "-/.年".contains(first) else { return nil }
        rest = rest.dropFirst()
        guard let month = number(maxDigits: 2) else { return nil }
        if chinese {
            guard rest.first == "月" else { return nil }
        } else {
            guard rest.first == first else { return nil }
        }
        rest = rest.dropFirst()
        guard let day = number(maxDigits: 2) else { return nil }
        if chinese {
            guard rest.first == "日" || rest.first == "号" else { return nil }
            rest = rest.dropFirst()
        }
        guard let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        return (date, rest)
    }
}
