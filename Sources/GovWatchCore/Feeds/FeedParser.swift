import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One entry of a feed, before it becomes a `PostRecord`.
public struct FeedItem: Sendable, Hashable {
    /// `guid` (RSS), `id` (Atom, JSON Feed), else the link: what deduplicates posts.
    public var guid: String
    public var title: String
    public var link: String?
    public var published: Date?
    /// The content as the feed gives it: HTML for most feed bridges.
    public var content: String
    public var contentIsHTML: Bool
}

/// A feed's format, as detected.
public enum FeedFormat: String, Sendable {
    case rss = "RSS 2.0"
    case atom = "Atom"
    case jsonFeed = "JSON Feed"
}

/// Why a feed could not be read, in Chinese, for the account's inspection report.
public struct FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// Parses RSS 2.0, Atom and JSON Feed: what feed bridges such as RSSHub produce for
/// WeChat, Weibo and Douyin accounts.
///
/// Foundation's `XMLParser` (a streaming parser) reads RSS and Atom; feeds are XML, unlike
/// crawled pages, so the XML parser is the right tool here.
public enum FeedParser {
    /// At most this many items are read from one feed; a bridge gives the newest first.
    public static let maxItems = 2_000

    public static func parse(_ data: Data) throws(FeedError) -> (format: FeedFormat, items: [FeedItem]) {
        let head = data.prefix(512).drop(while: { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) })
        if head.first == UInt8(ascii: "{") {
            return (.jsonFeed, try parseJSONFeed(data))
        }
        guard !data.isEmpty else { throw FeedError(reason: "数据源内容为空") }
        let delegate = XMLFeedDelegate()
        let parser = XMLParser(data: escapingBareAmpersands(utf8XML(data)))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let ok = parser.parse()
        guard let format = delegate.format else {
            throw FeedError(reason: ok ? "不是 RSS、Atom 或 JSON Feed 格式的数据源" : "数据源格式错误（XML 无法解析）")
        }
        // A truncated document is malformed even where the parser stops without an error.
        if (!ok && !delegate.stoppedAtItemLimit) || delegate.depth != 0 {
            throw FeedError(reason: "数据源格式错误（XML 在第 \(parser.lineNumber) 行无法解析或不完整）")
        }
        return (format, delegate.items)
    }

    /// CoreFoundation's GB18030, a superset of GBK and GB2312.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// The feed as UTF-8 XML. Feeds of Chinese sites declare `encoding="gbk"` (or gb2312)
    /// in the XML declaration, which the XML parser does not read everywhere: such a feed
    /// is decoded as GB18030 here and its declaration rewritten to UTF-8. A feed declared
    /// GBK whose bytes are valid UTF-8 with Chinese in them (a template migrated to UTF-8)
    /// is read as UTF-8.
    static func utf8XML(_ data: Data) -> Data {
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        guard head.hasPrefix("<?xml") || head.dropFirst().hasPrefix("<?xml"), let close = head.range(of: "?>") else { return data }
        let declaration = head[..<close.upperBound].lowercased()
        let chinese = ["gb2312", "gbk", "gb18030", "x-gbk", "cp936"].contains { declaration.contains("\"\($0)\"") || declaration.contains("'\($0)'") }
        guard chinese else { return data }
        if String(data: data, encoding: .utf8) != nil, data.contains(where: { $0 >= 0x80 }) { return rewritingDeclaration(data) }
        guard let text = String(data: data, encoding: gb18030) else { return data }
        return rewritingDeclaration(Data(text.utf8))
    }

    /// The document with its XML declaration's `encoding` set to UTF-8.
    private static func rewritingDeclaration(_ data: Data) -> Data {
        guard let end = data.prefix(200).firstRange(of: Data("?>".utf8)) else { return data }
        let declaration = String(decoding: data[..<end.upperBound], as: UTF8.self)
        guard let encoding = declaration.range(of: "encoding", options: .caseInsensitive) else { return data }
        var rewritten = String(declaration[..<encoding.lowerBound]) + "encoding=\"UTF-8\""
        let rest = declaration[encoding.upperBound...]
        // Skip `= "label"` (either quote).
        if let quote = rest.firstIndex(where: { $0 == "\"" || $0 == "'" }),
            let closing = rest[rest.index(after: quote)...].firstIndex(of: rest[quote])
        {
            rewritten += rest[rest.index(after: closing)...]
        } else {
            return data
        }
        return Data(rewritten.utf8) + data[end.upperBound...]
    }

    /// Feeds in the wild put raw `&` in URLs (`?a=1&b=2`), which strict XML rejects; a
    /// bare `&` that starts no entity is read as `&amp;`, as feed readers do.
    static func escapingBareAmpersands(_ data: Data) -> Data {
        guard data.contains(UInt8(ascii: "&")) else { return data }
        var out = Data()
        out.reserveCapacity(data.count + 64)
        let bytes = [UInt8](data)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            out.append(byte)
            if byte == UInt8(ascii: "&") && !startsEntity(bytes, at: index + 1) {
                out.append(contentsOf: Array("amp;".utf8))
            }
            index += 1
        }
        return out
    }

    /// `name;`, `#123;` or `#x1F;` at `start`.
    static func startsEntity(_ bytes: [UInt8], at start: Int) -> Bool {
        var index = start
        var count = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "#") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "x") || bytes[index] == UInt8(ascii: "X") { index += 1 }
        }
        while index < bytes.count, count < 32 {
            let byte = bytes[index]
            if byte == UInt8(ascii: ";") { return count > 0 }
            guard (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) else { return false }
            index += 1
            count += 1
        }
        return false
    }

    struct JSONFeed: Decodable {
        struct Item: Decodable {
            var id: String?
            var url: String?
            var title: String?
            var content_html: String?
            var content_text: String?
            var summary: String?
            var date_published: String?
        }
        var version: String?
        var items: [Item]?
    }

    static func parseJSONFeed(_ data: Data) throws(FeedError) -> [FeedItem] {
        let feed: JSONFeed
        do {
            feed = try JSONDecoder().decode(JSONFeed.self, from: data)
        } catch {
            throw FeedError(reason: "数据源格式错误（JSON 无法解析）")
        }
        guard feed.version?.contains("jsonfeed.org") == true || feed.items != nil else {
            throw FeedError(reason: "不是 JSON Feed 格式的数据源")
        }
        return (feed.items ?? []).prefix(maxItems).compactMap { item in
            guard let guid = item.id ?? item.url else { return nil }
            let html = item.content_html
            return FeedItem(
                guid: guid, title: item.title ?? "", link: item.url, published: item.date_published.flatMap(parseDate),
                content: html ?? item.content_text ?? item.summary ?? "", contentIsHTML: html != nil)
        }
    }

    /// RFC 822 (RSS), RFC 3339 / ISO 8601 (Atom, JSON Feed), and the plain
    /// `YYYY-MM-DD HH:mm` some Chinese bridges emit (China Standard Time).
    public static func parseDate(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let date = ChinaTime.parseMoment(trimmed) { return date }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: trimmed) { return date }
        iso.formatOptions = [.withInternetDateTime]
        if let date = iso.date(from: trimmed) { return date }
        for format in ["EEE, d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm Z"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = ChinaTime.timeZone
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return date }
        }
        return nil
    }
}

