import Foundation
import GovWatchCore
import GovWatchPage
import GovWatchStore

/// Turns the stored results of a crawl into the `SiteEvidence` the site checks read:
/// the homepage (identity, dated items, search, HTTPS), the columns (imported ones as
/// registered, plus list pages discovered from the homepage's navigation) with their
/// items following paging and "更多", every checked link with its referrers, the text of
/// every page and attachment, hidden links, and consultation messages.
///
/// Everything is sorted, so the evidence of a resumed crawl equals that of an
/// uninterrupted one.
struct SiteEvidenceBuilder {
    let site: SiteRecord
    let asOf: Date
    let columns: [ColumnRecord]
    /// Columns discovered by earlier crawls and recorded, not yet confirmed: kept as recorded
    /// (an administrator may have corrected the name or category) and marked discovered.
    var knownDiscovered: [ColumnRecord] = []
    let homepage: NormalizedURL
    let scope: SiteScope

    /// Referrers kept per link target (the smallest URLs).
    static let maximumReferrers = 5
    /// List pages followed per column ("下一页", "更多").
    static let maximumListPages = 200

    private struct Row {
        var entry: CrawlURLEntry
        var record: PageRecord?
        var loaded: Bool { entry.error == nil && (entry.status ?? 0) < 400 && entry.status != nil }
    }

    /// The evidence, and the columns discovered (for an administrator to confirm).
    func build(from state: any CrawlStateStore) async throws -> (SiteEvidence, discovered: [ColumnRecord]) {
        var rows: [String: Row] = [:]
        var cursor = 0
        while true {
            let slice = try await state.results(afterID: cursor, limit: 1_000)
            for entry in slice where entry.state == "done" {
                rows[entry.url] = Row(entry: entry, record: PageRecord.decode(entry.record))
            }
            guard let last = slice.last?.id, slice.count == 1_000 else { break }
            cursor = last
        }
        return assemble(rows)
    }

