import Foundation
import GovWatchCore

/// Turns one page into what an inspection needs (`ExtractedPage`): title, publish time,
/// footer identity, links with their kind and visibility, dated list items, and text.
///
/// Pure and deterministic: the as-of time used to complete month-day dates (`03-10`) is
/// passed in, never read from the clock.
public struct PageExtractor: Sendable {
    /// The inspection's as-of time. Month-day list dates take the latest year that does
    /// not put them after this day (or after the page's own publish date when no as-of
    /// time is given). Without either, month-day items are left out rather than guessed.
    public var asOf: Date?

    /// Makes an extractor.
    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }

    /// Decodes (see `CharsetDetector`), parses and extracts a page.
    ///
    /// - Parameters:
    ///   - bytes: the raw page.
    ///   - contentType: the HTTP `Content-Type` header, if any.
    ///   - url: the page's URL (the final one after redirects), used to resolve links.
    ///     When nil, a browser's `saved from url` comment is used if present.
    public func extract(bytes: some Collection<UInt8>, contentType: String? = nil, url: String?) -> ExtractedPage {
        if let url, Self.isData(bytes: bytes, contentType: contentType), let list = extractDataList(bytes: bytes, url: url) {
            return list
        }
        let decoded = CharsetDetector.decode(bytes, contentType: contentType)
        var page = extract(html: decoded.text, url: url)
        page.charset = decoded.charset
        return page
    }

    /// Parses and extracts already-decoded HTML.
    public func extract(html: String, url: String?) -> ExtractedPage {
        let document = HTMLDocument(html: html)
        return extract(document: document, url: url ?? PageExtractor.savedFromURL(in: html))
    }

    /// Extracts from a parsed document.
    public func extract(document: HTMLDocument, url: String?) -> ExtractedPage {
        let pageURL = url.flatMap(NormalizedURL.init)
        let base = PageExtractor.baseURL(of: document, pageURL: pageURL)
        let plain = document.visibleText(includeAttributes: false)
        let full = document.visibleText(includeAttributes: true)
        let title = TitleFinder(document: document).title()
        let published = PublishDateFinder(document: document, plainText: plain, title: title).published()
        let identity = IdentityFinder(document: document, plainText: plain.string).identity()
        var links = LinkCollector(document: document, base: base).links()
        var reference: CalendarDate?
        if let asOf { reference = CalendarDate(asOf) } else { reference = published?.date }
        var items = ListItemFinder(document: document, base: base, referenceDay: reference).items()
        var datastore: HTMLDocument?
        if let records = HanwebDatastore.recordsHTML(in: document) {
            let listed = HTMLDocument(html: records)
            datastore = listed
            items += ListItemFinder(document: listed, base: base, referenceDay: reference).items()
            links += LinkCollector(document: listed, base: base).links()
        }
        var undated: [ListEntry] = []
        if items.isEmpty, published == nil, let pageURL {
            // A list without dates still lists: such entries count as not updated.
            if let datastore {
                undated = ListItemFinder(document: datastore, base: base, referenceDay: reference).undatedEntries(page: pageURL)
            }
            if undated.isEmpty {
                undated = ListItemFinder(document: document, base: base, referenceDay: reference).undatedEntries(page: pageURL)
            }
        }
        let readability = PageReadability.assess(
            document: document, visibleText: plain.string, title: title, links: links,
            listed: !items.isEmpty || !undated.isEmpty, published: published != nil, base: base)
        if readability.unreadable == "challenge" {
            // Nothing of a challenge page is the site's: no title, date, identity, list or search.
            var page = ExtractedPage(
                url: pageURL?.description ?? url, title: nil, published: nil, identity: SiteIdentity(),
                listItems: [], links: [], text: "", charset: document.charset)
            page.unreadable = readability.unreadable
            return page
        }
        var page = ExtractedPage(
            url: pageURL?.description ?? url, title: title, published: published, identity: identity,
            listItems: items, links: links, text: full.string, charset: document.charset)
        page.undatedItems = undated
        page.unreadable = readability.unreadable
        page.dataSources = readability.dataSources
        if let base, let pageURL {
            page.search = SearchFinder(document: document, base: base, page: pageURL, links: links).targets()
        }
        return page
    }

    /// Reads the list of a data endpoint's JSON (see `JSONListReader`): the page a column's
    /// script loads its list from. Nil when the bytes are not such JSON.
    public func extractDataList(bytes: some Collection<UInt8>, url: String) -> ExtractedPage? {
        guard let list = JSONListReader.read(bytes, url: url) else { return nil }
        var page = ExtractedPage(
            url: NormalizedURL(url)?.description ?? url, title: nil, published: nil, identity: SiteIdentity(),
            listItems: list.items, links: [], text: "", charset: "UTF-8")
        page.undatedItems = list.undated
        return page
    }

    /// Whether a response is a data endpoint's JSON (or JSONP) rather than a page.
    public static func isData(bytes: some Collection<UInt8>, contentType: String?) -> Bool {
        let type = contentType?.lowercased() ?? ""
        if type.contains("html") { return false }
        if type.contains("json") { return true }
        guard type.isEmpty || type.hasPrefix("text/plain") || type.contains("javascript") || type.contains("octet-stream") else {
            return false
        }
        let head = Array(bytes.prefix(256).drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) })
        guard let first = head.first else { return false }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return true }
        // JSONP: `callback({…})`, a script identifier and a parenthesis.
        let name = head.prefix { ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x24 || $0 == 0x2E }
        guard !name.isEmpty, name.count + 1 < head.count, head[name.count] == UInt8(ascii: "(") else { return false }
        let inner = head[name.count + 1]
        return inner == UInt8(ascii: "{") || inner == UInt8(ascii: "[")
    }

    /// The URL links resolve against: `<base href>` (itself resolved against the page
    /// URL), else the page URL.
    static func baseURL(of document: HTMLDocument, pageURL: NormalizedURL?) -> NormalizedURL? {
        if let href = document.baseHref {
            if let pageURL, let resolved = pageURL.resolve(href) { return resolved }
            if let absolute = NormalizedURL(href) { return absolute }
        }
        return pageURL
    }

    /// The original address browsers record when saving a page
    /// (`<!-- saved from url=(0071)https://… -->`), searched in the first 4 KB.
    public static func savedFromURL(in html: String) -> String? {
        let head = html.utf8.prefix(4096)
        guard let text = String(head), let marker = text.range(of: "saved from url=(") else {
            // A cut in the middle of a character: retry on the decodable prefix.
            let lossy = String(decoding: head, as: UTF8.self)
            guard let marker = lossy.range(of: "saved from url=(") else { return nil }
            return savedFromURL(lossy, after: marker.upperBound)
        }
        return savedFromURL(text, after: marker.upperBound)
    }

    private static func savedFromURL(_ text: String, after start: String.Index) -> String? {
        guard let close = text[start...].firstIndex(of: ")") else { return nil }
        var candidate = String(text[text.index(after: close)...].prefix(while: { !$0.isWhitespace }))
        if let end = candidate.range(of: "-->") { candidate = String(candidate[..<end.lowerBound]) }
        return NormalizedURL(candidate)?.description
    }
}

