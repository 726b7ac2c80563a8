import Foundation
import GovWatchCore
import GovWatchPage

/// Turns a fetched HTML page into a `PageRecord`: the extraction of GovWatchPage (title,
/// publish date, identity, dated list items, links, text) plus what the crawl itself
/// needs — paging and "更多" links, placeholder pages, search forms, consultation
/// message lists and a message's own dates.
package struct PageAnalyzer: Sendable {
    /// The inspection's as-of time (completes month-day dates of lists).
    var asOf: Date

    package init(asOf: Date) { self.asOf = asOf }

    /// Words of a page that says it has nothing to show.
    static var placeholderMarkers: [String] { PlaceholderWords.markers }

    package func analyze(body: [UInt8], contentType: String?, url: NormalizedURL) -> PageRecord {
        let document = HTMLDocument(bytes: body, contentType: contentType)
        let page = PageExtractor(asOf: asOf).extract(document: document, url: url.description)
        var record = PageRecord()
        if let unreadable = page.unreadable, unreadable == UnreadablePart.Reason.challenge.rawValue {
            // A bot challenge: nothing of it is the site's page.
            record.unreadable = unreadable
            return record
        }
        record.unreadable = page.unreadable
        record.title = page.title
        record.published = page.published?.date
        record.identity = page.identity
        record.items = page.listItems.map { DatedItem(title: $0.title, url: $0.url, date: $0.date) }
        record.text = page.text
        record.columnName = document.metaContent("ColumnName")

        var seen: Set<String> = []
        record.links.reserveCapacity(page.links.count)
        for link in page.links {
            // References that could not be resolved to http(s) are not fetchable.
            guard NormalizedURL.isValid(link.url) else { continue }
            // At most 60 bytes are at most 60 characters: then no walk over the characters.
            let text = link.text.isEmpty ? nil : link.text.utf8.count <= 60 ? link.text : String(link.text.prefix(60))
            let kind = LinkEvidence.Kind(rawValue: link.kind.rawValue) ?? .page
            // One entry per target and visibility: the evidence needs who links, not how often.
            guard seen.insert(link.url + (link.hidden ? "\u{1}" : "")).inserted else {
                continue
            }
            record.links.append(PageRecord.Link(u: link.url, k: kind.rawValue, h: link.hidden ? true : nil, t: text, hh: link.hiding))
            guard kind == .page, !link.hidden, link.url != url.description, let text else { continue }
            if Self.isNextPage(text) {
                record.nextPages.append(link.url)
            } else if Self.isMore(text) {
                record.moreLinks.append(link.url)
            }
        }
        // A list drawn by a script from a data endpoint: the endpoint is read like the
        // list's next page (the crawler fetches it as a page; `analyzeData` reads it).
        for source in page.dataSources where NormalizedURL.isValid(source) {
            if seen.insert(source).inserted {
                record.links.append(PageRecord.Link(u: source, k: LinkEvidence.Kind.page.rawValue, h: nil, t: "列表数据接口"))
            }
            if !record.nextPages.contains(source) { record.nextPages.append(source) }
        }
        record.search = page.search
        for target in record.search where seen.insert(target).inserted {
            record.links.append(PageRecord.Link(u: target, k: LinkEvidence.Kind.page.rawValue, h: nil, t: "站内搜索"))
        }
        let consultation = ConsultationListParser(base: url)
        let words = PageTextWords(page.text)
        record.messages = consultation.messages(in: document)
        record.letter = consultation.letter(inText: page.text, words: words)
        if record.items.isEmpty, record.messages.isEmpty {
            record.placeholder = words.hasPlaceholder
            // A list without dates still lists: such items count as not updated.
            record.items = page.undatedItems.map { DatedItem(title: $0.title, url: $0.url, date: nil) }
        }
        return record
    }

    /// The record of a data endpoint a column's script loads its list from (JSON or JSONP):
    /// its entries as the column's items; `javascript` unreadable when no list is in it.
    package func analyzeData(body: [UInt8], url: NormalizedURL) -> PageRecord {
        var record = PageRecord()
        guard let page = PageExtractor(asOf: asOf).extractDataList(bytes: body, url: url.description) else {
            record.unreadable = UnreadablePart.Reason.javascript.rawValue
            return record
        }
        record.items = page.listItems.map { DatedItem(title: $0.title, url: $0.url, date: $0.date) }
            + page.undatedItems.map { DatedItem(title: $0.title, url: $0.url, date: nil) }
        var seen: Set<String> = [url.description]
        for item in record.items where seen.insert(item.url).inserted && NormalizedURL.isValid(item.url) {
            record.links.append(PageRecord.Link(u: item.url, k: LinkEvidence.Kind.page.rawValue, h: nil, t: String(item.title.prefix(60))))
        }
        return record
    }

    /// Whether a response body is a data endpoint's JSON rather than a page.
    package static func isData(body: [UInt8], contentType: String?) -> Bool {
        PageExtractor.isData(bytes: body, contentType: contentType)
    }

    /// "下一页", "下页", "后页", "›", "»", ">" (and numbered pages "2", "3" … of a pager).
    static func isNextPage(_ text: String) -> Bool { LinkWords.isNextPage(text) }

    /// `isNextPage` on `String`s and `Character`s (the reference the byte-level test must agree with).
    static func isNextPageGeneral(_ trimmed: String) -> Bool { LinkWords.isNextPageGeneral(trimmed) }

    /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`, fast for the usual link text.
    static func trimmedWhitespace(_ text: String) -> String { LinkWords.trimmedWhitespace(text) }

    /// "更多", "更多>>", "查看更多", "more".
    static func isMore(_ text: String) -> Bool { LinkWords.isMore(text) }

    /// `isMore` on `String`s (the reference the byte-level test must agree with).
    static func isMoreGeneral(_ trimmed: String) -> Bool { LinkWords.isMoreGeneral(trimmed) }
}

/// Reads consultation columns the way CMSs print them: a table with a header row naming
/// the question date (来信时间), the reply date (答复时间) and the status (办理状态), or
/// list items carrying dates and a status word; and a message's own page with labelled
/// dates.
struct ConsultationListParser {
    var base: NormalizedURL

    static let titleHeaders = ["标题", "主题", "信件", "留言内容", "事项"]
    static let askedHeaders = ["来信时间", "来信日期", "提问时间", "留言时间", "留言日期", "写信时间", "提交时间", "咨询时间", "来信"]
    static let answeredHeaders = ["答复时间", "答复日期", "回复时间", "回复日期", "办结时间", "办结日期", "处理时间", "回复"]
    static let statusHeaders = ["状态", "办理情况", "处理情况"]
    static let statusWords = ["已回复", "已答复", "已办结", "已处理", "办理中", "处理中", "已受理", "待回复", "未回复", "待处理", "未答复", "受理中"]
    static let statusNeedles = NeedleSet(statusWords)
    /// The labels of a message's own page (without the bare words 来信/回复, which label
    /// nothing on their own).
    static let letterAskedLabels = askedHeaders.filter { $0 != "来信" }
    static let letterAnsweredLabels = answeredHeaders.filter { $0 != "回复" }

    /// Words of a status that means answered.
    static func isAnswered(_ status: String) -> Bool {
        ["已回复", "已答复", "已办结", "已处理"].contains { status.contains($0) }
    }

    func messages(in document: HTMLDocument) -> [PageRecord.Message] {
        var result: [PageRecord.Message] = []
        for table in document.elements(named: "table") {
            result += messages(inTable: table)
        }
        if result.isEmpty {
            result = messagesInListItems(document)
        }
        var seen: Set<String> = []
        return result.filter { seen.insert($0.url + "|" + $0.title + "|" + $0.asked.description).inserted }
    }

    private func messages(inTable table: HTMLElement) -> [PageRecord.Message] {
        var titleColumn: Int?, askedColumn: Int?, answeredColumn: Int?, statusColumn: Int?
        var result: [PageRecord.Message] = []
        for row in table.descendants(named: "tr") {
            // Rows of nested tables belong to those tables.
            guard row.ancestors.first(where: { $0.name == "table" }) == table else { continue }
            let cells = row.children.filter { $0.name == "td" || $0.name == "th" }
            guard !cells.isEmpty else { continue }
            let texts = cells.map(\.normalizedText)
            if askedColumn == nil {
                // Looking for the header row.
                func index(_ words: [String]) -> Int? {
                    texts.firstIndex { text in text.count <= 12 && words.contains { text.utf8Contains($0) } }
                }
                let asked = index(Self.askedHeaders)
                let answered = index(Self.answeredHeaders.filter { $0 != "回复" }) ?? index(["回复"]).flatMap { $0 == asked ? nil : $0 }
                let status = index(Self.statusHeaders)
                if let asked, answered != nil || status != nil {
                    askedColumn = asked
                    answeredColumn = answered
                    statusColumn = status
                    titleColumn = index(Self.titleHeaders).flatMap { [asked, answered, status].contains($0) ? nil : $0 } ?? 0
                }
                continue
            }
            guard let askedColumn, askedColumn < texts.count, let asked = DateScanner.firstDay(in: texts[askedColumn]) else {
                continue
            }
            let title = titleColumn.flatMap { $0 < texts.count ? texts[$0] : nil } ?? texts[0]
            let href = (titleColumn.flatMap { $0 < cells.count ? cells[$0] : nil }?.descendants(named: "a").first { _ in true }
                ?? row.descendants(named: "a").first { _ in true })?["href"]
            let url = href.flatMap { base.resolve($0)?.description } ?? ""
            let answered = answeredColumn.flatMap { $0 < texts.count ? DateScanner.firstDay(in: texts[$0]) : nil }
            let status = statusColumn.flatMap { $0 < texts.count ? texts[$0] : nil }.flatMap { $0.isEmpty ? nil : $0 }
            result.append(PageRecord.Message(url: url, title: title, asked: asked, answered: answered, status: status))
        }
        return result
    }

    /// `<li><a>标题</a><span>2022-03-01</span><span>已回复</span></li>`: items naming a status.
    private func messagesInListItems(_ document: HTMLDocument) -> [PageRecord.Message] {
        var result: [PageRecord.Message] = []
        for item in document.elements(named: "li") {
            let text = item.normalizedText
            guard text.utf8.count < 300 || text.count < 300, let found = Self.statusNeedles.first(in: text) else {
                continue
            }
            let status = Self.statusWords[found]
            let days = DateScanner.days(in: text)
            guard let asked = days.first, let link = item.descendants(named: "a").first(where: { _ in true }) else { continue }
            let url = link["href"].flatMap { base.resolve($0)?.description } ?? ""
            let answered = days.count > 1 ? days[1] : nil
            result.append(
                PageRecord.Message(url: url, title: link.normalizedText, asked: asked, answered: answered, status: status))
        }
        return result
    }

    /// The labelled dates of one message's page: 来信时间 …, 答复时间 …, 办理状态 ….
    func letter(inText text: String) -> PageRecord.Letter? { letter(inText: text, words: PageTextWords(text)) }

    /// `letter(inText:)` with the words of `text` already found.
    func letter(inText text: String, words: PageTextWords) -> PageRecord.Letter? {
        guard let asked = Self.labelledDay(in: text, labels: Self.letterAskedLabels, present: words.askedLabels) else { return nil }
        let answered = Self.labelledDay(in: text, labels: Self.letterAnsweredLabels, present: words.answeredLabels)
        let status = words.firstStatus.map { Self.statusWords[$0] }
        return PageRecord.Letter(asked: asked, answered: answered, status: status)
    }

    /// The day after the first of `labels` (in their order) followed by one; bit i of
    /// `present` says whether label i occurs in `text` at all (usually none does).
    private static func labelledDay(in text: String, labels: [String], present: UInt64) -> CalendarDate? {
        guard present != 0 else { return nil }
        for (position, label) in labels.enumerated() where present & (1 << position) != 0 {
            var start = text.startIndex
            while let found = text.utf8Range(of: label, from: start) {
                // The value follows within a few characters (": ", a table cell boundary).
                let after = text[found.upperBound...].prefix(24)
                if let day = DateScanner.firstDay(in: String(after)) { return day }
                start = found.upperBound
            }
        }
        return nil
    }
}

/// The category of a column guessed from its name, for an administrator to confirm.
enum ColumnCategoryGuess {
    /// 信箱/留言/咨询 → consultation, 通知/公告/公示 → notice, 政策/文件 → policy,
    /// 人事 → personnel, 规划/计划 → planning, 要闻/动态 → news; nil when none applies.
    static func category(forName name: String) -> ColumnCategory? {
        let rules: [(ColumnCategory, [String])] = [
            (.consultation, ["信箱", "留言", "咨询", "问政", "互动交流", "网上信访"]),
            (.notice, ["通知", "公告", "公示"]),
            (.policy, ["政策", "文件", "法规"]),
            (.personnel, ["人事", "任免"]),
            (.planning, ["规划", "计划"]),
            (.news, ["要闻", "动态", "新闻", "资讯", "快讯"]),
        ]
        for (category, words) in rules where words.contains(where: { name.contains($0) }) {
            return category
        }
        return nil
    }
}

/// The words looked for in every page's text, found in one pass over it: the labels and
/// status of a message's own page, and the words of a page that says it has nothing to show.
struct PageTextWords {
    private static let groups = [
        ConsultationListParser.letterAskedLabels, ConsultationListParser.letterAnsweredLabels,
        ConsultationListParser.statusWords, PageAnalyzer.placeholderMarkers,
    ]
    private static let needles = NeedleSet(groups.flatMap { $0 })
    /// Where each group's bits start.
    private static let offsets = groups.indices.map { index in groups[..<index].reduce(0) { $0 + $1.count } }

    /// Bit i: word i of the groups, one after another, occurs.
    private let present: UInt64

    init(_ text: String) { present = Self.needles.occurring(in: text) }

    /// The bits of group `index`, shifted to start at bit 0.
    private func bits(ofGroup index: Int) -> UInt64 {
        (present >> Self.offsets[index]) & ((1 << Self.groups[index].count) - 1)
    }

    /// Bit i: `ConsultationListParser.letterAskedLabels[i]` occurs.
    var askedLabels: UInt64 { bits(ofGroup: 0) }
    /// Bit i: `ConsultationListParser.letterAnsweredLabels[i]` occurs.
    var answeredLabels: UInt64 { bits(ofGroup: 1) }
    /// The index of the first of `ConsultationListParser.statusWords` that occurs.
    var firstStatus: Int? {
        let found = bits(ofGroup: 2)
        return found == 0 ? nil : found.trailingZeroBitCount
    }
    /// One of `PageAnalyzer.placeholderMarkers` occurs.
    var hasPlaceholder: Bool { bits(ofGroup: 3) != 0 }
}

/// A fixed list of (at most 64) strings searched for together in one pass over a text's
/// UTF-8 bytes, with exact byte matches like `utf8Contains`.
///
/// `utf8Contains` per word runs `memchr` for the word's first byte; in Chinese text that is
/// the lead byte of a CJK character (0xE4–0xE9), about every third byte, so a dozen words
/// made a dozen slow passes over every page's text. Here a position is a candidate only
/// when its first three bytes fit some word (three table look-ups), and only candidates
/// are compared in full.
struct NeedleSet: Sendable {
    /// The words' bytes, one after another.
    private let bytes: [UInt8]
    /// Where each word starts in `bytes` (and, last, the end).
    private let starts: [Int]
    /// Bit i of `masks[k * 256 + b]`: word i has byte b at offset k (k < 3; every byte
    /// fits beyond a word's end).
    private let masks: [UInt64]

    init(_ words: [String]) {
        precondition(words.count <= 64 && words.allSatisfy { !$0.isEmpty })
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var masks = [UInt64](repeating: 0, count: 3 * 256)
        for (index, word) in words.enumerated() {
            starts.append(bytes.count)
            let wordBytes = Array(word.utf8)
            bytes += wordBytes
            for offset in 0..<3 {
                if offset < wordBytes.count {
                    masks[offset * 256 + Int(wordBytes[offset])] |= 1 << index
                } else {
                    for byte in 0..<256 { masks[offset * 256 + byte] |= 1 << index }
                }
            }
        }
        starts.append(bytes.count)
        self.bytes = bytes
        self.starts = starts
        self.masks = masks
    }

    /// Bit i set when word i occurs in `text`.
    func occurring(in text: String) -> UInt64 { scan(text, stopAtFirst: false) }

    /// Whether any word occurs in `text`.
    func containsAny(in text: String) -> Bool { scan(text, stopAtFirst: true) != 0 }

    /// The index of the first word (in the list's order) that occurs in `text`.
    func first(in text: String) -> Int? {
        let found = occurring(in: text)
        return found == 0 ? nil : found.trailingZeroBitCount
    }

    private func scan(_ text: String, stopAtFirst: Bool) -> UInt64 {
        var text = text
        return text.withUTF8 { haystack in
            bytes.withUnsafeBufferPointer { words in
                masks.withUnsafeBufferPointer { masks in
                    var found: UInt64 = 0
                    let count = haystack.count
                    for position in 0..<count {
                        var candidates = masks[Int(haystack[position])] & ~found
                        guard candidates != 0 else { continue }
                        // Past the end a byte fits nothing, but a short word needs no more bytes.
                        if position + 1 < count { candidates &= masks[256 + Int(haystack[position + 1])] }
                        if position + 2 < count { candidates &= masks[512 + Int(haystack[position + 2])] }
                        while candidates != 0 {
                            let index = candidates.trailingZeroBitCount
                            candidates &= candidates - 1
                            let start = starts[index], length = starts[index + 1] - start
                            guard length <= count - position,
                                memcmp(haystack.baseAddress! + position, words.baseAddress! + start, length) == 0
                            else { continue }
                            found |= 1 << index
                            if stopAtFirst { return found }
                        }
                    }
                    return found
                }
            }
        }
    }
}
