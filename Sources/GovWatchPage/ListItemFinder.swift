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
        var seen: Set<String> = []
        var result: [ListItem] = []
        for link in document.elements(named: "a") {
            guard !link.isHidden, let href = link["href"], let url = collector.resolve(href) else { continue }
            let linkText = LinkCollector.linkText(link, storage: storage)
            guard !linkText.isEmpty, !Self.navigationTexts.contains(linkText) else { continue }
            guard let (date, title) = dateOfEntry(for: link, href: href, linkText: linkText, nodes: nodes, storage: storage) else { continue }
            let key = url + "\u{1F}" + date.description
            guard seen.insert(key).inserted else { continue }
            result.append(ListItem(title: title, url: url, date: date))
        }
        return result
    }

    private func dateOfEntry(for link: HTMLElement, href: String, linkText: String,
                             nodes: [HTMLNodeRecord], storage: HTMLStorage) -> (CalendarDate, String)? {
        let title = entryTitle(link, linkText: linkText)
        let linkRange = link.index..<nodes[link.index].end
        var ancestor = nodes[link.index].parent
        var level = 0
        while ancestor >= 0, level < Self.maximumLevels {
            let node = nodes[ancestor]
            guard node.end - ancestor <= Self.maximumItemNodes, !Self.holdsOtherTargets(ancestor, href: href, nodes: nodes) else { break }
            let text = storage.subtreeText(ancestor, excluding: linkRange, limit: 1024)
            if let date = lastDate(in: text) { return (date, title) }
            ancestor = node.parent
            level += 1
        }
        // The whole row is the link: a child element holding only a date. Only small
        // links qualify (an unclosed <a> can swallow the rest of the page).
        guard nodes[link.index].end - link.index <= Self.maximumItemNodes else { return nil }
        for child in link.descendants where child.name != "a" {
            let text = storage.subtreeText(child.index, limit: 64)
            let scalars = Array(text.unicodeScalars)
            if let date = wholeDate(scalars) {
                let remainder = storage.subtreeText(link.index, excluding: child.index..<nodes[child.index].end, limit: 2048)
                return (date, remainder.isEmpty ? title : remainder)
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
    private func lastDate(in text: String) -> CalendarDate? {
        let scalars = Array(text.unicodeScalars)
        if let last = DateScanner.fullDates(in: scalars).last { return last.date }
        var found: CalendarDate?
        var index = 0
        while index < scalars.count {
            if let (month, day, end) = DateScanner.monthDay(in: scalars, at: index) {
                if let completed = complete(month: month, day: day) { found = completed }
                index = end
            } else {
                index += 1
            }
        }
        return found
    }

    /// A date that is the whole text (`2022-03-10`, `[03-10]`).
    private func wholeDate(_ scalars: [Unicode.Scalar]) -> CalendarDate? {
        var body = scalars
        while let first = body.first, "[【(（ ".unicodeScalars.contains(first) { body.removeFirst() }
        while let last = body.last, "]】)） ".unicodeScalars.contains(last) { body.removeLast() }
        guard !body.isEmpty else { return nil }
        if let match = DateScanner.fullDate(in: body, at: 0), match.range.upperBound == body.count { return match.date }
        if let (month, day, end) = DateScanner.monthDay(in: body, at: 0), end == body.count {
            return complete(month: month, day: day)
        }
        return nil
    }

    /// Completes a month-day date with the latest year not after the reference day.
    private func complete(month: Int, day: Int) -> CalendarDate? {
        guard let referenceDay else { return nil }
        if let sameYear = CalendarDate(year: referenceDay.year, month: month, day: day), sameYear <= referenceDay {
            return sameYear
        }
        // 02-29 in a non-leap reference year falls back to the previous leap year's
        // calendar only if valid; otherwise the item is left undated.
        return CalendarDate(year: referenceDay.year - 1, month: month, day: day)
    }
}
