import Foundation
import GovWatchCore

/// What the crawl keeps of one fetched page or attachment: everything the evidence needs
/// and nothing else (no body). Stored as JSON in `crawl_urls.record`, so a resumed or
/// re-inspected crawl reads it back instead of fetching again.
package struct PageRecord: Codable, Sendable, Hashable {
    /// One reference of the page (short keys: pages hold dozens of them).
    struct Link: Codable, Sendable, Hashable {
        /// The absolute normalised URL.
        var u: String
        /// `LinkEvidence.Kind` raw value.
        var k: String
        /// Hidden by inline markup; absent when visible.
        var h: Bool?
        /// The link text (cut to 60 characters); absent when empty.
        var t: String?

        var url: String { u }
        var kind: LinkEvidence.Kind { LinkEvidence.Kind(rawValue: k) ?? .page }
        var hidden: Bool { h ?? false }
        var text: String { t ?? "" }
    }

    /// A row of a consultation message list (领导信箱, 咨询留言).
    struct Message: Codable, Sendable, Hashable {
        var url: String
        var title: String
        var asked: CalendarDate
        var answered: CalendarDate?
        var status: String?
    }

    /// What a message's own page says (来信时间, 答复时间, 办理状态).
    struct Letter: Codable, Sendable, Hashable {
        var asked: CalendarDate?
        var answered: CalendarDate?
        var status: String?
    }

    /// A part of an attachment's text: the whole, a sheet or a PDF page.
    struct Section: Codable, Sendable, Hashable {
        var label: String?
        var text: String
    }

    var title: String?
    /// The page's own publish day.
    var published: CalendarDate?
    var identity: FooterIdentity?
    /// Dated items of the page's lists.
    var items: [DatedItem] = []
    var links: [Link] = []
    /// The visible text (pages only), kept only when the content screen found a problem in it.
    var text: String?
    /// The page says it has nothing (暂无信息 …) and lists nothing dated.
    var placeholder: Bool = false
    /// "下一页" and page-number links of a paged list.
    var nextPages: [String] = []
    /// "更多" links (a block pointing to its full list).
    var moreLinks: [String] = []
    /// Messages when the page lists consultation messages.
    var messages: [Message] = []
    /// When the page is one message with its dates.
    var letter: Letter?
    /// Search URLs the page offers (a search form's GET target with a sample query).
    var search: [String] = []
    /// `<meta name="ColumnName">` of CMS-published pages.
    var columnName: String?
    /// Attachment text: the parts in which the content screen found a problem.
    var sections: [Section]?

    /// Drops the texts in which `scanner` finds no content problem. The content checks only
    /// ever report problems, so a clean text is never read again; keeping every page's text
    /// would make the store and the evidence grow with the site (the checks rescan the kept
    /// texts with the same scanner, so their findings do not change).
    package mutating func screen(with scanner: ContentScanner) {
        if let text, scanner.scan(text).problems.isEmpty { self.text = nil }
        if let sections { self.sections = sections.filter { !scanner.scan($0.text).problems.isEmpty } }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    package func json() throws -> String {
        String(decoding: try Self.encoder.encode(self), as: UTF8.self)
    }

    package static func decode(_ json: String?) -> PageRecord? {
        guard let json else { return nil }
        return try? JSONDecoder().decode(PageRecord.self, from: Data(json.utf8))
    }
}

/// What the crawler does with a URL.
enum CrawlRole: String, Sendable {
    /// Fetch and parse (HTML on the site's hosts).
    case page
    /// Fetch and extract text (documents on the site's hosts).
    case attachment
    /// Only find out whether it loads (everything else).
    case check
}

/// 64-bit FNV-1a: content hashes of bodies and the crawler's compact seen-set of URLs.
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
    }

    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hasher = FNV1a64()
        hasher.combine(bytes)
        return hasher.value
    }

    static func hash(_ string: String) -> UInt64 { hash(string.utf8) }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let value = hash(bytes)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