// MARK: - Shared text helpers

extension HTMLStorage {
    /// The text inside node `index` (excluding `excluded` and non-text elements such as
    /// scripts), with block and cell boundaries as spaces, whitespace collapsed. Stops
    /// after `limit` bytes of raw text or `4 × limit` nodes, so that callers asking about
    /// many nested elements stay linear.
    func subtreeText(_ index: Int, excluding excluded: Range<Int>? = nil, limit: Int = 4096) -> String {
        // Collected as UTF-8 bytes and made a String once: this runs for every link.
        var raw: [UInt8] = []
        var cursor = index + 1
        let end = min(nodes[index].end, index + 1 + 4 * limit)
        while cursor < end {
            if let excluded, excluded.contains(cursor) {
                cursor = excluded.upperBound
                raw.append(0x20)
                continue
            }
            if nodes[cursor].isElement {
                let kind = nodes[cursor].kind
                if kind.contains(.nonText) {
                    cursor = nodes[cursor].end
                    continue
                }
                if !kind.isDisjoint(with: [.block, .cell]) { raw.append(0x20) }
            } else {
                // Only what fits: one folded text run can hold a whole hostile page.
                let room = max(0, limit - raw.count)
                let text = nodes[cursor].text.utf8
                if text.count <= room {
                    raw.append(contentsOf: text)
                } else {
                    // A cut inside a character decodes to U+FFFD, as `String(decoding:)` does.
                    raw.append(contentsOf: String(decoding: text.prefix(room), as: UTF8.self).utf8)
                    break
                }
            }
            cursor += 1
        }
        return raw.isEmpty ? "" : raw.withUnsafeBufferPointer { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { output in
                String.collapseWhitespace(bytes, into: output.baseAddress!)
            }
        }
    }
}

extension Character {
    var isHan: Bool {
        unicodeScalars.first.map(\.isHan) ?? false
    }
}

extension Unicode.Scalar {
    /// CJK ideographs (the blocks government pages use).
    var isHan: Bool {
        switch value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }
}

/// The text with every whitespace character removed, for comparing titles.
func squeezed(_ text: String) -> String {
    // On the UTF-8 bytes: whitespace scalars are exactly those `String.whitespaceLength` finds.
    var text = text
    return text.withUTF8 { bytes in
        bytes.isEmpty ? "" : String(unsafeUninitializedCapacity: bytes.count) { output in
            var written = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let whitespace = String.whitespaceLength(bytes, at: index, byte: byte)
                if whitespace > 0 {
                    index += whitespace
                    continue
                }
                output[written] = byte
                written += 1
                index += 1
            }
            return written
        }
    }
}
