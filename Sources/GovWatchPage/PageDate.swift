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
        let bytes = Array(string.utf8)
        guard let match = DateScanner.fullDate(in: bytes, at: 0), let dateTime = match.dateTime else { return nil }
        let rest = String(decoding: bytes[match.range.upperBound...], as: UTF8.self)
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
///
/// Works on UTF-8 bytes (indices are byte offsets): decoding whole page texts into
/// `Unicode.Scalar` arrays first was a large part of the finders' time. Digits and the
/// ASCII separators are single bytes, and a multi-byte character (`年`, `：`) is matched by
/// its whole byte sequence, which in valid UTF-8 can only start where a character starts.
public enum DateScanner {
    /// Every calendar day written in `text` as a full date (see the type), in order: the
    /// dates of message lists and letters, and of everything else that is not a page's
    /// own publish time.
    public static func days(in text: String) -> [CalendarDate] {
        fullDates(in: Array(text.utf8)).map(\.date)
    }

    /// The first of `days(in:)`.
    public static func firstDay(in text: String) -> CalendarDate? {
        let bytes = Array(text.utf8)
        guard let digit = UTF8Text.firstDigit(bytes, from: 0, to: bytes.count) else { return days(in: text).first }
        var index = digit
        while let next = UTF8Text.firstDigit(bytes, from: index, to: bytes.count) {
            if let match = fullDate(in: bytes, at: next) { return match.date }
            index = next + 1
        }
        return nil
    }

    struct Match {
        /// Byte offsets of the date (and time) in the scanned text.
        var range: Range<Int>
        var date: CalendarDate
        var time: (hour: Int, minute: Int, second: Int)?

        var dateTime: PageDateTime? {
            guard let time else { return PageDateTime(date: date) }
            return PageDateTime(date: date, hour: time.hour, minute: time.minute, second: time.second)
                ?? PageDateTime(date: date)
        }
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    /// The byte length of the space character (` `, tab, U+00A0, U+3000) at `index`, 0 when
    /// there is none.
    @inline(__always)
    static func spaceLength(_ bytes: [UInt8], at index: Int) -> Int {
        guard index < bytes.count else { return 0 }
        switch bytes[index] {
        case 0x20, 0x09: return 1
        case 0xC2: return UTF8Text.matches(bytes, at: index, UTF8Text.noBreakSpace) ? 2 : 0
        case 0xE3: return UTF8Text.matches(bytes, at: index, UTF8Text.ideographicSpace) ? 3 : 0
        default: return 0
        }
    }

    /// Reads 1…`maximum` digits at `index`; returns the value and the index after them.
    static func number(_ bytes: [UInt8], at index: Int, minimum: Int = 1, maximum: Int) -> (Int, Int)? {
        var value = 0, cursor = index
        while cursor < bytes.count, cursor - index < maximum, isDigit(bytes[cursor]) {
            value = value * 10 + Int(bytes[cursor] - 48)
            cursor += 1
        }
        let count = cursor - index
        guard count >= minimum else { return nil }
        if cursor < bytes.count, isDigit(bytes[cursor]) { return nil } // longer number
        return (value, cursor)
    }

    static func skipSpaces(_ bytes: [UInt8], from index: Int) -> Int {
        skipCountingSpaces(bytes, from: index).end
    }

    /// Skips space characters; returns the index after them and how many characters they were.
    static func skipCountingSpaces(_ bytes: [UInt8], from index: Int) -> (end: Int, count: Int) {
        var cursor = index, count = 0
        while true {
            let length = spaceLength(bytes, at: cursor)
            if length == 0 { return (cursor, count) }
            cursor += length
            count += 1
        }
    }

    /// A full date starting exactly at `index`.
    static func fullDate(in bytes: [UInt8], at index: Int) -> Match? {
        guard index < bytes.count else { return nil }
        guard isDigit(bytes[index]) else { return chineseNumeralDate(in: bytes, at: index) }
        if index > 0, isDigit(bytes[index - 1]) { return nil }
        guard let (year, afterYear) = number(bytes, at: index, minimum: 4, maximum: 4) else { return nil }
        var cursor = skipSpaces(bytes, from: afterYear)
        guard cursor < bytes.count else { return nil }
        let separator = bytes[cursor]
        let chinese = UTF8Text.matches(bytes, at: cursor, UTF8Text.year)
        guard chinese || separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") || separator == UInt8(ascii: ".") else { return nil }
        if !chinese && cursor != afterYear { return nil }
        cursor = chinese ? skipSpaces(bytes, from: cursor + 3) : cursor + 1
        guard let (month, afterMonth) = number(bytes, at: cursor, maximum: 2) else { return nil }
        if chinese {
            cursor = skipSpaces(bytes, from: afterMonth)
            guard UTF8Text.matches(bytes, at: cursor, UTF8Text.month) else { return nil }
            cursor = skipSpaces(bytes, from: cursor + 3)
        } else {
            cursor = afterMonth
            guard cursor < bytes.count, bytes[cursor] == separator else { return nil }
            cursor += 1
        }
        guard let (day, afterDay) = number(bytes, at: cursor, maximum: 2) else { return nil }
        cursor = afterDay
        if chinese {
            cursor = skipSpaces(bytes, from: cursor)
            guard UTF8Text.matches(bytes, at: cursor, UTF8Text.day) || UTF8Text.matches(bytes, at: cursor, UTF8Text.dayNumber)
            else { return nil }
            cursor += 3
        }
        guard let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        var match = Match(range: index..<cursor, date: date, time: nil)
        if let (time, end) = timeOfDay(bytes, after: cursor) {
            match.time = time
            match.range = index..<end
        }
        return match
    }

