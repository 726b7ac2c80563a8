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
        /// How it is hidden (`display:none`, `off-screen`, `hidden-parent <div>, display:none,
        /// class .hide in <style>` …, see `HTMLElement.hiding`); absent when visible.
        var hh: String?

        init(u: String, k: String, h: Bool? = nil, t: String? = nil, hh: String? = nil) {
            self.u = u
            self.k = k
            self.h = h
            self.t = t
            self.hh = hh
        }

        var url: String { u }
        var kind: LinkEvidence.Kind { LinkEvidence.Kind(rawValue: k) ?? .page }
        var hidden: Bool { h ?? false }
        var text: String { t ?? "" }
        /// How it is hidden, when it is.
        var hiding: String? { hh }
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
        /// Where the personal information of `text` was (the text is stored masked).
        var privacy: [PersonalInfoMark]?
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
    /// Where the personal information of `text` was: the text is stored masked, and the
    /// content checks take these in place of the numbers no longer in it. Nil for a text
    /// stored in clear by an earlier version (the migration masks those).
    var privacy: [PersonalInfoMark]?
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
    /// The page was fetched but could not really be read: `UnreadablePart.Reason` raw value
    /// (`challenge` for a bot-challenge / WAF page, `javascript` for a list filled by a script
    /// whose data source was not found). Nil for a page that was read.
    var unreadable: String?

    /// Drops the texts in which `scanner` finds no content problem. The content checks only
    /// ever report problems, so a clean text is never read again; keeping every page's text
    /// would make the store and the evidence grow with the site (the checks rescan the kept
    /// texts with the same scanner, so their findings do not change).
    ///
    /// What is kept is masked (`PersonalInfoRedaction`), with marks of where the personal
    /// information was, so nothing personal is stored in clear and the checks still find it.
    package mutating func screen(with scanner: ContentScanner) {
        // The short texts kept whatever the screen finds (titles, list items, link texts,
        // message titles) are masked too: a 公示 list's item may name a person's number.
        title = title.map(PersonalInfoRedaction.masked)
        for index in items.indices { items[index].title = PersonalInfoRedaction.masked(items[index].title) }
        for index in links.indices where links[index].t != nil { links[index].t = links[index].t.map(PersonalInfoRedaction.masked) }
        for index in messages.indices { messages[index].title = PersonalInfoRedaction.masked(messages[index].title) }
        if let text {
            if scanner.scan(text, personalInformation: privacy).problems.isEmpty {
                self.text = nil
                self.privacy = nil
            } else {
                let redacted = PersonalInfoRedaction.redact(text, keeping: privacy)
                self.text = redacted.text
                self.privacy = redacted.marks
            }
        }
        if let sections {
            self.sections = sections.filter { !scanner.scan($0.text, personalInformation: $0.privacy).problems.isEmpty }.map { section in
                let redacted = PersonalInfoRedaction.redact(section.text, keeping: section.privacy)
                return Section(label: section.label, text: redacted.text, privacy: redacted.marks)
            }
        }
    }

    /// The record as JSON, written by hand (see `PageRecordJSON`): `JSONEncoder` was 5% of
    /// the crawl's CPU. Never throws; `throws` stays for the callers.
    package func json() throws -> String {
        PageRecordJSON.encode(self)
    }

    /// The stored record, nil when absent or unreadable. The hand-written reader takes the
    /// JSON of this schema in any key order (so also what `JSONEncoder` stored before);
    /// anything else it gives up on (unknown keys, odd dates, lone surrogates…) goes through
    /// `JSONDecoder`, which decides, so what reads is what always read.
    package static func decode(_ json: String?) -> PageRecord? {
        guard var json else { return nil }
        if let record = json.withUTF8({ PageRecordJSON.decode($0) }) { return record }
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
    /// Fetch and parse a consultation channel on another host (a province's 领导信箱
    /// platform): its list paging and letters are followed, nothing else (`ChannelScope`).
    case channel
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

/// `PageRecord`'s JSON by hand, in the form its `Codable` conformance gives (same keys, absent
/// optionals omitted, `FooterIdentity`'s absent values as `null`), so `JSONDecoder` reads
/// what this writes and earlier versions' records read here. `JSONEncoder`/`JSONDecoder`
/// build a tree of boxed values and hash every key; a record is written once per page and
/// read back several times by the evidence build.
enum PageRecordJSON {
    // MARK: Writing

    static func encode(_ record: PageRecord) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256 + record.links.count * 96 + record.items.count * 160 + (record.text?.utf8.count ?? 0))
        out.append(UInt8(ascii: "{"))
        var first = true
        func key(_ name: StaticString) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendKey(name, to: &out)
        }
        if let title = record.title {
            key("title")
            JSONText.appendString(title, to: &out)
        }
        if let published = record.published {
            key("published")
            appendDate(published, to: &out)
        }
        if let identity = record.identity {
            key("identity")
            appendIdentity(identity, to: &out)
        }
        key("items")
        appendArray(record.items, to: &out, appendItem)
        key("links")
        appendArray(record.links, to: &out, appendLink)
        if let text = record.text {
            key("text")
            JSONText.appendString(text, to: &out)
        }
        if let privacy = record.privacy {
            key("privacy")
            appendMarks(privacy, to: &out)
        }
        key("placeholder")
        appendBool(record.placeholder, to: &out)
        key("nextPages")
        appendArray(record.nextPages, to: &out, JSONText.appendString)
        key("moreLinks")
        appendArray(record.moreLinks, to: &out, JSONText.appendString)
        key("messages")
        appendArray(record.messages, to: &out, appendMessage)
        if let letter = record.letter {
            key("letter")
            appendLetter(letter, to: &out)
        }
        key("search")
        appendArray(record.search, to: &out, JSONText.appendString)
        if let columnName = record.columnName {
            key("columnName")
            JSONText.appendString(columnName, to: &out)
        }
        if let sections = record.sections {
            key("sections")
            appendArray(sections, to: &out, appendSection)
        }
        if let unreadable = record.unreadable {
            key("unreadable")
            JSONText.appendString(unreadable, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendItem(_ item: DatedItem, to out: inout [UInt8]) {
        appendMember("title", to: &out, first: true)
        JSONText.appendString(item.title, to: &out)
        appendMember("url", to: &out)
        JSONText.appendString(item.url, to: &out)
        if let date = item.date {
            appendMember("date", to: &out)
            appendDate(date, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func appendLink(_ link: PageRecord.Link, to out: inout [UInt8]) {
        appendMember("u", to: &out, first: true)
        JSONText.appendString(link.u, to: &out)
        appendMember("k", to: &out)
        JSONText.appendString(link.k, to: &out)
        if let hidden = link.h {
            appendMember("h", to: &out)
            appendBool(hidden, to: &out)
        }
        if let text = link.t {
            appendMember("t", to: &out)
            JSONText.appendString(text, to: &out)
        }
        if let hiding = link.hh {
            appendMember("hh", to: &out)
            JSONText.appendString(hiding, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func appendMessage(_ message: PageRecord.Message, to out: inout [UInt8]) {
        appendMember("url", to: &out, first: true)
        JSONText.appendString(message.url, to: &out)
        appendMember("title", to: &out)
        JSONText.appendString(message.title, to: &out)
        appendMember("asked", to: &out)
        appendDate(message.asked, to: &out)
        if let answered = message.answered {
            appendMember("answered", to: &out)
            appendDate(answered, to: &out)
        }
        if let status = message.status {
            appendMember("status", to: &out)
            JSONText.appendString(status, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func appendLetter(_ letter: PageRecord.Letter, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        func key(_ name: StaticString) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendKey(name, to: &out)
        }
        if let asked = letter.asked {
            key("asked")
            appendDate(asked, to: &out)
        }
        if let answered = letter.answered {
            key("answered")
            appendDate(answered, to: &out)
        }
        if let status = letter.status {
            key("status")
            JSONText.appendString(status, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func appendSection(_ section: PageRecord.Section, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let label = section.label {
            appendKey("label", to: &out)
            JSONText.appendString(label, to: &out)
            out.append(UInt8(ascii: ","))
        }
        appendKey("text", to: &out)
        JSONText.appendString(section.text, to: &out)
        if let privacy = section.privacy {
            out.append(UInt8(ascii: ","))
            appendKey("privacy", to: &out)
            appendMarks(privacy, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Marks as their `encoded` strings (what `PersonalInfoMark`'s `Codable` conformance writes).
    private static func appendMarks(_ marks: [PersonalInfoMark], to out: inout [UInt8]) {
        appendArray(marks, to: &out) { mark, out in JSONText.appendString(mark.encoded, to: &out) }
    }

    /// All five keys, absent values as `null` (what `FooterIdentity.encode(to:)` writes).
    private static func appendIdentity(_ identity: FooterIdentity, to out: inout [UInt8]) {
        appendMember("siteCode", to: &out, first: true)
        appendOptionalString(identity.siteCode, to: &out)
        appendMember("icp", to: &out)
        appendOptionalString(identity.icp, to: &out)
        appendMember("police", to: &out)
        appendOptionalString(identity.police, to: &out)
        appendMember("sponsor", to: &out)
        appendOptionalString(identity.sponsor, to: &out)
        appendMember("partyGovBadge", to: &out)
        appendBool(identity.partyGovBadge, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// `"name":`, preceded by `{` for an object's first key and `,` otherwise.
    private static func appendMember(_ name: StaticString, to out: inout [UInt8], first: Bool = false) {
        out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
        appendKey(name, to: &out)
    }

    private static func appendKey(_ name: StaticString, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    private static func appendArray<Element>(
        _ elements: [Element], to out: inout [UInt8], _ appendElement: (Element, inout [UInt8]) -> Void
    ) {
        out.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendElement(element, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func appendBool(_ value: Bool, to out: inout [UInt8]) {
        out.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    private static func appendOptionalString(_ value: String?, to out: inout [UInt8]) {
        if let value { JSONText.appendString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    /// `"YYYY-MM-DD"` (`CalendarDate.description`, without `String(format:)`; years are 1900…2999).
    private static func appendDate(_ date: CalendarDate, to out: inout [UInt8]) {
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        out.append(UInt8(ascii: "\""))
        digits(date.year, 4)
        out.append(UInt8(ascii: "-"))
        digits(date.month, 2)
        out.append(UInt8(ascii: "-"))
        digits(date.day, 2)
        out.append(UInt8(ascii: "\""))
    }

    /// A JSON string escaped the way `JSONEncoder` escapes it: quote, backslash and the
    /// control characters (short forms for \b \t \n \f \r, `\u00xx` for the others); slashes
    /// and everything else (U+2028, non-BMP…) as UTF-8. Runs of plain bytes are copied at once.
    // MARK: Reading

    /// The record in `bytes` (UTF-8 JSON), nil when this reader does not understand it
    /// (the caller then asks `JSONDecoder`). Keys may come in any order; every non-optional
    /// field must be present, as the `Codable` conformance requires.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> PageRecord? {
        var reader = Reader(bytes: bytes)
        do {
            let record = try reader.record()
            reader.skipSpace()
            return reader.atEnd ? record : nil
        } catch {
            return nil
        }
    }

    /// Not understood here (the caller falls back to `JSONDecoder`).
    struct Unsupported: Error {}

    /// A cursor over the bytes with the few JSON forms the schema uses: objects, arrays,
    /// strings, booleans and `null` (no numbers).
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool { position == bytes.count }

        mutating func record() throws -> PageRecord {
            var record = PageRecord()
            // The non-optional fields, which `JSONDecoder` requires (bit per field).
            var present: UInt8 = 0
            try members { reader, key in
                switch key {
                case "title": record.title = try reader.optional { try $0.string() }
                case "published": record.published = try reader.optional { try $0.date() }
                case "identity": record.identity = try reader.optional { try $0.identity() }
                case "items":
                    record.items = try reader.array { try $0.item() }
                    present |= 1
                case "links":
                    record.links = try reader.array { try $0.link() }
                    present |= 2
                case "text": record.text = try reader.optional { try $0.string() }
                case "privacy": record.privacy = try reader.optional { try $0.marks() }
                case "placeholder":
                    record.placeholder = try reader.bool()
                    present |= 4
                case "nextPages":
                    record.nextPages = try reader.array { try $0.string() }
                    present |= 8
                case "moreLinks":
                    record.moreLinks = try reader.array { try $0.string() }
                    present |= 16
                case "messages":
                    record.messages = try reader.array { try $0.message() }
                    present |= 32
                case "letter": record.letter = try reader.optional { try $0.letter() }
                case "search":
                    record.search = try reader.array { try $0.string() }
                    present |= 64
                case "columnName": record.columnName = try reader.optional { try $0.string() }
                case "sections": record.sections = try reader.optional { try $0.array { try $0.section() } }
                case "unreadable": record.unreadable = try reader.optional { try $0.string() }
                default: throw Unsupported()
                }
            }
            guard present == 127 else { throw Unsupported() }
            return record
        }

        mutating func item() throws -> DatedItem {
            var title: String?
            var url: String?
            var date: CalendarDate?
            try members { reader, key in
                switch key {
                case "title": title = try reader.string()
                case "url": url = try reader.string()
                case "date": date = try reader.optional { try $0.date() }
                default: throw Unsupported()
                }
            }
            guard let title, let url else { throw Unsupported() }
            return DatedItem(title: title, url: url, date: date)
        }

        mutating func link() throws -> PageRecord.Link {
            var url: String?
            var kind: String?
            var hidden: Bool?
            var text: String?
            var hiding: String?
            try members { reader, key in
                switch key {
                case "u": url = try reader.string()
                case "k": kind = try reader.string()
                case "h": hidden = try reader.optional { try $0.bool() }
                case "t": text = try reader.optional { try $0.string() }
                case "hh": hiding = try reader.optional { try $0.string() }
                default: throw Unsupported()
                }
            }
            guard let url, let kind else { throw Unsupported() }
            return PageRecord.Link(u: url, k: kind, h: hidden, t: text, hh: hiding)
        }

        mutating func message() throws -> PageRecord.Message {
            var url: String?
            var title: String?
            var asked: CalendarDate?
            var answered: CalendarDate?
            var status: String?
            try members { reader, key in
                switch key {
                case "url": url = try reader.string()
                case "title": title = try reader.string()
                case "asked": asked = try reader.date()
                case "answered": answered = try reader.optional { try $0.date() }
                case "status": status = try reader.optional { try $0.string() }
                default: throw Unsupported()
                }
            }
            guard let url, let title, let asked else { throw Unsupported() }
            return PageRecord.Message(url: url, title: title, asked: asked, answered: answered, status: status)
        }

        mutating func letter() throws -> PageRecord.Letter {
            var letter = PageRecord.Letter()
            try members { reader, key in
                switch key {
                case "asked": letter.asked = try reader.optional { try $0.date() }
                case "answered": letter.answered = try reader.optional { try $0.date() }
                case "status": letter.status = try reader.optional { try $0.string() }
                default: throw Unsupported()
                }
            }
            return letter
        }

        mutating func section() throws -> PageRecord.Section {
            var label: String?
            var text: String?
            var privacy: [PersonalInfoMark]?
            try members { reader, key in
                switch key {
                case "label": label = try reader.optional { try $0.string() }
                case "text": text = try reader.string()
                case "privacy": privacy = try reader.optional { try $0.marks() }
                default: throw Unsupported()
                }
            }
            guard let text else { throw Unsupported() }
            return PageRecord.Section(label: label, text: text, privacy: privacy)
        }

        /// An array of marks in their `encoded` form.
        mutating func marks() throws -> [PersonalInfoMark] {
            try array { reader in
                guard let mark = PersonalInfoMark(encoded: try reader.string()) else { throw Unsupported() }
                return mark
            }
        }

        /// `FooterIdentity.init(from:)`: every key optional, the badge false when absent or null.
        mutating func identity() throws -> FooterIdentity {
            var identity = FooterIdentity()
            try members { reader, key in
                switch key {
                case "siteCode": identity.siteCode = try reader.optional { try $0.string() }
                case "icp": identity.icp = try reader.optional { try $0.string() }
                case "police": identity.police = try reader.optional { try $0.string() }
                case "sponsor": identity.sponsor = try reader.optional { try $0.string() }
                case "partyGovBadge": identity.partyGovBadge = try reader.optional { try $0.bool() } ?? false
                default: throw Unsupported()
                }
            }
            return identity
        }

        /// `"YYYY-MM-DD"` exactly, a valid day (other spellings `ChinaTime.parseDay` may
        /// accept are left to `JSONDecoder`).
        mutating func date() throws -> CalendarDate {
            skipSpace()
            guard position + 12 <= bytes.count, bytes[position] == UInt8(ascii: "\""), bytes[position + 11] == UInt8(ascii: "\""),
                bytes[position + 5] == UInt8(ascii: "-"), bytes[position + 8] == UInt8(ascii: "-")
            else { throw Unsupported() }
            func number(_ from: Int, _ count: Int) throws -> Int {
                var value = 0
                for index in from..<(from + count) {
                    let digit = bytes[index] &- UInt8(ascii: "0")
                    guard digit < 10 else { throw Unsupported() }
                    value = value * 10 + Int(digit)
                }
                return value
            }
            guard let date = CalendarDate(
                year: try number(position + 1, 4), month: try number(position + 6, 2), day: try number(position + 9, 2))
            else { throw Unsupported() }
            position += 12
            return date
        }

        // MARK: JSON forms

        mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        /// Skips blanks and consumes `byte` when it comes next.
        private mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        private mutating func expect(_ byte: UInt8) throws {
            guard take(byte) else { throw Unsupported() }
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            skipSpace()
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
            position += count
            return true
        }

        /// Nil for `null`, otherwise the value `read` reads.
        mutating func optional<Value>(_ read: (inout Reader) throws -> Value) throws -> Value? {
            if literal("null") { return nil }
            return try read(&self)
        }

        mutating func bool() throws -> Bool {
            if literal("true") { return true }
            if literal("false") { return false }
            throw Unsupported()
        }

        /// Calls `body` with each key of an object, positioned at its value.
        mutating func members(_ body: (inout Reader, String) throws -> Void) throws {
            try expect(UInt8(ascii: "{"))
            if take(UInt8(ascii: "}")) { return }
            repeat {
                let key = try string()
                try expect(UInt8(ascii: ":"))
                try body(&self, key)
            } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        }

        mutating func array<Element>(_ element: (inout Reader) throws -> Element) throws -> [Element] {
            try expect(UInt8(ascii: "["))
            var elements: [Element] = []
            if take(UInt8(ascii: "]")) { return elements }
            repeat {
                elements.append(try element(&self))
            } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
            return elements
        }

        /// A string: its bytes as they are when nothing is escaped (the usual case), else
        /// unescaped into a buffer. Raw control characters are not JSON.
        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return value
                }
                if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
                guard byte >= 0x20 else { throw Unsupported() }
                position += 1
            }
            throw Unsupported()
        }

        /// The rest of a string that has an escape at `position`, begun at `start`.
        private mutating func escapedString(from start: Int) throws -> String {
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { throw Unsupported() }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar) {
                            // A surrogate pair; a lone surrogate is left to `JSONDecoder`.
                            guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                                bytes[position + 1] == UInt8(ascii: "u")
                            else { throw Unsupported() }
                            position += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw Unsupported() }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw Unsupported() }
                        out.append(contentsOf: UTF8.encode(unicode)!)
                    default: throw Unsupported()
                    }
                default:
                    guard byte >= 0x20 else { throw Unsupported() }
                    out.append(byte)
                }
            }
            throw Unsupported()
        }

        private mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count else { throw Unsupported() }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                position += 1
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Unsupported()
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
    }
}