/// Collects items of an RSS or Atom document as the parser streams it.
private final class XMLFeedDelegate: NSObject, XMLParserDelegate {
    var format: FeedFormat?
    var items: [FeedItem] = []
    private var inItem = false
    private var text = ""
    private var fields: [String: String] = [:]
    private var atomLink: String?
    /// Open elements; 0 again once the root element closed.
    var depth = 0
    var stoppedAtItemLimit = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        depth += 1
        let local = name.split(separator: ":").last.map(String.init) ?? name
        if format == nil {
            switch local {
            case "rss", "rdf", "RDF": format = .rss
            case "feed": format = .atom
            default: break
            }
        }
        if local == "item" || local == "entry" {
            inItem = true
            fields = [:]
            atomLink = nil
        }
        if inItem, local == "link", let href = attributes["href"] {
            let rel = attributes["rel"] ?? "alternate"
            if rel == "alternate" || atomLink == nil { atomLink = href }
        }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inItem { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        if inItem { text += String(decoding: block, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName qName: String?) {
        depth -= 1
        guard inItem else { return }
        let local = name.split(separator: ":").last.map(String.init) ?? name
        if local == "item" || local == "entry" {
            inItem = false
            let link = fields["link"].flatMap { $0.isEmpty ? nil : $0 } ?? atomLink
            guard let guid = fields["guid"] ?? fields["id"] ?? link else { return }
            let html = fields["encoded"] ?? fields["content"] ?? fields["description"] ?? fields["summary"] ?? ""
            let date = (fields["pubDate"] ?? fields["published"] ?? fields["updated"] ?? fields["date"]).flatMap(FeedParser.parseDate)
            if items.count < FeedParser.maxItems {
                items.append(
                    FeedItem(guid: guid, title: fields["title"] ?? "", link: link, published: date, content: html, contentIsHTML: true))
            } else {
                stoppedAtItemLimit = true
                depth = 0
                parser.abortParsing()
            }
            return
        }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if fields[local] == nil || fields[local]!.isEmpty { fields[local] = value }
        text = ""
    }
}
