import Foundation
import GovWatchCore

/// A local date and time in China Standard Time, as printed on a page.
public struct PageDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The day.
    public var date: CalendarDate
    /// Hour 0…23, minute and second; zero when the page gave only a day.
    public var hour: Int, minute: Int, second: Int
    /// Whether the page gave a time of day.
    public var hasTime: Bool

    /// A day at midnight (no time of day given).
    public init(date: CalendarDate) {
        self.date = date
        self.hour = 0
        self.minute = 0
        self.second = 0
        self.hasTime = false
    }

    /// A day with a time of day; nil for impossible times.
    public init?(date: CalendarDate, hour: Int, minute: Int, second: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = min(second, 59)
        self.hasTime = true
    }

    /// The instant this local time denotes.
    public var instant: Date {
        if !hasTime { return date.startOfDay }
        var components = DateComponents()
        components.year = date.year
        components.month = date.month
        components.day = date.day
        components.hour = hour
        components.minute = minute
        components.second = second
        return ChinaTime.calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }

    /// ISO 8601 with the China Standard Time offset, e.g. `2021-10-11T00:00:00+08:00`.
    public var description: String {
        date.description + String(format: "T%02d:%02d:%02d+08:00", hour, minute, second)
    }

    /// Parses what `description` produces, and ISO 8601 timestamps with other offsets or `Z`
    /// (converted to China Standard Time).
    public init?(iso8601 string: String) {
        let scalars = Array(string.unicodeScalars)
        guard let match = DateScanner.fullDate(in: scalars, at: 0), let dateTime = match.dateTime else { return nil }
        let rest = String(String.UnicodeScalarView(scalars[match.range.upperBound...]))
        if rest.isEmpty || rest == "+08:00" {
            self = dateTime
            return
        }
        var offsetSeconds = 0
        if rest == "Z" {
            offsetSeconds = 0
        } else if let sign = rest.first, sign == "+" || sign == "-", rest.count == 6,
                  let hours = Int(rest.dropFirst().prefix(2)), let minutes = Int(rest.suffix(2)) {
            offsetSeconds = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
        } else {
            return nil
        }
        let instant = dateTime.instant.addingTimeInterval(Double(8 * 3600 - offsetSeconds))
        let components = ChinaTime.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        guard let day = CalendarDate(year: components.year ?? 0, month: components.month ?? 0, day: components.day ?? 0),
              let converted = PageDateTime(date: day, hour: components.hour ?? 0, minute: components.minute ?? 0,
                                           second: components.second ?? 0) else { return nil }
        self = converted
    }

    /// Equal when they denote the same local time (whether the page printed `00:00`
    /// or no time at all does not matter).
    public static func == (lhs: PageDateTime, rhs: PageDateTime) -> Bool {
        (lhs.date, lhs.hour, lhs.minute, lhs.second) == (rhs.date, rhs.hour, rhs.minute, rhs.second)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(date)
        hasher.combine(hour)
        hasher.combine(minute)
        hasher.combine(second)
    }

    public static func < (lhs: PageDateTime, rhs: PageDateTime) -> Bool {
        (lhs.date, lhs.hour, lhs.minute, lhs.second) < (rhs.date, rhs.hour, rhs.minute, rhs.second)
    }
}

/// Finds dates as Chinese government pages print them.
///
/// Full dates: `2022-03-10`, `2022/3/10`, `2022.03.10`, `2022年3月10日` (the `日` is
/// required, so `2022年5月16、23日` is not misread), optionally followed by a time
/// (`14:43`, `10:49:00`, also after a `T` or a `-` as in `2007-08-20-23:59:59`).
/// Month-day dates (`03-10`, `03/10`) are recognised only separately, for list items
/// whose year comes from context.
enum DateScanner {
    struct Match {
        var range: Range<Int>
        var date: CalendarDate
        var time: (hour: Int, minute: Int, second: Int)?

        var dateTime: PageDateTime? {
            guard let time else { return PageDateTime(date: date) }
            return PageDateTime(date: date, hour: time.hour, minute: time.minute, second: time.second)
                ?? PageDateTime(date: date)
        }
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\u{A0}" || scalar == "\u{3000}" || scalar == "\t"
    }

    /// Reads 1…`maximum` digits at `index`; returns the value and the index after them.
    static func number(_ scalars: [Unicode.Scalar], at index: Int, minimum: Int = 1, maximum: Int) -> (Int, Int)? {
        var value = 0, cursor = index
        while cursor < scalars.count, cursor - index < maximum, isDigit(scalars[cursor]) {
            value = value * 10 + Int(scalars[cursor].value - 48)
            cursor += 1
        }
        let count = cursor - index
        guard count >= minimum else { return nil }
        if cursor < scalars.count, isDigit(scalars[cursor]) { return nil } // longer number
        return (value, cursor)
    }

