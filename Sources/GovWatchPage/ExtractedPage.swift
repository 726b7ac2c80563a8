import Foundation
import GovWatchCore

/// What an inspection sees in one page; encodes to the Extract JSON of the spec
/// (`govwatch extract --format json`). Absent values encode as `null`, never guessed.
public struct ExtractedPage: Sendable, Hashable, Codable {
    /// The page's URL (normalised), or the file it was read from.
    public var url: String?
    /// The article title when the page clearly has one, else the `<title>`.
    public var title: String?
    /// The page's own publish time, China Standard Time.
    public var published: PageDateTime?
    /// The footer identity (网站标识码, ICP, 公安备案, 主办单位, 党政机关标识).
    public var identity: SiteIdentity
    /// Dated items of lists on the page (column pages, homepage blocks).
    public var listItems: [ListItem]
    /// Every link, image, script, stylesheet and frame in document order.
    public var links: [PageLink]
    /// The visible text (see `PageText`).
    public var text: String
    /// The character encoding the page was read in; not part of the JSON.
    public var charset: String?
    /// Entries of a list that prints no dates (filled only when the page has no dated
    /// items and no publish date of its own; see `ListItemFinder.undatedEntries`).
    public var undatedItems: [ListEntry] = []
    /// Why the page could not really be read — `challenge` (a bot challenge / WAF page) or
    /// `javascript` (content drawn by a script from a source not found) — nil when it was
    /// read. Of a challenge page nothing else is read.
    public var unreadable: String?
    /// Data endpoints the page's scripts load its list from (see `PageReadability`).
    public var dataSources: [String] = []
    /// The site search the page offers (see `SearchFinder`).
    public var search: [String] = []

    /// Makes a page record.
    public init(
        url: String?, title: String?, published: PageDateTime?, identity: SiteIdentity,
        listItems: [ListItem], links: [PageLink], text: String, charset: String? = nil
    ) {
        self.url = url
        self.title = title
        self.published = published
        self.identity = identity
        self.listItems = listItems
        self.links = links
        self.text = text
        self.charset = charset
    }

    enum CodingKeys: String, CodingKey {
        case url, title, published, identity, listItems, links, text, undatedItems, unreadable, dataSources, search
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        if let published = try container.decodeIfPresent(String.self, forKey: .published) {
            guard let parsed = PageDateTime(iso8601: published) else {
                throw DecodingError.dataCorruptedError(forKey: .published, in: container, debugDescription: "发布时间格式无效：\(published)")
            }
            self.published = parsed
        } else {
            published = nil
        }
        identity = try container.decode(SiteIdentity.self, forKey: .identity)
        listItems = try container.decode([ListItem].self, forKey: .listItems)
        links = try container.decode([PageLink].self, forKey: .links)
        text = try container.decode(String.self, forKey: .text)
        charset = nil
        undatedItems = try container.decodeIfPresent([ListEntry].self, forKey: .undatedItems) ?? []
        unreadable = try container.decodeIfPresent(String.self, forKey: .unreadable)
        dataSources = try container.decodeIfPresent([String].self, forKey: .dataSources) ?? []
        search = try container.decodeIfPresent([String].self, forKey: .search) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        // Keys in the spec's order, optionals as explicit nulls.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(url, forKey: .url)
        try container.encode(title, forKey: .title)
        try container.encode(published?.description, forKey: .published)
        try container.encode(identity, forKey: .identity)
        try container.encode(listItems, forKey: .listItems)
        try container.encode(links, forKey: .links)
        try container.encode(text, forKey: .text)
        try container.encode(undatedItems, forKey: .undatedItems)
        try container.encode(unreadable, forKey: .unreadable)
        try container.encode(dataSources, forKey: .dataSources)
        try container.encode(search, forKey: .search)
    }

    /// The Extract JSON of the spec, UTF-8, with the keys in the spec's order (`url`,
    /// `title`, `published`, `identity`, `listItems`, `links`, `text`), then what was added
    /// since (`undatedItems`, `unreadable`, `dataSources`, `search`; links carry `hiding`),
    /// nulls written out and slashes and Chinese left unescaped.
    ///
    /// Written by hand rather than with `JSONEncoder`, whose key order is unspecified on
    /// Linux. Pretty output puts one list item or link per line.
    public func jsonData(prettyPrinted: Bool = true) -> Data {
        var json = JSONWriter(pretty: prettyPrinted)
        json.beginObject()
        json.key("url"); json.string(url)
        json.key("title"); json.string(title)
        json.key("published"); json.string(published?.description)
        json.key("identity")
        json.inlineObject([
            ("siteCode", JSONWriter.quoted(identity.siteCode)), ("icp", JSONWriter.quoted(identity.icp)),
            ("police", JSONWriter.quoted(identity.police)), ("sponsor", JSONWriter.quoted(identity.sponsor)),
            ("partyGovBadge", identity.partyGovBadge ? "true" : "false"),
        ])
        json.key("listItems")
        json.array(listItems.map { item in
            [("title", JSONWriter.quoted(item.title)), ("url", JSONWriter.quoted(item.url)),
             ("date", JSONWriter.quoted(item.date.description))]
        })
        json.key("links")
        json.array(links.map { link in
            [("url", JSONWriter.quoted(link.url)), ("text", JSONWriter.quoted(link.text)),
             ("kind", JSONWriter.quoted(link.kind.rawValue)), ("hidden", link.hidden ? "true" : "false"),
             ("hiding", JSONWriter.quoted(link.hiding))]
        })
        json.key("text"); json.string(text)
        json.key("undatedItems")
        json.array(undatedItems.map { item in
            [("title", JSONWriter.quoted(item.title)), ("url", JSONWriter.quoted(item.url))]
        })
        json.key("unreadable"); json.string(unreadable)
        json.key("dataSources")
        json.stringArray(dataSources)
        json.key("search")
        json.stringArray(search)
        json.endObject()
        return Data(json.output.utf8)
    }
}

