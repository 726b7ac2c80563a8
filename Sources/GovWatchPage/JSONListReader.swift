import Foundation
import GovWatchCore

/// Reads the list a column's script loads from a data endpoint (see `PageReadability`):
/// JSON (or JSONP) whose largest array of objects has a title on each entry, in the key
/// names CMS endpoints use — `title`/`name`/`docTitle`, `url`/`link`/`href`/`docPubUrl`,
/// `date`/`pubDate`/`publishTime`/`releaseTime`/`fbsj`/`docRelTime`/`createTime`… Dates
/// are strings in any form `DateScanner` reads, or Unix times in seconds or milliseconds.
public enum JSONListReader {
    /// Keys naming an entry's title (lower case, without `_`).
    static let titleKeys = ["title", "doctitle", "name", "biaoti", "bt", "wzbt", "subject", "headline", "topic", "infotitle", "articletitle"]
    /// Keys naming an entry's address.
    static let urlKeys = [
        "url", "link", "href", "docpuburl", "linkurl", "pageurl", "docurl", "detailurl", "infourl", "weburl", "puburl",
        "articleurl", "path",
    ]
    /// Keys naming an entry's date.
    static let dateKeys = [
        "date", "pubdate", "publishdate", "publishtime", "releasetime", "releasedate", "fbsj", "fbrq", "pubtime",
        "docreltime", "docpubtime", "createtime", "createdate", "updatetime", "inputtime", "addtime", "time", "cwrq",
        "fwrq", "crtime", "showtime", "issuedate", "writetime", "publishedtime", "publishat", "created", "modified",
    ]

    /// The entries of the list in `bytes`, nil when they are not JSON holding one.
    ///
    /// - Parameters:
    ///   - url: the endpoint's URL: entry addresses resolve against it, and entries
    ///     without an address are listed under it.
    public static func read(_ bytes: some Collection<UInt8>, url: String) -> (items: [ListItem], undated: [ListEntry])? {
        guard let json = parse(Data(bytes)) else { return nil }
        guard let entries = bestList(in: json, depth: 0), !entries.isEmpty else { return nil }
        let base = NormalizedURL(url)
        var items: [ListItem] = []
        var undated: [ListEntry] = []
        for entry in entries {
            let fields = Dictionary(entry.map { (normalizedKey($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
            guard let title = titleKeys.lazy.compactMap({ fields[$0] as? String }).first?.collapsingWhitespace(), !title.isEmpty else {
                continue
            }
            let plainTitle = title.contains("<") ? HTMLDocument(html: title).root?.normalizedText ?? title : title
            let reference = urlKeys.lazy.compactMap { fields[$0] as? String }.first { !$0.isEmpty }
            let target = reference.flatMap { base?.resolve($0)?.description } ?? base?.description ?? url
            if let date = dateKeys.lazy.compactMap({ fields[$0].flatMap(day(of:)) }).first {
                items.append(ListItem(title: plainTitle, url: target, date: date))
            } else {
                undated.append(ListEntry(title: plainTitle, url: target))
            }
        }
        return items.isEmpty && undated.isEmpty ? nil : (items, undated)
    }

    /// JSON, or the JSON inside a JSONP callback (`cb({...})`).
    static func parse(_ data: Data) -> Any? {
        if let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            json is [Any] || json is [String: Any]
        {
            return json
        }
        guard let open = data.firstIndex(of: UInt8(ascii: "(")), let close = data.lastIndex(of: UInt8(ascii: ")")), open < close else {
            return nil
        }
        return try? JSONSerialization.jsonObject(with: data[(open + 1)..<close], options: [])
    }

    /// The array of objects with the most titled entries, searched a few levels deep
    /// (`{"data":{"list":[…]}}`).
    static func bestList(in json: Any, depth: Int) -> [[String: Any]]? {
        guard depth <= 6 else { return nil }
        var best: [[String: Any]]?
        var bestScore = 0
        func consider(_ candidate: [[String: Any]]?) {
            guard let candidate else { return }
            let score = candidate.filter { entry in
                entry.keys.contains { titleKeys.contains(normalizedKey($0)) }
            }.count
            if score > bestScore {
                best = candidate
                bestScore = score
            }
        }
        if let array = json as? [Any] {
            let objects = array.compactMap { $0 as? [String: Any] }
            if !objects.isEmpty { consider(objects) }
            for element in array.prefix(50) where !(element is [String: Any]) || objects.count < 2 {
                consider(bestList(in: element, depth: depth + 1))
            }
        } else if let object = json as? [String: Any] {
            for value in object.values where value is [Any] || value is [String: Any] {
                consider(bestList(in: value, depth: depth + 1))
            }
        }
        return best
    }

    /// `publishTime` → `publishtime`, `publish_time` → `publishtime`.
    static func normalizedKey(_ key: String) -> String {
        key.lowercased().replacingOccurrences(of: "_", with: "")
    }

    /// The day of a date value: a string with a full date, or a Unix time.
    static func day(of value: Any) -> CalendarDate? {
        if let text = value as? String {
            let bytes = Array(text.utf8)
            if let match = DateScanner.fullDates(in: bytes).first { return match.date }
            if let number = Double(text.trimmingCharacters(in: .whitespaces)) { return day(ofUnixTime: number) }
            return nil
        }
        // Booleans are too small to pass for a time.
        if let number = value as? NSNumber { return day(ofUnixTime: number.doubleValue) }
        return nil
    }

    /// Seconds or milliseconds since 1970, read in China Standard Time; nil outside 1990…2100.
    static func day(ofUnixTime value: Double) -> CalendarDate? {
        let seconds = value > 100_000_000_000 ? value / 1000 : value
        guard seconds > 631_152_000, seconds < 4_102_444_800 else { return nil }
        return CalendarDate(Date(timeIntervalSince1970: seconds))
    }
}