    private func assemble(_ rows: [String: Row]) -> (SiteEvidence, discovered: [ColumnRecord]) {
        var evidence = SiteEvidence(site: site, asOf: asOf)
        let home = rows[homepage.description]
        let homeURLs: Set<String> = [homepage.description, home?.entry.finalURL].compactMap { $0 }.reduce(into: []) { $0.insert($1) }

        // Homepage.
        if let home {
            let record = home.record
            let https = homepage.scheme == "https" || (home.entry.finalURL.flatMap(NormalizedURL.init)?.scheme == "https")
            let searchWorks = (record?.search ?? []).contains { rows[$0]?.loaded == true }
            var newestSecondLevel: CalendarDate?
            // Only a homepage that is a mere navigation entry (nothing dated of its own) is
            // judged by its second-level pages.
            let navigationOnly = !(record?.items.contains { $0.date != nil } ?? false)
            for row in rows.values where navigationOnly && row.entry.depth == 1 && row.entry.role == CrawlRole.page.rawValue {
                guard let record = row.record else { continue }
                let dates = record.items.compactMap(\.date) + [record.published].compactMap { $0 }
                if let newest = dates.max(), newestSecondLevel.map({ newest > $0 }) ?? true { newestSecondLevel = newest }
            }
            evidence.homepage = HomepageEvidence(
                url: site.url, finalURL: home.entry.finalURL ?? homepage.description, loaded: home.loaded && record != nil,
                status: home.entry.status, identity: record?.identity ?? FooterIdentity(), items: record?.items ?? [],
                newestSecondLevelDate: newestSecondLevel, searchWorks: searchWorks, https: https)
        }

        // Columns: imported first (authoritative), then discovered from the homepage.
        var categoryOfPage: [String: ColumnCategory] = [:]
        var columnEvidence: [ColumnEvidence] = []
        var consultationPages: [String] = []
        var importedURLs: Set<String> = []
        for column in columns {
            let url = NormalizedURL(column.url)?.description ?? column.url
            importedURLs.insert(url)
            let (evidenceItem, pages) = columnItems(column, url: url, discovered: false, rows: rows)
            columnEvidence.append(evidenceItem)
            assign(column.category, pages: pages, items: evidenceItem.items, to: &categoryOfPage, overriding: true)
            if column.category == .consultation { consultationPages += pages }
        }
        var discovered: [ColumnRecord] = []
        if let record = home?.record {
            var candidates: [String: String] = [:]
            for link in record.links where link.kind == .page && !link.hidden {
                guard !importedURLs.contains(link.url), !homeURLs.contains(link.url), candidates[link.url] == nil,
                    let target = rows[link.url], target.loaded, let page = target.record,
                    let url = NormalizedURL(link.url), scope.contains(url)
                else { continue }
                // Site search results are dated lists too, but no column.
                guard !Self.isSearchPage(link.url, text: link.text, searchTargets: record.search) else { continue }
                // A column list page: its main content is a dated list (or a message list), and it is not an article.
                let isList = page.published == nil && (page.items.filter { $0.date != nil }.count >= 3 || !page.messages.isEmpty)
                guard isList else { continue }
                let text = link.text.trimmingCharacters(in: .whitespacesAndNewlines)
                let name = (text.isEmpty || PageAnalyzer.isMore(text)) ? (page.columnName ?? page.title ?? text) : text
                candidates[link.url] = name
            }
            for (url, name) in candidates {
                let category = ColumnCategoryGuess.category(forName: name) ?? .other
                discovered.append(ColumnRecord(site: site.code, name: name, url: url, category: category, topLevel: true))
            }
        }
        var known: [String: ColumnRecord] = [:]
        for column in knownDiscovered {
            let url = NormalizedURL(column.url)?.description ?? column.url
            if !importedURLs.contains(url) { known[url] = column }
        }
        let fresh = discovered.filter { known[$0.url] == nil }
        for column in (Array(known.values) + fresh).sorted(by: { $0.url < $1.url }) {
            let url = NormalizedURL(column.url)?.description ?? column.url
            let (evidenceItem, pages) = columnItems(column, url: url, discovered: true, rows: rows)
            columnEvidence.append(evidenceItem)
            assign(column.category, pages: pages, items: evidenceItem.items, to: &categoryOfPage, overriding: false)
            if column.category == .consultation { consultationPages += pages }
        }
        discovered = fresh.sorted { $0.url < $1.url }
        evidence.columns = columnEvidence

        // Consultation messages, completed from each message's own page when the list omits the reply date.
        var messages: [String: ConsultationMessage] = [:]
        for page in consultationPages {
            for message in rows[page]?.record?.messages ?? [] {
                var answered = message.answered
                var status = message.status
                if answered == nil, !message.url.isEmpty, let letter = rows[message.url]?.record?.letter {
                    if status == nil || ConsultationListParser.isAnswered(status ?? "") { answered = letter.answered }
                    status = status ?? letter.status
                }
                let key = message.url.isEmpty ? "\(page)#\(message.title)#\(message.asked)" : message.url
                messages[key] = ConsultationMessage(
                    url: message.url.isEmpty ? page : message.url, title: message.title, askedOn: message.asked,
                    answeredOn: answered, status: status)
            }
        }
        evidence.messages = messages.values.sorted { ($0.url, $0.title) < ($1.url, $1.title) }

        // Links, documents and hidden links: one pass over the pages, in URL order.
        struct Target {
            var referrers: [String] = []
            var onHomepage = false
            var kind: LinkEvidence.Kind = .style
        }
        var targets: [String: Target] = [:]
        var documents: [DocumentEvidence] = []
        var hidden: [HiddenLinkEvidence] = []
        var contentSeen: Set<String> = []
        let priority: [LinkEvidence.Kind: Int] = [.page: 0, .attachment: 1, .frame: 2, .image: 3, .script: 4, .style: 5]
        for (url, row) in rows.sorted(by: { $0.key < $1.key }) {
            guard let record = row.record else { continue }
            let fromHomepage = homeURLs.contains(url)
            for link in record.links {
                if link.hidden {
                    hidden.append(HiddenLinkEvidence(page: url, link: link.url, text: link.text))
                    continue
                }
                var target = targets[link.url] ?? Target(kind: link.kind)
                if target.referrers.last != url, target.referrers.count < Self.maximumReferrers { target.referrers.append(url) }
                if fromHomepage { target.onHomepage = true }
                if priority[link.kind, default: 9] < priority[target.kind, default: 9] { target.kind = link.kind }
                targets[link.url] = target
            }
            // Identical bodies under several URLs (`/` and `/index.html`) are one document.
            if let hash = row.entry.contentHash, !contentSeen.insert(hash).inserted { continue }
            let category = categoryOfPage[url]
            if let text = record.text, !text.isEmpty {
                documents.append(DocumentEvidence(url: url, title: record.title, text: text, columnCategory: category))
            }
            if let sections = record.sections {
                for section in sections where !section.text.isEmpty {
                    documents.append(
                        DocumentEvidence(
                            url: section.label.map { "\(url)#\($0)" } ?? url, title: record.title, text: section.text,
                            columnCategory: category, isAttachment: true))
                }
            }
        }
        // Attachments belong to the column of the page that links them.
        for index in documents.indices where documents[index].isAttachment && documents[index].columnCategory == nil {
            let base = documents[index].url.split(separator: "#", maxSplits: 1).first.map(String.init) ?? documents[index].url
            documents[index].columnCategory = targets[base]?.referrers.lazy.compactMap { categoryOfPage[$0] }.first
        }
        evidence.documents = documents
        evidence.hiddenLinks = hidden.sorted { ($0.page, $0.link) < ($1.page, $1.link) }

        var links: [LinkEvidence] = []
        for (url, target) in targets {
            guard let row = rows[url], let parsed = NormalizedURL(url) else { continue }
            links.append(
                LinkEvidence(
                    url: url, kind: target.kind, external: !scope.contains(parsed), status: row.entry.status,
                    error: row.entry.error, referrers: target.referrers.sorted(), onHomepage: target.onHomepage))
        }
        evidence.links = links.sorted { $0.url < $1.url }
        evidence.columns.sort { ($0.discovered ? 1 : 0, $0.column.url) < ($1.discovered ? 1 : 0, $1.column.url) }
        return (evidence, discovered)
    }