    /// A time of day right after a date: ` 14:43`, `T10:49:00`, `-23:59:59`, ` 10时49分`.
    static func timeOfDay(_ bytes: [UInt8], after index: Int) -> ((Int, Int, Int), Int)? {
        var cursor = index
        guard cursor < bytes.count else { return nil }
        if bytes[cursor] == UInt8(ascii: "T") || bytes[cursor] == UInt8(ascii: "-") {
            cursor += 1
        } else {
            let spaces = skipCountingSpaces(bytes, from: cursor)
            if spaces.count > 3 { return nil }
            cursor = spaces.end
        }
        guard let (hour, afterHour) = number(bytes, at: cursor, maximum: 2), afterHour < bytes.count else { return nil }
        if let afterColon = colonEnd(bytes, at: afterHour) {
            guard let (minute, afterMinute) = number(bytes, at: afterColon, minimum: 2, maximum: 2) else { return nil }
            var end = afterMinute
            var second = 0
            if let afterSecondColon = colonEnd(bytes, at: end),
               let (value, afterSecond) = number(bytes, at: afterSecondColon, minimum: 2, maximum: 2) {
                second = value
                end = afterSecond
            }
            guard hour <= 23, minute <= 59, second <= 59 else { return nil }
            return ((hour, minute, second), end)
        }
        if UTF8Text.matches(bytes, at: afterHour, UTF8Text.hour) || UTF8Text.matches(bytes, at: afterHour, UTF8Text.oClock) {
            guard let (minute, afterMinute) = number(bytes, at: afterHour + 3, maximum: 2),
                  UTF8Text.matches(bytes, at: afterMinute, UTF8Text.minute), hour <= 23, minute <= 59 else { return nil }
            return ((hour, minute, 0), afterMinute + 3)
        }
        return nil
    }

    /// The index after a `:` or `：` at `index`, nil when there is none.
    @inline(__always)
    static func colonEnd(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: ":") { return index + 1 }
        return UTF8Text.matches(bytes, at: index, UTF8Text.fullwidthColon) ? index + 3 : nil
    }

