import Foundation
import GovWatchCore

/// Finds the dated entries of lists, in the shapes CMS templates produce:
///
/// - `<li><a>…</a><span>2022-03-10</span></li>`, `<li><a>…</a> [2022-03-10]</li>`
/// - table rows: `<tr><td><a>…</a></td><td>2022年03月10日</td></tr>`
/// - search results and summaries: `<li><h3><a>…</a></h3><p>…</p><p>发布时间：2020.04.22</p></li>`
/// - a whole row as a link: `<a><span>…</span><span>2022-03-10</span></a>`
/// - month-day dates (`03-10`) with the year from the as-of day (or the page's date):
///   the latest year that does not put the item in the future.
///
/// For each visible link, the nearest enclosing element (up to four levels up) that
/// still holds only that one link target and carries a date is the entry. Among several
/// dates in an entry the last is taken — CMS rows end with the date, while summaries
/// before it may mention other days.
struct ListItemFinder {
    let document: HTMLDocument
    let base: NormalizedURL?
    let referenceDay: CalendarDate?

    /// Entries are small: bigger containers are lists, not items.
    static let maximumItemNodes = 120
    static let maximumLevels = 4
    /// Link texts that navigate rather than name an entry.
    static let navigationTexts: Set<String> = ["更多", "更多>>", "更多>", "more", "More", "MORE", "下一页", "上一页", "首页", "尾页", ">>", "详细", "详情"]

    func items() -> [ListItem] {
        let storage = document.storage
        let nodes = storage.nodes
        let collector = LinkCollector(document: document, base: base)
        let digits = DigitIndex(nodes)
        let headings = referenceDay == nil ? [] : Self.yearHeadings(nodes, notAfter: referenceDay!.year)
        var seen: Set<String> = []
        var result: [ListItem] = []
        for link in document.elements(named: "a") {
            guard !link.isHidden, let href = link["href"] else { continue }
            let linkText = LinkCollector.linkText(link, storage: storage)
            guard !linkText.isEmpty, !Self.navigationTexts.contains(linkText) else { continue }
            let year = Self.headingYear(before: link.index, in: headings, nodes: nodes)
            guard let (date, title) = dateOfEntry(
                for: link, href: href, linkText: linkText, nodes: nodes, storage: storage, digits: digits, headingYear: year)
            else { continue }
            // Resolved only for dated entries: resolving every link of the page (the
            // LinkCollector does that too) was most of this finder's time.
            guard let url = collector.resolve(href) else { continue }
            let key = url + "\u{1F}" + date.description
            guard seen.insert(key).inserted else { continue }
            result.append(ListItem(title: title, url: url, date: date))
        }
        return result
    }

