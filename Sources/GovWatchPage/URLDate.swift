import Foundation
import GovWatchCore

/// The publish day a Chinese government CMS writes into an article's address.
///
/// The CMSs behind most government sites file an article under the day it was published:
/// TRS WCM `/202309/t20230927_123456.html`, Hanweb `/art/2016/11/22/art_1621004_30332664.html`,
/// the older 中国政府网 `/2023-09/27/content_6906551.htm`, and folders such as `/20230927/`.
/// A list that shows no dates is judged by its articles' own pages; when those could not be
/// read, the day in the address is the article's date rather than none (an undated item
/// would count as not updated, and a homepage of undated items as stale — a veto).
///
/// Only these whole shapes count: a lone number in a path (`/2023/`, `/list_20.html`) is no date.
public enum URLDate {
    /// The day in `url`'s path, when it has one of the CMS shapes and is a real day.
    public static func day(in url: String) -> CalendarDate? {
        guard let path = URLComponents(string: url)?.percentEncodedPath ?? url.split(separator: "?").first.map(String.init)
        else { return nil }
        let segments = path.split(separator: "/").map(String.init)
        for (index, segment) in segments.enumerated() {
            // TRS: t20230927_123456.html, under /202309/ (the month folder must agree when present).
            if segment.hasPrefix("t"), let day = compactDay(segment.dropFirst().prefix(8)),
                segment.dropFirst(9).first.map({ $0 == "_" || $0 == "." }) ?? false
            {
                if index > 0, let folder = Int(segments[index - 1]), segments[index - 1].count == 6,
                    folder != day.year * 100 + day.month
                {
                    continue
                }
                return day
            }
            // Hanweb: /art/2016/11/22/art_….html
            if segment == "art", index + 3 < segments.count,
                let year = Int(segments[index + 1]), let month = Int(segments[index + 2]), let dayNumber = Int(segments[index + 3]),
                segments[index + 1].count == 4, let day = CalendarDate(year: year, month: month, day: dayNumber)
            {
                return day
            }
            // 中国政府网 and others: /2023-09/27/content_….htm
            if segment.count == 7, segment.dropFirst(4).first == "-", index + 1 < segments.count,
                let year = Int(segment.prefix(4)), let month = Int(segment.suffix(2)), segments[index + 1].count == 2,
                let dayNumber = Int(segments[index + 1]), let day = CalendarDate(year: year, month: month, day: dayNumber)
            {
                return day
            }
            // A day folder: /20230927/ (not the last segment: that is the file).
            if index + 1 < segments.count, segment.count == 8, let day = compactDay(Substring(segment)) {
                return day
            }
            // An ISO day folder: /2023-09-27/
            if index + 1 < segments.count, segment.count == 10, segment.dropFirst(4).first == "-", segment.dropFirst(7).first == "-",
                let year = Int(segment.prefix(4)), let month = Int(segment.dropFirst(5).prefix(2)), let dayNumber = Int(segment.suffix(2)),
                let day = CalendarDate(year: year, month: month, day: dayNumber)
            {
                return day
            }
        }
        return nil
    }

    /// `20230927` as a day between 1995 and 2099.
    private static func compactDay(_ digits: Substring) -> CalendarDate? {
        guard digits.count == 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let year = Int(digits.prefix(4)), (1995...2099).contains(year),
            let month = Int(digits.dropFirst(4).prefix(2)), let day = Int(digits.suffix(2))
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }
}
