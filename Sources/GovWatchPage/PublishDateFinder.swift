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

    func published() -> PageDateTime? {
        let scalars = Array(plainText.string.unicodeScalars)
        let meta = metaDate()
        if let labelled = labelledDate(scalars, labels: Self.strongLabels, weak: false)
            ?? labelledDate(scalars, labels: Self.weakLabels, weak: true) {
            if !labelled.hasTime, let meta, meta.hasTime, meta.date == labelled.date { return meta }
            return labelled
        }
        if let meta { return meta }
        return headerDate(scalars)
    }

    /// The first date after one of `labels`, unless the label repeats like a list's.
    private func labelledDate(_ scalars: [Unicode.Scalar], labels: [String], weak: Bool) -> PageDateTime? {
        var found: [PageDateTime] = []
        let labelScalars = labels.map { Array($0.unicodeScalars) }
        var index = 0
        while index < scalars.count {
            var matchedEnd: Int?
            for label in labelScalars where Self.hasPrefix(scalars, label, at: index) {
                matchedEnd = index + label.count
                break
            }
            guard let labelEnd = matchedEnd else {
                index += 1
                continue
            }
            defer { index = labelEnd }
            if weak, index > 0, scalars[index - 1].isHan { continue }
            var cursor = DateScanner.skipSpaces(scalars, from: labelEnd)
            if cursor < scalars.count, scalars[cursor] == ":" || scalars[cursor] == "：" {
                cursor = DateScanner.skipSpaces(scalars, from: cursor + 1)
            } else if weak {
                continue // a bare 日期/时间 must be a label, with its colon
            }
            if cursor < scalars.count, "[【(（".unicodeScalars.contains(scalars[cursor]) { cursor += 1 }
            guard let match = DateScanner.fullDate(in: scalars, at: cursor), let dateTime = match.dateTime else { continue }
            if weak && lineLength(scalars, around: index) > Self.shortLine { continue }
            found.append(dateTime)
        }
        guard let first = found.first, found.count < 3 else { return nil }
        return first
    }

    private static func hasPrefix(_ scalars: [Unicode.Scalar], _ prefix: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + prefix.count <= scalars.count else { return false }
        for offset in 0..<prefix.count where scalars[index + offset] != prefix[offset] { return false }
        return true
    }

    private func lineLength(_ scalars: [Unicode.Scalar], around index: Int) -> Int {
        var start = index, end = index
        while start > 0, scalars[start - 1] != "\n" { start -= 1 }
        while end < scalars.count, scalars[end] != "\n" { end += 1 }
        return end - start
    }

    /// The publish time of the first standard meta tag that holds a valid date.
    func metaDate() -> PageDateTime? {
        for name in Self.metaNames {
            guard let content = document.metaContent(name) else { continue }
            let scalars = Array(content.unicodeScalars)
            if let match = DateScanner.fullDate(in: scalars, at: DateScanner.skipSpaces(scalars, from: 0)),
               let dateTime = match.dateTime {
                return dateTime
            }
        }
        return nil
    }

    /// A date alone (or with 来源/作者) on one of the three short lines after the line
    /// that shows the title.
    private func headerDate(_ scalars: [Unicode.Scalar]) -> PageDateTime? {
        guard let title, !title.isEmpty else { return nil }
        let lines = plainText.lines
        let wanted = squeezed(title)
        guard let titleLine = lines.firstIndex(where: { squeezed(String($0)) == wanted }) else { return nil }
        for line in lines[(titleLine + 1)...].prefix(3) {
            let lineScalars = Array(line.unicodeScalars)
            guard lineScalars.count <= Self.shortLine else { break }
            let dates = DateScanner.fullDates(in: lineScalars)
            if dates.count == 1, let dateTime = dates[0].dateTime { return dateTime }
        }
        return nil
    }
}