    /// A column's items: its list page, every further page of the list ("下一页", page
    /// numbers), and the "更多" target when the page itself lists nothing dated.
    /// A search form's target or a search results URL (`?q=`, `?keyword=`, `/search/`…).
    static func isSearchPage(_ url: String, text: String, searchTargets: [String]) -> Bool {
        if searchTargets.contains(url) || text.contains("搜索") || text.contains("检索") { return true }
        guard let components = URLComponents(string: url) else { return false }
        let keys: Set<String> = ["q", "query", "keyword", "keywords", "searchword", "wd", "kw", "searchkey"]
        if components.queryItems?.contains(where: { keys.contains($0.name.lowercased()) }) == true { return true }
        let path = components.path.lowercased()
        return ["/search", "/was5/", "/jrobot/", "/so/"].contains { path.contains($0) }
    }

    private func columnItems(_ column: ColumnRecord, url: String, discovered: Bool, rows: [String: Row])
        -> (ColumnEvidence, pages: [String])
    {
        guard let first = rows[url] else {
            return (ColumnEvidence(column: column, discovered: discovered, loaded: false, items: []), [])
        }
        var pages: [String] = []
        var queue = [url]
        var visited: Set<String> = [url]
        var items: [DatedItem] = []
        var itemURLs: Set<String> = []
        let placeholder = first.record?.placeholder ?? false
        while !queue.isEmpty, pages.count < Self.maximumListPages {
            let current = queue.removeFirst()
            guard let row = rows[current], row.loaded, let record = row.record else { continue }
            pages.append(current)
            for item in record.items where itemURLs.insert(item.url + "|" + item.title).inserted {
                items.append(item)
            }
            for message in record.messages where itemURLs.insert(message.url + "|" + message.title).inserted {
                items.append(DatedItem(title: message.title, url: message.url, date: message.asked))
            }
            var next = record.nextPages
            if current == url, record.items.allSatisfy({ $0.date == nil }), record.messages.isEmpty {
                next += record.moreLinks
            }
            for link in next where visited.insert(link).inserted {
                queue.append(link)
            }
        }
        let hasDated = items.contains { $0.date != nil }
        items.sort { lhs, rhs in
            switch (lhs.date, rhs.date) {
            case let (l?, r?): return l != r ? l > r : (lhs.url, lhs.title) < (rhs.url, rhs.title)
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none): return (lhs.url, lhs.title) < (rhs.url, rhs.title)
            }
        }
        let evidence = ColumnEvidence(
            column: column, discovered: discovered, loaded: first.loaded && first.record != nil, items: items,
            placeholderOnly: placeholder && !hasDated)
        return (evidence, pages)
    }

    private func assign(
        _ category: ColumnCategory, pages: [String], items: [DatedItem], to map: inout [String: ColumnCategory], overriding: Bool
    ) {
        for url in pages + items.map(\.url) where overriding || map[url] == nil {
            map[url] = category
        }
    }
}