    /// The value of a Chinese numeral character (〇 零 ○ 一 … 九), nil for others.
    static func chineseDigit(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "〇", "零", "○", "Ｏ", "◯": return 0
        case "一": return 1
        case "二": return 2
        case "三": return 3
        case "四": return 4
        case "五": return 5
        case "六": return 6
        case "七": return 7
        case "八": return 8
        case "九": return 9
        default: return nil
        }
    }

    /// A date written in Chinese numerals, as official documents date themselves:
    /// `二〇二二年三月二十五日`, `二○二一年十二月一日` (four digit characters for the year,
    /// then month and day with 十).
    static func chineseNumeralDate(in bytes: [UInt8], at index: Int) -> Match? {
        guard index < bytes.count, bytes[index] >= 0xE2 else { return nil }
        var cursor = index
        func next() -> Unicode.Scalar? {
            guard cursor < bytes.count else { return nil }
            let (scalar, length) = UTF8Text.scalar(bytes, at: cursor)
            cursor += length
            return scalar
        }
        var year = 0
        for _ in 0..<4 {
            guard let scalar = next(), let digit = chineseDigit(scalar) else { return nil }
            year = year * 10 + digit
        }
        guard next() == "年" else { return nil }
        /// 一 … 九, 十, 十一 … 十九, 二十 … 三十一.
        func number(until end: Unicode.Scalar) -> Int? {
            var tens: Int?
            var units: Int?
            var seenTen = false
            for _ in 0..<4 {
                guard let scalar = next() else { return nil }
                if scalar == end {
                    if seenTen { return (tens ?? 1) * 10 + (units ?? 0) }
                    return units
                }
                if scalar == "十" {
                    guard !seenTen else { return nil }
                    seenTen = true
                    tens = units ?? 1
                    units = nil
                } else if let digit = chineseDigit(scalar), digit > 0 || seenTen == false {
                    guard units == nil else { return nil }
                    units = digit
                } else {
                    return nil
                }
            }
            return nil
        }
        guard let month = number(until: "月") else { return nil }
        let dayStart = cursor
        var day = number(until: "日")
        if day == nil {
            cursor = dayStart
            day = number(until: "号")
        }
        guard let day, let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        return Match(range: index..<cursor, date: date, time: nil)
    }

    /// Every full date in `range`, in order.
    static func fullDates(in bytes: [UInt8], range: Range<Int>? = nil) -> [Match] {
        let range = range ?? 0..<bytes.count
        var result = numeralDates(in: bytes, range: range)
        if result.isEmpty, let first = range.first, UTF8Search.contains(UTF8Text.year, in: bytes, range: range) {
            // Dates in Chinese numerals (no digit at all: the digit scan cannot find them).
            var index = first
            while index < range.upperBound {
                if bytes[index] >= 0xE2, let match = chineseNumeralDate(in: bytes, at: index), match.range.upperBound <= range.upperBound {
                    result.append(match)
                    index = match.range.upperBound
                } else {
                    index += 1
                }
            }
        }
        return result
    }

    /// Every full date in `range` written with digits, in order.
    private static func numeralDates(in bytes: [UInt8], range: Range<Int>) -> [Match] {
        var result: [Match] = []
        var index = range.lowerBound
        while index < range.upperBound {
            // Dates start with a digit: jump from digit to digit.
            guard let digit = UTF8Text.firstDigit(bytes, from: index, to: range.upperBound) else { break }
            if let match = fullDate(in: bytes, at: digit) {
                result.append(match)
                index = match.range.upperBound
            } else {
                index = digit + 1
            }
        }
        return result
    }

    /// A month-day date (`03-10`, `03/10`, two digits each) starting at `index`, with the
    /// year still unknown: returns month, day and the end index.
    static func monthDay(in bytes: [UInt8], at index: Int) -> (month: Int, day: Int, end: Int)? {
        guard index + 5 <= bytes.count else { return nil }
        if index > 0 {
            let previous = bytes[index - 1]
            if isDigit(previous) || previous == UInt8(ascii: "-") || previous == UInt8(ascii: "/")
                || previous == UInt8(ascii: ".") || previous == UInt8(ascii: ":")
                || (index >= 3 && UTF8Text.matches(bytes, at: index - 3, UTF8Text.year)) {
                return nil
            }
        }
        guard let (month, afterMonth) = number(bytes, at: index, minimum: 2, maximum: 2),
              afterMonth < bytes.count, bytes[afterMonth] == UInt8(ascii: "-") || bytes[afterMonth] == UInt8(ascii: "/"),
              let (day, afterDay) = number(bytes, at: afterMonth + 1, minimum: 2, maximum: 2) else { return nil }
        if afterDay < bytes.count {
            let next = bytes[afterDay]
            if next == UInt8(ascii: "-") || next == UInt8(ascii: "/") || next == UInt8(ascii: ":") || next == UInt8(ascii: ".") {
                return nil
            }
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return (month, day, afterDay)
    }
}

/// Helpers for reading valid UTF-8 (the bytes of a Swift `String`) character by character.
enum UTF8Text {
    static let year = Array("年".utf8), month = Array("月".utf8), day = Array("日".utf8), dayNumber = Array("号".utf8)
    static let hour = Array("时".utf8), oClock = Array("点".utf8), minute = Array("分".utf8)
    static let fullwidthColon = Array("：".utf8), noBreakSpace = Array("\u{A0}".utf8), ideographicSpace = Array("\u{3000}".utf8)

    /// Whether `pattern` occurs at `index`.
    @inline(__always)
    static func matches(_ bytes: [UInt8], at index: Int, _ pattern: [UInt8]) -> Bool {
        guard index >= 0, index + pattern.count <= bytes.count else { return false }
        for offset in 0..<pattern.count where bytes[index + offset] != pattern[offset] { return false }
        return true
    }

    /// The byte length of the character whose first byte is `lead`.
    @inline(__always)
    static func byteLength(lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// The scalar starting at `index` (a character boundary, `index < bytes.count`).
    static func scalar(_ bytes: [UInt8], at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = bytes[index]
        let length = min(byteLength(lead: lead), bytes.count - index)
        var value: UInt32
        switch length {
        case 1: value = UInt32(lead)
        case 2: value = UInt32(lead & 0x1F)
        case 3: value = UInt32(lead & 0x0F)
        default: value = UInt32(lead & 0x07)
        }
        for offset in 1..<max(length, 1) { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// The scalar that ends just before `index` (a character boundary, `index > 0`).
    static func scalar(_ bytes: [UInt8], before index: Int) -> Unicode.Scalar {
        var start = index - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(bytes, at: start).scalar
    }

    /// The number of characters (scalars) in `range`.
    static func scalarCount(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        var count = 0
        for index in range where bytes[index] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The index of the first ASCII digit in `index..<end`.
    @inline(__always)
    static func firstDigit(_ bytes: [UInt8], from index: Int, to end: Int) -> Int? {
        var cursor = index
        while cursor < end {
            if DateScanner.isDigit(bytes[cursor]) { return cursor }
            cursor += 1
        }
        return nil
    }
}
