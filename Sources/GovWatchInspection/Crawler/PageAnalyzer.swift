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
    static let placeholderMarkers = [
        "暂无信息", "暂无数据", "暂无内容", "暂无记录", "暂无相关信息", "暂无文章", "没有相关信息", "没有找到相关",
        "正在整理", "敬请期待", "正在建设", "栏目建设中", "内容更新中",
    ]

    package func analyze(body: [UInt8], contentType: String?, url: NormalizedURL) -> PageRecord {
        let document = HTMLDocument(bytes: body, contentType: contentType)
        var page = PageExtractor(asOf: asOf).extract(document: document, url: url.description)
        var record = PageRecord()
        record.title = page.title
        record.published = page.published?.date
        record.identity = page.identity
        record.items = page.listItems.map { DatedItem(title: $0.title, url: $0.url, date: $0.date) }
        if record.items.isEmpty, let records = Self.datastoreRecords(document) {
            // Hanweb columns ship their list as CDATA records inside <script type="text/xml">.
            let list = PageExtractor(asOf: asOf).extract(html: "<html><body><ul>" + records + "</ul></body></html>", url: url.description)
            record.items = list.listItems.map { DatedItem(title: $0.title, url: $0.url, date: $0.date) }
            if record.items.isEmpty { record.items = Self.undatedItems(HTMLDocument(html: "<ul>" + records + "</ul>"), page: url) }
            for link in list.links where NormalizedURL(link.url) != nil {
                page.links.append(link)
            }
        }
        record.text = page.text
        record.columnName = document.metaContent("ColumnName")

        var seen: Set<String> = []
        record.links.reserveCapacity(page.links.count)
        for link in page.links {
            // References that could not be resolved to http(s) are not fetchable.
            guard NormalizedURL(link.url) != nil else { continue }
            let text = link.text.isEmpty ? nil : String(link.text.prefix(60))
            let kind = LinkEvidence.Kind(rawValue: link.kind.rawValue) ?? .page
            // One entry per target and visibility: the evidence needs who links, not how often.
            guard seen.insert(link.url + (link.hidden ? "\u{1}" : "")).inserted else {
                continue
            }
            record.links.append(PageRecord.Link(u: link.url, k: kind.rawValue, h: link.hidden ? true : nil, t: text))
            guard kind == .page, !link.hidden, link.url != url.description, let text else { continue }
            if Self.isNextPage(text) {
                record.nextPages.append(link.url)
            } else if Self.isMore(text) {
                record.moreLinks.append(link.url)
            }
        }
        record.search = Self.searchTargets(document, base: url)
        for target in record.search where seen.insert(target).inserted {
            record.links.append(PageRecord.Link(u: target, k: LinkEvidence.Kind.page.rawValue, h: nil, t: "站内搜索"))
        }
        let consultation = ConsultationListParser(base: url)
        record.messages = consultation.messages(in: document)
        record.letter = consultation.letter(inText: page.text)
        if record.items.isEmpty, record.messages.isEmpty {
            record.placeholder = Self.placeholderMarkers.contains { page.text.utf8Contains($0) }
            if record.published == nil {
                // A list without dates still lists: such items count as not updated.
                record.items = Self.undatedItems(document, page: url)
            }
        }
        return record
    }

    /// The HTML of Hanweb `<datastore>` records (`<record><![CDATA[<li>…</li>]]></record>`), joined.
    static func datastoreRecords(_ document: HTMLDocument) -> String? {
        var joined = ""
        for script in document.elements(named: "script") {
            let text = script.textContent
            guard text.utf8Contains("<datastore") || text.utf8Contains("<record") else { continue }
            var rest = Substring(text)
            while let open = rest.range(of: "<![CDATA[") {
                guard let close = rest[open.upperBound...].range(of: "]]>") else { break }
                joined += rest[open.upperBound..<close.lowerBound]
                rest = rest[close.upperBound...]
            }
        }
        return joined.isEmpty ? nil : joined
    }

    /// Class or id words of page furniture whose links are not list entries.
    static let furniture = ["nav", "menu", "header", "footer", "crumb", "position", "location", "yqlj", "friend", "pager", "paging", "search", "share"]

    /// Entries of a list that shows no dates: titled links in list items or table cells of
    /// the main content, pointing to other pages of the same host.
    static func undatedItems(_ document: HTMLDocument, page: NormalizedURL) -> [DatedItem] {
        var result: [DatedItem] = []
        var seen: Set<String> = []
        for anchor in document.elements(named: "a") {
            guard let href = anchor["href"], let target = page.resolve(href), target.authority == page.authority,
                target != page, !anchor.isHidden
            else { continue }
            let text = (anchor["title"].flatMap { $0.count > anchor.normalizedText.count ? $0 : nil } ?? anchor.normalizedText)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count >= 8, !isNextPage(text), !isMore(text), !placeholderMarkers.contains(where: { text.contains($0) })
            else { continue }
            let ancestors = anchor.ancestors
            guard ancestors.contains(where: { $0.name == "li" || $0.name == "td" || $0.name == "dd" }) else { continue }
            let inFurniture = ancestors.contains { element in
                let words = ((element["class"] ?? "") + " " + (element["id"] ?? "")).lowercased()
                return element.name == "nav" || element.name == "header" || element.name == "footer"
                    || furniture.contains { words.contains($0) }
            }
            guard !inFurniture, seen.insert(target.description).inserted else { continue }
            result.append(DatedItem(title: text, url: target.description, date: nil))
        }
        return result
    }

    /// "下一页", "下页", "后页", "›", "»", ">" (and numbered pages "2", "3" … of a pager).
    static func isNextPage(_ text: String) -> Bool {
        let trimmed = trimmedWhitespace(text)
        if ["下一页", "下页", "后一页", "后页", "下一页>", "下一页>>", ">", "›", "»", "Next", "next", "下一頁"].contains(trimmed) {
            return true
        }
        if trimmed.hasPrefix("下一页") { return true }
        // Page numbers: short digit runs (a pager lists "1 2 3 … 10").
        return trimmed.count <= 3 && !trimmed.isEmpty && trimmed.allSatisfy(\.isASCII) && trimmed.allSatisfy(\.isNumber)
            && trimmed != "1"
    }

    /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`, without the trip through
    /// NSString when the text neither starts nor ends with a space (link texts, already
    /// collapsed, seldom do; every link's text is looked at).
    static func trimmedWhitespace(_ text: String) -> String {
        func plain(_ scalar: Unicode.Scalar?) -> Bool {
            // No whitespace or newline character is above U+3000.
            guard let value = scalar?.value else { return true }
            return (value > 0x20 && value < 0x7F) || value > 0x3000
        }
        if plain(text.unicodeScalars.first), plain(text.unicodeScalars.last) { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "更多", "更多>>", "查看更多", "more".
    static func isMore(_ text: String) -> Bool {
        let trimmed = trimmedWhitespace(text).lowercased()
        return trimmed.hasPrefix("更多") || trimmed.hasPrefix("查看更多") || trimmed == "more" || trimmed == "more>>"
            || trimmed == "more+" || trimmed == ">>" || trimmed == "+more"
    }

    /// The GET targets of search forms (a text field named like a query), with a sample
    /// query (政府), and links labelled 搜索/检索.
    static func searchTargets(_ document: HTMLDocument, base: NormalizedURL) -> [String] {
        var targets: [String] = []
        for form in document.elements(named: "form") {
            let method = (form["method"] ?? "get").lowercased()
            guard method == "get" || method.isEmpty else { continue }
            let inputs = Array(form.descendants(named: "input"))
            let field = inputs.first { input in
                let type = (input["type"] ?? "text").lowercased()
                return (type == "text" || type == "search") && input["name"].map { !$0.isEmpty } == true
            }
            guard let field, let name = field["name"] else { continue }
            let hint = (form.normalizedText + " " + inputs.compactMap { $0["value"] ?? $0["placeholder"] }.joined(separator: " ")
                + " " + (form["action"] ?? "") + " " + name + " " + (form["class"] ?? "") + " " + (form["id"] ?? "")).lowercased()
            let looksLikeSearch = ["搜索", "检索", "查询", "search", "keyword", "searchword", "query", "关键字", "关键词"]
                .contains { hint.contains($0) } || name == "q" || name == "wd"
            guard looksLikeSearch else { continue }
            let action = form["action"].map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let target = action.isEmpty ? base : base.resolve(action) else { continue }
            var components = URLComponents(string: target.description)
            var items = components?.queryItems ?? []
            for input in inputs where (input["type"] ?? "").lowercased() == "hidden" {
                if let hiddenName = input["name"], !hiddenName.isEmpty { items.append(URLQueryItem(name: hiddenName, value: input["value"] ?? "")) }
            }
            items.append(URLQueryItem(name: name, value: "政府"))
            components?.queryItems = items
            if let string = components?.string, let normalized = NormalizedURL(string) {
                targets.append(normalized.description)
            }
        }
        return targets
    }
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
            guard text.utf8.count < 300 || text.count < 300, let status = Self.statusWords.first(where: { text.utf8Contains($0) }) else {
                continue
            }
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
    func letter(inText text: String) -> PageRecord.Letter? {
        let asked = Self.labelledDay(in: text, labels: Self.askedHeaders.filter { $0 != "来信" })
        guard let asked else { return nil }
        let answered = Self.labelledDay(in: text, labels: Self.answeredHeaders.filter { $0 != "回复" })
        let status = Self.statusWords.first { text.utf8Contains($0) }
        return PageRecord.Letter(asked: asked, answered: answered, status: status)
    }

    private static func labelledDay(in text: String, labels: [String]) -> CalendarDate? {
        for label in labels {
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

/// Finds calendar days written as 2022-03-10, 2022/3/10, 2022.03.10 or 2022年3月10日.
enum DateScanner {
    static func days(in text: String) -> [CalendarDate] {
        var result: [CalendarDate] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func number(_ start: Int, maxDigits: Int) -> (Int, Int)? {
            var value = 0, end = start
            while end < scalars.count, end - start < maxDigits, let digit = scalars[end].properties.numericType == .decimal ? Int(String(scalars[end])) : nil {
                value = value * 10 + digit
                end += 1
            }
            return end > start ? (value, end) : nil
        }
        while index < scalars.count {
            guard scalars[index].isASCII, ("0"..."9").contains(scalars[index]),
                index == 0 || !("0"..."9").contains(scalars[index - 1])
            else {
                index += 1
                continue
            }
            guard let (year, afterYear) = number(index, maxDigits: 4), afterYear - index == 4, afterYear < scalars.count,
                ["-", "/", ".", "年"].contains(scalars[afterYear]),
                let (month, afterMonth) = number(afterYear + 1, maxDigits: 2), afterMonth < scalars.count,
                ["-", "/", ".", "月"].contains(scalars[afterMonth]),
                let (day, afterDay) = number(afterMonth + 1, maxDigits: 2),
                (1990...2100).contains(year), let date = CalendarDate(year: year, month: month, day: day)
            else {
                index += 1
                continue
            }
            result.append(date)
            index = afterDay
        }
        return result
    }

    static func firstDay(in text: String) -> CalendarDate? { days(in: text).first }
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