    /// Text nodes that are a year alone (`2021年`, `2021`): the headings of lists grouped by
    /// year whose entries print only month and day (`[03-25]`). Years after `notAfter`
    /// are not headings of a list read on that day.
    static func yearHeadings(_ nodes: [HTMLNodeRecord], notAfter: Int) -> [(node: Int, year: Int)] {
        var result: [(node: Int, year: Int)] = []
        for (index, node) in nodes.enumerated() where !node.isElement && node.text.utf8.count <= 40 {
            let trimmed = node.text.collapsingWhitespace()
            var bytes = Array(trimmed.utf8)
            if bytes.count == 7, UTF8Text.matches(bytes, at: 4, UTF8Text.year) { bytes.removeLast(3) }
            guard bytes.count == 4, bytes.allSatisfy(DateScanner.isDigit) else { continue }
            // A bare number is a heading only in a heading element (not a copyright year or a counter).
            if trimmed.utf8.count == 4 {
                let parent = node.parent
                guard parent >= 0, ["h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "strong", "b", "caption", "legend"]
                    .contains(nodes[parent].name) else { continue }
            }
            let year = bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
            if (1990...notAfter).contains(year) { result.append((index, year)) }
        }
        return result
    }

    /// The year of the last heading before node `index`, when the heading stands in the
    /// same list: the element the heading element stands in also holds the node.
    static func headingYear(before index: Int, in headings: [(node: Int, year: Int)], nodes: [HTMLNodeRecord]) -> Int? {
        guard !headings.isEmpty else { return nil }
        var low = 0, high = headings.count
        while low < high {
            let middle = (low + high) / 2
            if headings[middle].node < index { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let heading = headings[low - 1]
        // The heading element (through inline wrappers), then the container it heads.
        var element = nodes[heading.node].parent
        while element >= 0, ["span", "strong", "b", "em", "font", "i"].contains(nodes[element].name) { element = nodes[element].parent }
        guard element >= 0 else { return nil }
        let container = nodes[element].parent
        guard container >= 0, !["body", "html"].contains(nodes[container].name), nodes[container].end > index else { return nil }
        return heading.year
    }

    /// Words of a page that says it has nothing to show.
    static var placeholderMarkers: [String] { PlaceholderWords.markers }

    /// Class or id words of page furniture whose links are not list entries.
    static let furniture = ["nav", "menu", "header", "footer", "crumb", "position", "location", "yqlj", "friend", "pager", "paging", "search", "share"]

    /// Entries of a list that shows no dates: titled links (at least 8 characters) in list
    /// items or table cells of the main content — not in navigation, header, footer, pager
    /// or link blocks — pointing to other pages of the page's own host.
    func undatedEntries(page: NormalizedURL) -> [ListEntry] {
        var result: [ListEntry] = []
        var seen: Set<String> = []
        let resolver = base ?? page
        for anchor in document.elements(named: "a") {
            guard let href = anchor["href"], let target = resolver.resolve(href), target.authority == page.authority,
                target != page, !anchor.isHidden
            else { continue }
            let text = (anchor["title"].flatMap { $0.count > anchor.normalizedText.count ? $0 : nil } ?? anchor.normalizedText)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count >= 8, !LinkWords.isNextPage(text), !LinkWords.isMore(text),
                !Self.placeholderMarkers.contains(where: { text.contains($0) })
            else { continue }
            let ancestors = anchor.ancestors
            guard ancestors.contains(where: { $0.name == "li" || $0.name == "td" || $0.name == "dd" }) else { continue }
            let inFurniture = ancestors.contains { element in
                let words = ((element["class"] ?? "") + " " + (element["id"] ?? "")).lowercased()
                return element.name == "nav" || element.name == "header" || element.name == "footer"
                    || Self.furniture.contains { words.contains($0) }
            }
            guard !inFurniture, seen.insert(target.description).inserted else { continue }
            result.append(ListEntry(title: text, url: target.description))
        }
        return result
    }

    /// Which text nodes hold an ASCII digit, as running counts: every date starts with a
    /// digit, so an element whose text nodes hold none has no date, and its text need not
    /// be assembled (most links of a page are menus and link lists without dates).
    struct DigitIndex {
        /// `before[i]`: the number of text nodes with a digit among nodes `0..<i`.
        private let before: [Int32]

        init(_ nodes: [HTMLNodeRecord]) {
            var before = [Int32](repeating: 0, count: nodes.count + 1)
            var count: Int32 = 0
            for (index, node) in nodes.enumerated() {
                if !node.isElement, Self.hasDigit(node.text) { count += 1 }
                before[index + 1] = count
            }
            self.before = before
        }

        /// Whether `text` holds an ASCII digit (a plain loop over the bytes: going through
        /// `utf8.contains(where:)` cost as much as all the text assembly this index saves).
        private static func hasDigit(_ text: String) -> Bool {
            var text = text
            return text.withUTF8 { bytes in
                for byte in bytes where byte &- 0x30 < 10 { return true }
                return false
            }
        }

        /// Whether a text node in `range` (of node indices) holds a digit.
        func hasDigit(in range: Range<Int>) -> Bool {
            before[range.upperBound] - before[range.lowerBound] > 0
        }
    }

    private func dateOfEntry(for link: HTMLElement, href: String, linkText: String,
                             nodes: [HTMLNodeRecord], storage: HTMLStorage, digits: DigitIndex,
                             headingYear: Int?) -> (CalendarDate, String)? {
        let linkRange = link.index..<nodes[link.index].end
        let linkHasDigit = digits.hasDigit(in: linkRange)
        var ancestor = nodes[link.index].parent
        var level = 0
        while ancestor >= 0, level < Self.maximumLevels {
            let node = nodes[ancestor]
            guard node.end - ancestor <= Self.maximumItemNodes, !Self.holdsOtherTargets(ancestor, href: href, nodes: nodes) else { break }
            // The text outside the link: no digit there, no date (skips building the text).
            if digits.hasDigit(in: (ancestor + 1)..<linkRange.lowerBound) || digits.hasDigit(in: linkRange.upperBound..<node.end) {
                let text = storage.subtreeText(ancestor, excluding: linkRange, limit: 1024)
                if let date = lastDate(in: text, headingYear: headingYear) { return (date, entryTitle(link, linkText: linkText)) }
            }
            ancestor = node.parent
            level += 1
        }
        // The whole row is the link: a child element holding only a date. Only small
        // links qualify (an unclosed <a> can swallow the rest of the page).
        guard nodes[link.index].end - link.index <= Self.maximumItemNodes, linkHasDigit else { return nil }
        for child in link.descendants where child.name != "a" {
            guard digits.hasDigit(in: (child.index + 1)..<nodes[child.index].end) else { continue }
            let text = storage.subtreeText(child.index, limit: 64)
            if let date = wholeDate(Array(text.utf8), headingYear: headingYear) {
                let remainder = storage.subtreeText(link.index, excluding: child.index..<nodes[child.index].end, limit: 2048)
                return (date, remainder.isEmpty ? entryTitle(link, linkText: linkText) : remainder)
            }
        }
        return nil
    }

    /// The link text, or its `title` attribute when the text is cut short (`…`, `...`).
    private func entryTitle(_ link: HTMLElement, linkText: String) -> String {
        if let full = link["title"]?.collapsingWhitespace(), !full.isEmpty,
           linkText.hasSuffix("…") || linkText.hasSuffix("...") || linkText.hasSuffix("..") || full.count > linkText.count,
           full.hasPrefix(String(linkText.prefix(2))) {
            return full
        }
        return linkText
    }

    /// Whether the element contains links to another target than `href`.
    private static func holdsOtherTargets(_ index: Int, href: String, nodes: [HTMLNodeRecord]) -> Bool {
        let target = trimmingSpaces(href)
        for position in (index + 1)..<nodes[index].end where nodes[position].name == "a" {
            if let other = nodes[position].attributes.first(where: { $0.name == "href" })?.value,
               other != href, trimmingSpaces(other) != target {
                return true
            }
        }
        return false
    }

    /// `text.trimmingCharacters(in: .whitespaces)`, skipping the trip through NSString for
    /// the usual href that neither starts nor ends with a space.
    private static func trimmingSpaces(_ text: String) -> String {
        func plain(_ scalar: Unicode.Scalar?) -> Bool {
            // No space or tab character is above U+3000.
            guard let value = scalar?.value else { return true }
            return (value > 0x20 && value < 0x7F) || value > 0x3000
        }
        if plain(text.unicodeScalars.first), plain(text.unicodeScalars.last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The last full date in the text, else the last month-day date completed with the
    /// reference year.
    private func lastDate(in text: String, headingYear: Int?) -> CalendarDate? {
        // UTF-8 bytes, not scalars (see `DateScanner`); every date starts with a digit.
        let bytes = Array(text.utf8)
        guard let firstDigit = UTF8Text.firstDigit(bytes, from: 0, to: bytes.count) else { return nil }
        if let last = DateScanner.fullDates(in: bytes, range: firstDigit..<bytes.count).last { return last.date }
        var found: CalendarDate?
        var index = firstDigit
        while let digit = UTF8Text.firstDigit(bytes, from: index, to: bytes.count) {
            if let (month, day, end) = DateScanner.monthDay(in: bytes, at: digit) {
                if let completed = complete(month: month, day: day, headingYear: headingYear) { found = completed }
                index = end
            } else {
                index = digit + 1
            }
        }
        return found
    }

    static let openingBrackets = [Array("【".utf8), Array("（".utf8)]
    static let closingBrackets = [Array("】".utf8), Array("）".utf8)]

    /// A date that is the whole text (`2022-03-10`, `[03-10]`).
    private func wholeDate(_ bytes: [UInt8], headingYear: Int?) -> CalendarDate? {
        // Strip `[【(（ ` before and `]】)） ` after.
        var start = 0, end = bytes.count
        while start < end {
            let byte = bytes[start]
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: " ") {
                start += 1
            } else if let bracket = Self.openingBrackets.first(where: { UTF8Text.matches(bytes, at: start, $0) }) {
                start += bracket.count
            } else {
                break
            }
        }
        while start < end {
            let byte = bytes[end - 1]
            if byte == UInt8(ascii: "]") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: " ") {
                end -= 1
            } else if end - start >= 3, let bracket = Self.closingBrackets.first(where: { UTF8Text.matches(bytes, at: end - 3, $0) }) {
                end -= bracket.count
            } else {
                break
            }
        }
        guard start < end else { return nil }
        let body = start == 0 && end == bytes.count ? bytes : Array(bytes[start..<end])
        if let match = DateScanner.fullDate(in: body, at: 0), match.range.upperBound == body.count { return match.date }
        if let (month, day, end) = DateScanner.monthDay(in: body, at: 0), end == body.count {
            return complete(month: month, day: day, headingYear: headingYear)
        }
        return nil
    }

    /// Completes a month-day date: with the year of the list's year heading when there is
    /// one and that does not put the date after the reference day, else with the latest
    /// year not after the reference day.
    private func complete(month: Int, day: Int, headingYear: Int?) -> CalendarDate? {
        guard let referenceDay else { return nil }
        if let headingYear, let dated = CalendarDate(year: headingYear, month: month, day: day), dated <= referenceDay {
            return dated
        }
        if let sameYear = CalendarDate(year: referenceDay.year, month: month, day: day), sameYear <= referenceDay {
            return sameYear
        }
        // 02-29 in a non-leap reference year falls back to the previous leap year's
        // calendar only if valid; otherwise the item is left undated.
        return CalendarDate(year: referenceDay.year - 1, month: month, day: day)
    }
}

/// Words of a page that says it has nothing to show (暂无信息, 栏目建设中 …): link texts
/// holding them are no list entries, and a page without entries that shows them is a
/// placeholder.
public enum PlaceholderWords {
    public static let markers = [
        "暂无信息", "暂无数据", "暂无内容", "暂无记录", "暂无相关信息", "暂无文章", "没有相关信息", "没有找到相关",
        "正在整理", "敬请期待", "正在建设", "栏目建设中", "内容更新中",
    ]
}