    static func skipSpaces(_ scalars: [Unicode.Scalar], from index: Int) -> Int {
        var cursor = index
        while cursor < scalars.count, isSpace(scalars[cursor]) { cursor += 1 }
        return cursor
    }

    /// A full date starting exactly at `index`.
    static func fullDate(in scalars: [Unicode.Scalar], at index: Int) -> Match? {
        guard index < scalars.count, isDigit(scalars[index]) else { return nil }
        if index > 0, isDigit(scalars[index - 1]) { return nil }
        guard let (year, afterYear) = number(scalars, at: index, minimum: 4, maximum: 4) else { return nil }
        var cursor = skipSpaces(scalars, from: afterYear)
        guard cursor < scalars.count else { return nil }
        let separator = scalars[cursor]
        let chinese = separator == "年"
        guard chinese || separator == "-" || separator == "/" || separator == "." else { return nil }
        if !chinese && cursor != afterYear { return nil }
        cursor = chinese ? skipSpaces(scalars, from: cursor + 1) : cursor + 1
        guard let (month, afterMonth) = number(scalars, at: cursor, maximum: 2) else { return nil }
        cursor = chinese ? skipSpaces(scalars, from: afterMonth) : afterMonth
        guard cursor < scalars.count, scalars[cursor] == (chinese ? "月" : separator) else { return nil }
        cursor = chinese ? skipSpaces(scalars, from: cursor + 1) : cursor + 1
        guard let (day, afterDay) = number(scalars, at: cursor, maximum: 2) else { return nil }
        cursor = afterDay
        if chinese {
            cursor = skipSpaces(scalars, from: cursor)
            guard cursor < scalars.count, scalars[cursor] == "日" || scalars[cursor] == "号" else { return nil }
            cursor += 1
        }
        guard let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        var match = Match(range: index..<cursor, date: date, time: nil)
        if let (time, end) = timeOfDay(scalars, after: cursor) {
            match.time = time
            match.range = index..<end
        }
        return match
    }

    /// A time of day right after a date: ` 14:43`, `T10:49:00`, `-23:59:59`, ` 10时49分`.
    static func timeOfDay(_ scalars: [Unicode.Scalar], after index: Int) -> ((Int, Int, Int), Int)? {
        var cursor = index
        guard cursor < scalars.count else { return nil }
        if scalars[cursor] == "T" || scalars[cursor] == "-" {
            cursor += 1
        } else {
            cursor = skipSpaces(scalars, from: cursor)
            if cursor - index > 3 { return nil }
        }
        guard let (hour, afterHour) = number(scalars, at: cursor, maximum: 2), afterHour < scalars.count else { return nil }
        let colon = scalars[afterHour]
        if colon == ":" || colon == "：" {
            guard let (minute, afterMinute) = number(scalars, at: afterHour + 1, minimum: 2, maximum: 2) else { return nil }
            var end = afterMinute
            var second = 0
            if end < scalars.count, scalars[end] == ":" || scalars[end] == "：",
               let (value, afterSecond) = number(scalars, at: end + 1, minimum: 2, maximum: 2) {
                second = value
                end = afterSecond
            }
            guard hour <= 23, minute <= 59, second <= 59 else { return nil }
            return ((hour, minute, second), end)
        }
        if colon == "时" || colon == "点" {
            guard let (minute, afterMinute) = number(scalars, at: afterHour + 1, maximum: 2),
                  afterMinute < scalars.count, scalars[afterMinute] == "分", hour <= 23, minute <= 59 else { return nil }
            return ((hour, minute, 0), afterMinute + 1)
        }
        return nil
    }

    /// Every full date in `range`, in order.
    static func fullDates(in scalars: [Unicode.Scalar], range: Range<Int>? = nil) -> [Match] {
        let range = range ?? 0..<scalars.count
        var result: [Match] = []
        var index = range.lowerBound
        while index < range.upperBound {
            if let match = fullDate(in: scalars, at: index) {
                result.append(match)
                index = match.range.upperBound
            } else {
                index += 1
            }
        }
        return result
    }

    /// A month-day date (`03-10`, `03/10`, two digits each) starting at `index`, with the
    /// year still unknown: returns month, day and the end index.
    static func monthDay(in scalars: [Unicode.Scalar], at index: Int) -> (month: Int, day: Int, end: Int)? {
        guard index + 5 <= scalars.count else { return nil }
        if index > 0 {
            let previous = scalars[index - 1]
            if isDigit(previous) || "-/.:年".unicodeScalars.contains(previous) { return nil }
        }
        guard let (month, afterMonth) = number(scalars, at: index, minimum: 2, maximum: 2),
              afterMonth < scalars.count, scalars[afterMonth] == "-" || scalars[afterMonth] == "/",
              let (day, afterDay) = number(scalars, at: afterMonth + 1, minimum: 2, maximum: 2) else { return nil }
        if afterDay < scalars.count {
            let next = scalars[afterDay]
            if "-/:.".unicodeScalars.contains(next) { return nil }
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return (month, day, afterDay)
    }
}