/// A minimal JSON writer that keeps keys in the order given.
struct JSONWriter {
    let pretty: Bool
    private(set) var output = ""
    private var needsComma = false

    init(pretty: Bool) {
        self.pretty = pretty
    }

    mutating func beginObject() {
        output += "{"
        needsComma = false
    }

    mutating func endObject() {
        output += pretty ? "\n}" : "}"
    }

    mutating func key(_ name: String) {
        if needsComma { output += "," }
        output += pretty ? "\n  " : ""
        output += JSONWriter.quoted(name) + (pretty ? ": " : ":")
        needsComma = true
    }

    mutating func string(_ value: String?) {
        output += JSONWriter.quoted(value)
    }

    /// An object on one line from already-encoded values.
    mutating func inlineObject(_ members: [(String, String)]) {
        output += JSONWriter.inline(members, pretty: pretty)
    }

    /// An array of one-line objects, one per line when pretty.
    mutating func array(_ elements: [[(String, String)]]) {
        guard !elements.isEmpty else {
            output += "[]"
            return
        }
        output += "["
        for (position, members) in elements.enumerated() {
            if position > 0 { output += "," }
            output += pretty ? "\n    " : ""
            output += JSONWriter.inline(members, pretty: pretty)
        }
        output += pretty ? "\n  ]" : "]"
    }

    /// An array of strings on one line.
    mutating func stringArray(_ values: [String]) {
        output += "[" + values.map { JSONWriter.quoted($0) }.joined(separator: pretty ? ", " : ",") + "]"
    }

    static func inline(_ members: [(String, String)], pretty: Bool) -> String {
        let separator = pretty ? ", " : ","
        let colon = pretty ? ": " : ":"
        return "{" + members.map { quoted($0.0) + colon + $0.1 }.joined(separator: separator) + "}"
    }

    /// A JSON string literal, or `null`.
    static func quoted(_ value: String?) -> String { JSONText.quoted(value) }
}

/// The identity marks a government site must show in its footer (defined in the core,
/// where the identity check reads it).
public typealias SiteIdentity = FooterIdentity

/// One dated entry of a list (a column page's article list, a homepage block).
public struct ListItem: Sendable, Hashable, Codable {
    /// The entry's title (the link text, or its `title` attribute when the text is cut short).
    public var title: String
    /// Where the entry links to (absolute and normalised when the page URL is known).
    public var url: String
    /// The entry's date.
    public var date: CalendarDate

    /// Makes a list item.
    public init(title: String, url: String, date: CalendarDate) {
        self.title = title
        self.url = url
        self.date = date
    }
}

/// One entry of a list that prints no dates (a column whose dates are only on the
/// articles' own pages).
public struct ListEntry: Sendable, Hashable, Codable {
    /// The entry's title.
    public var title: String
    /// Where the entry links to.
    public var url: String

    /// Makes a list entry.
    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

/// One reference from the page to another resource.
public struct PageLink: Sendable, Hashable, Codable {
    /// What the reference loads.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// `<a href>` / `<area href>` to a page.
        case page
        /// `<img src>`, icons.
        case image
        /// `<a href>` to a document (.pdf, .doc, .docx, .xls, .xlsx, .zip, .rar, .wps, .et, .ofd, .txt, …).
        case attachment
        /// `<script src>`.
        case script
        /// `<link rel=stylesheet href>`.
        case style
        /// `<iframe src>` / `<frame src>`.
        case frame
    }

    /// The target, absolute and normalised when the page URL is known; otherwise the
    /// reference as written.
    public var url: String
    /// The link text (an image's `alt`); empty when there is none.
    public var text: String
    /// What the reference loads.
    public var kind: Kind
    /// Whether the element or an ancestor is hidden by inline markup or a rule of the
    /// page's `<style>` (see `InlineStyle`, `StyleSheetHiding`).
    public var hidden: Bool
    /// How it is hidden (see `HTMLElement.hiding`); nil when visible.
    public var hiding: String?

    /// Makes a link record.
    public init(url: String, text: String, kind: Kind, hidden: Bool, hiding: String? = nil) {
        self.url = url
        self.text = text
        self.kind = kind
        self.hidden = hidden
        self.hiding = hidden ? hiding : nil
    }

    enum CodingKeys: String, CodingKey {
        case url, text, kind, hidden, hiding
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        text = try container.decode(String.self, forKey: .text)
        kind = try container.decode(Kind.self, forKey: .kind)
        hidden = try container.decode(Bool.self, forKey: .hidden)
        hiding = try container.decodeIfPresent(String.self, forKey: .hiding)
    }
}
