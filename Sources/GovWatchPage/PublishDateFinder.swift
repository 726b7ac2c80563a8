import Foundation

/// Finds a page's own publish time — never a date that merely appears in the text.
///
/// In order:
/// 1. A publish label in the visible text followed by a date: `发布时间`, `发布日期`,
///    `发表时间`, `发稿时间` … (`发布日期：2016-11-22`, `发布时间：<span>2021-10-11</span>`).
/// 2. The bare labels `日期` / `时间`, only on a short line (an article header such as
///    `时间：2019-09-18 06:23`) and not as the end of a longer word (`留言时间`, `发文日期`,
///    `成文日期` are other dates).
/// 3. The standard meta tags: `PubDate`, `firstpublishedtime`, `publishdate`, …
/// 4. A date alone on one of the short lines right under the article title (the article
///    header of pages that print the date without a label).
///
/// A label repeated with dates three times or more marks a list (search results, a
/// column page): those dates belong to the entries, not to the page, and are ignored.
/// When the label gives only the day and a meta tag gives the same day with a time, the
/// time is taken from the meta tag.
struct PublishDateFinder {
    let document: HTMLDocument
    let plainText: PageText
    let title: String?

    static let strongLabels = [
        "发布时间", "发布日期", "发表时间", "发表日期", "发稿时间", "发稿日期", "发布于", "上传时间", "上传日期",
        "公开日期", "公开时间",
    ]
    static let weakLabels = ["日期", "时间"]
    static let metaNames = [
        "pubdate", "publishdate", "firstpublishedtime", "article:published_time", "publishtime",
        "dcterms.issued", "dc.date.issued", "releasedate",
    ]
    /// Longest line that can be an article header line for a bare label.
    static let shortLine = 80

    /// The labels as UTF-8, once.
    static let strongLabelBytes = strongLabels.map { Array($0.utf8) }
    static let weakLabelBytes = weakLabels.map { Array($0.utf8) }

    func published() -> PageDateTime? {
        // UTF-8 bytes, not scalars: see `DateScanner`.
        let bytes = Array(plainText.string.utf8)
        let meta = metaDate()
        if let labelled = labelledDate(bytes, labels: Self.strongLabelBytes, weak: false)
            ?? labelledDate(bytes, labels: Self.weakLabelBytes, weak: true) {
            if !labelled.hasTime, let meta, meta.hasTime, meta.date == labelled.date { return meta }
            return labelled
        }
        if let meta { return meta }
        return headerDate()
    }

    /// The first date after one of `labels`, unless the label repeats like a list's.
    ///
    /// No label of one list overlaps another (none ends with how another starts), so the
    /// occurrences of each label, found with a byte search and merged in text order, are
    /// exactly what a left-to-right scan trying every label at every position would find.
    private func labelledDate(_ bytes: [UInt8], labels: [[UInt8]], weak: Bool) -> PageDateTime? {
        var occurrences: [(start: Int, end: Int)] = []
        bytes.withUnsafeBufferPointer { text in
            for label in labels {
                label.withUnsafeBufferPointer { needle in
                    for start in UTF8Search.offsets(of: needle, in: text) { occurrences.append((start, start + label.count)) }
                }
            }
        }
        guard !occurrences.isEmpty else { return nil }
        occurrences.sort { $0.start < $1.start }
        var found: [PageDateTime] = []
        for (index, labelEnd) in occurrences {
            if weak, index > 0, UTF8Text.scalar(bytes, before: index).isHan { continue }
            var cursor = DateScanner.skipSpaces(bytes, from: labelEnd)
            if let afterColon = DateScanner.colonEnd(bytes, at: cursor) {
                cursor = DateScanner.skipSpaces(bytes, from: afterColon)
            } else if weak {
                continue // a bare 日期/时间 must be a label, with its colon
            }
            cursor = Self.skipOpeningBracket(bytes, at: cursor)
            guard let match = DateScanner.fullDate(in: bytes, at: cursor), let dateTime = match.dateTime else { continue }
            if weak && lineLength(bytes, around: index) > Self.shortLine { continue }
            found.append(dateTime)
            if found.count >= 3 { return nil } // a list's dates
        }
        return found.first
    }

    static let fullwidthBrackets = [Array("【".utf8), Array("（".utf8)]

    /// The index after one of `[【(（` at `index`, else `index`.
    private static func skipOpeningBracket(_ bytes: [UInt8], at index: Int) -> Int {
        guard index < bytes.count else { return index }
        if bytes[index] == UInt8(ascii: "[") || bytes[index] == UInt8(ascii: "(") { return index + 1 }
        for bracket in fullwidthBrackets where UTF8Text.matches(bytes, at: index, bracket) { return index + bracket.count }
        return index
    }

    /// The length in characters of the line holding byte `index`.
    private func lineLength(_ bytes: [UInt8], around index: Int) -> Int {
        var start = index, end = index
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        return UTF8Text.scalarCount(bytes, start..<end)
    }

    /// The publish time of the first standard meta tag that holds a valid date.
    func metaDate() -> PageDateTime? {
        for name in Self.metaNames {
            guard let content = document.metaContent(name) else { continue }
            let bytes = Array(content.utf8)
            if let match = DateScanner.fullDate(in: bytes, at: DateScanner.skipSpaces(bytes, from: 0)),
               let dateTime = match.dateTime {
                return dateTime
            }
        }
        return nil
    }

    /// A date alone (or with 来源/作者) on one of the three short lines after the line
    /// that shows the title.
    private func headerDate() -> PageDateTime? {
        guard let title, !title.isEmpty else { return nil }
        let lines = plainText.lines
        let wanted = squeezed(title)
        guard let titleLine = lines.firstIndex(where: { squeezed(String($0)) == wanted }) else { return nil }
        for line in lines[(titleLine + 1)...].prefix(3) {
            let lineBytes = Array(line.utf8)
            guard UTF8Text.scalarCount(lineBytes, 0..<lineBytes.count) <= Self.shortLine else { break }
            let dates = DateScanner.fullDates(in: lineBytes)
            if dates.count == 1, let dateTime = dates[0].dateTime { return dateTime }
        }
        return nil
    }
}
