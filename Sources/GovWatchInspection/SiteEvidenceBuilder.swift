import Foundation
import GovWatchCore
import GovWatchPage
import GovWatchStore

/// Turns the stored results of a crawl into the `SiteEvidence` the site checks read:
/// the homepage (identity, dated items, search, HTTPS), the columns (imported ones as
/// registered, plus list pages discovered from the homepage's navigation) with their
/// items following paging and "更多", every checked link with its referrers, the texts the
/// crawl kept (those with a content problem), hidden links, and consultation messages.
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
    /// The crawl's page limit and depth limit (`CrawlConfiguration.maximumPages`,
    /// `maximumDepth`), to tell when the page limit cut the crawl; nil when unknown.
    var pageLimit: Int?
    var depthLimit: Int?

    /// Referrers kept per link target (the smallest URLs).
    static let maximumReferrers = 5
    /// List pages followed per column ("下一页", "更多").
    static let maximumListPages = 200
    /// Undated entries of a list whose article pages are read for their publish day: the
    /// first few in the list's own order (lists show their newest first).
    static let maximumArticlesOpened = 5

    private struct Row {
        var entry: CrawlURLEntry
        var record: PageRecord?
        var loaded: Bool { entry.error == nil && (entry.status ?? 0) < 400 && entry.status != nil }
    }

    /// Reads single rows by URL (the homepage, column list pages, search targets, message
    /// pages): what the builder follows from page to page is fetched when needed, never the
    /// whole crawl at once.
    ///
    /// The pass over every row already decodes the rows that will be followed: it keeps those
    /// it can tell are wanted (`FollowedRows`), and those are answered from memory. One query
    /// per row cost most of the build (about 7,000 at 100,000 pages); a row wanted only after
    /// the pass went by it is still read by URL.
    private final class RowReader {
        let state: any CrawlStateStore
        var prefetched: [String: Row?] = [:]

        init(state: any CrawlStateStore) { self.state = state }

        func row(_ url: String) async throws -> Row? {
            if let row = prefetched[url] { return row }
            return try await Self.read(url, from: state)
        }

        static func read(_ url: String, from state: any CrawlStateStore) async throws -> Row? {
            guard let entry = try await state.result(url: url), entry.state == "done" else { return nil }
            return Row(entry: entry, record: PageRecord.decode(entry.record))
        }
    }

    /// The rows the builder will follow, gathered during the pass over every row: the column
    /// list pages (imported, known and candidate columns from the homepage's links), the
    /// search targets, and — as such a row goes by — its further list pages, "更多" targets
    /// and message pages. Rows arrive in id order, which is the order the crawl found them,
    /// so a page found from a wanted page comes after it. Kept without their links and
    /// stored JSON (nothing followed reads them), so memory stays near the evidence's own.
    private struct FollowedRows {
        var wanted: Set<String>
        var rows: [String: Row?] = [:]

        mutating func offer(_ entry: CrawlURLEntry, record: PageRecord?) {
            guard wanted.contains(entry.url) else { return }
            guard entry.state == "done" else {
                rows[entry.url] = .some(nil)
                return
            }
            var entry = entry
            entry.record = nil
            var record = record
            record?.links = []
            rows[entry.url] = Row(entry: entry, record: record)
            if let record {
                wanted.formUnion(record.nextPages)
                wanted.formUnion(record.moreLinks)
                for message in record.messages where !message.url.isEmpty { wanted.insert(message.url) }
            }
        }
    }

    /// What the pass over every row keeps of a link target, under the 64-bit hash of its
    /// URL (the URL itself is read again with the target's result): a handful of referrers
    /// and flags.
    private struct Target {
        /// The smallest referring page URLs, sorted, at most `maximumReferrers`.
        var referrers: [String] = []
        var kind: LinkEvidence.Kind = .style
        var onHomepage = false
        /// Every page linking to it (counted for broken targets only, as referrers are kept).
        var referrerCount = 0
    }

    /// A page or attachment part whose text the crawl kept (the content screen found a problem in it).
    private struct KeptDocument {
        var row: String
        var contentHash: String?
        var document: DocumentEvidence
    }

    /// The evidence, and the columns discovered (for an administrator to confirm).
    ///
    /// Memory stays flat as the site grows: the passes over the rows go a slice at a time and
    /// keep per link target only a hash, its kind and flags (and the referrers of broken
    /// ones); pages that are followed (columns, their paging, messages) are kept from that
    /// pass without their links, or read one at a time when the pass could not tell; and
    /// the crawl kept only the texts with a content problem.
    func build(from state: any CrawlStateStore) async throws -> (SiteEvidence, discovered: [ColumnRecord]) {
        let reader = RowReader(state: state)
        var evidence = SiteEvidence(site: site, asOf: asOf)
        let home = try await RowReader.read(homepage.description, from: state)
        let homeURLs: Set<String> = [homepage.description, home?.entry.finalURL].compactMap { $0 }.reduce(into: []) { $0.insert($1) }
        // Only a homepage that is a mere navigation entry (nothing dated of its own) is
        // judged by its second-level pages.
        let navigationOnly = !(home?.record?.items.contains { $0.date != nil } ?? false)

        // The broken targets, from the rows without their records: only their referrers are
        // reported (`LinkEvidence.referrers`), so only those are collected.
        var broken: Set<UInt64> = []
        var census = CrawlCensus()
        try await RowPass.index(state) { slice in
            for entry in slice {
                census.count(entry, scope: scope, depthLimit: depthLimit)
                guard entry.state == "done", entry.error != nil || (entry.status ?? 0) >= 400 else { continue }
                broken.insert(FNV1a64.hash(entry.url))
            }
        }

        // One pass over every row: links (with referrers when broken), hidden links, kept
        // texts, the newest date of the second-level pages, and the rows followed later.
        var targets: [UInt64: Target] = [:]
        var hidden: [HiddenLinkEvidence] = []
        var kept: [KeptDocument] = []
        var newestSecondLevel: CalendarDate?
        /// Links to consultation channels on other hosts, with their text (the first seen).
        var channelLinks: [String: String] = [:]
        var followed = FollowedRows(wanted: followedStart(home: home?.record))
        try await RowPass.results(state) { slice in
            for (entry, record) in slice {
                guard entry.state == "done" else {
                    followed.offer(entry, record: nil)
                    continue
                }
                let url = entry.url
                followed.offer(entry, record: record)
                guard let record else { continue }
                let fromHomepage = homeURLs.contains(url)
                // A channel page on another host (a province's mailbox platform) is read for its
                // messages only: its text, hidden links and navigation are the platform's.
                let isChannel = entry.role == CrawlRole.channel.rawValue
                var countedHere: Set<UInt64> = []
                // Channels are linked from the homepage and its first level (a nav bar, an
                // 互动交流 page); deeper pages are not searched for them (every link would be parsed).
                let mayLinkChannels = !isChannel && entry.depth <= 1 && entry.role == CrawlRole.page.rawValue
                for link in record.links {
                    if link.hidden {
                        if !isChannel { hidden.append(HiddenLinkEvidence(page: url, link: link.url, text: link.text, hiding: link.hiding)) }
                        continue
                    }
                    let key = FNV1a64.hash(link.url)
                    let kind = link.kind
                    let isBroken = broken.contains(key)
                    let firstHere = isBroken && countedHere.insert(key).inserted
                    // Updated in place (one hash lookup, no copy of the referrers).
                    Self.update(&targets[key, default: Target(kind: kind)]) { target in
                        if isBroken { Self.insertReferrer(url, into: &target.referrers) }
                        if firstHere { target.referrerCount += 1 }
                        if fromHomepage { target.onHomepage = true }
                        if Self.priority(kind) < Self.priority(target.kind) { target.kind = kind }
                    }
                    if mayLinkChannels, kind == .page, channelLinks[link.url] == nil, let target = NormalizedURL(link.url),
                        !scope.contains(target), ChannelScope.isChannelLink(text: link.text, url: target)
                    {
                        channelLinks[link.url] = ChannelScope.name(text: link.text, url: target)
                    }
                }
                guard !isChannel else { continue }
                if navigationOnly, entry.depth == 1, entry.role == CrawlRole.page.rawValue {
                    let dates = record.items.compactMap(\.date) + [record.published].compactMap { $0 }
                    if let newest = dates.max(), newestSecondLevel.map({ newest > $0 }) ?? true { newestSecondLevel = newest }
                }
                if let text = record.text, !text.isEmpty {
                    kept.append(KeptDocument(
                        row: url, contentHash: entry.contentHash, document: DocumentEvidence(url: url, title: record.title, text: text, personalInformation: record.privacy)))
                }
                for section in record.sections ?? [] where !section.text.isEmpty {
                    kept.append(KeptDocument(
                        row: url, contentHash: entry.contentHash,
                        document: DocumentEvidence(
                            url: section.label.map { "\(url)#\($0)" } ?? url, title: record.title, text: section.text,
                            isAttachment: true, personalInformation: section.privacy)))
                }
            }
        }
        reader.prefetched = followed.rows
        followed = FollowedRows(wanted: [])

        // Every linked target that was done, with its result: a last pass over the rows
        // without their records. Done before the columns, so the table of targets is gone
        // before their items are read.
        var links: [LinkEvidence] = []
        links.reserveCapacity(targets.count)
        try await RowPass.index(state) { slice in
            for entry in slice where entry.state == "done" {
                guard let target = targets[FNV1a64.hash(entry.url)], let parsed = NormalizedURL(entry.url) else { continue }
                links.append(
                    LinkEvidence(
                        url: entry.url, kind: target.kind, external: !scope.contains(parsed), status: entry.status,
                        error: entry.error, referrers: target.referrers, onHomepage: target.onHomepage,
                        referrerCount: target.referrerCount > target.referrers.count ? target.referrerCount : nil))
            }
        }
        targets = [:]
        links.sort { $0.url < $1.url }
        evidence.links = links

        // Homepage: what could not be read of it is said (`site.inspection.incomplete`), and
        // the checks that read it leave it alone.
        if let (reason, status) = try await unreadableReason(homepage.description, reader: reader, state: state, homepage: true) {
            evidence.unreadable.append(UnreadablePart(
                reason: reason, url: site.url, skippedChecks: UnreadablePart.homepageChecks, scope: .homepage, status: status))
        }
        if let home {
            let record = home.record
            let https = homepage.scheme == "https" || (home.entry.finalURL.flatMap(NormalizedURL.init)?.scheme == "https")
            var searchWorks = false
            for target in record?.search ?? [] where !searchWorks {
                searchWorks = try await reader.row(target)?.loaded == true
            }
            let items = try await datingUndatedCountingUnread(record?.items ?? [], reader: reader)
            if home.loaded, let record, record.unreadable == nil, !items.items.isEmpty, items.unreadArticles > 0,
                !items.items.contains(where: { $0.date != nil }), newestSecondLevel == nil
            {
                // Nothing on the homepage is dated and the articles that would say when it was
                // updated were not read: its update cannot be judged, which is not a stale homepage.
                evidence.unreadable.append(
                    UnreadablePart(
                        reason: .undated, url: site.url, skippedChecks: [.siteHomepageStale], scope: .homepageDates,
                        count: items.items.count))
            }
            evidence.homepage = HomepageEvidence(
                url: site.url, finalURL: home.entry.finalURL ?? homepage.description, loaded: home.loaded && record != nil,
                status: home.entry.status, identity: record?.identity ?? FooterIdentity(),
                items: items.items,
                newestSecondLevelDate: newestSecondLevel, searchWorks: searchWorks, https: https)
        }

        // Identical bodies under several URLs (`/` and `/index.html`) are one document: the smallest URL's.
        kept.sort { $0.row < $1.row }
        var contentOwner: [String: String] = [:]
        var unique: [KeptDocument] = []
        for document in kept {
            if let hash = document.contentHash {
                if let owner = contentOwner[hash], owner != document.row { continue }
                contentOwner[hash] = document.row
            }
            unique.append(document)
        }
        kept = unique
        // Column categories are worked out for the kept documents only, and for the pages
        // linking to kept attachments (which take the category of such a page): their
        // referrers are read again (kept attachments are few).
        let attachmentRows = Set(kept.filter(\.document.isAttachment).map { FNV1a64.hash($0.row) })
        let attachmentReferrers = try await referrers(of: attachmentRows, in: state)
        var categorised = Set(kept.map(\.row))
        for referrers in attachmentReferrers.values {
            categorised.formUnion(referrers)
        }

        // Columns: imported first (authoritative), then discovered from the homepage.
        var categoryOfPage: [String: ColumnCategory] = [:]
        var columnEvidence: [ColumnEvidence] = []
        var consultationPages: [(url: String, messages: [PageRecord.Message])] = []
        var importedURLs: Set<String> = []
        for column in columns {
            let url = NormalizedURL(column.url)?.description ?? column.url
            importedURLs.insert(url)
            let read = try await columnItems(column, url: url, discovered: false, reader: reader)
            try await noteUnreadable(column, url: url, listed: !read.evidence.items.isEmpty, reader: reader, state: state, into: &evidence)
            columnEvidence.append(read.evidence)
            assign(column.category, pages: read.pages, items: read.evidence.items, wanted: categorised, to: &categoryOfPage, overriding: true)
            if column.category == .consultation { consultationPages += read.messages }
        }
        var discovered: [ColumnRecord] = []
        if let record = home?.record {
            var candidates: [String: String] = [:]
            for link in record.links where link.kind == .page && !link.hidden {
                guard !importedURLs.contains(link.url), !homeURLs.contains(link.url), candidates[link.url] == nil,
                    let url = NormalizedURL(link.url), scope.contains(url),
                    // Site search results are dated lists too, but no column.
                    !Self.isSearchPage(link.url, text: link.text, searchTargets: record.search),
                    let target = try await reader.row(link.url), target.loaded, let page = target.record
                else { continue }
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
        // Consultation channels on other hosts (a 领导信箱 on the province's platform): the
        // site's own channels, proposed like any discovered column.
        for (url, text) in channelLinks.sorted(by: { $0.key < $1.key })
        where !importedURLs.contains(url) && !discovered.contains(where: { $0.url == url }) {
            // Fetched as a channel (whether it loaded or not: a channel that does not load is
            // the site's problem), or not read (its absence is not proven). A URL only checked
            // (first linked without a channel's name) was not parsed, so says nothing.
            let fetched = try await reader.row(url)?.entry.role == CrawlRole.channel.rawValue
            let unread = try await unreadableReason(url, reader: reader, state: state, homepage: false) != nil
            guard fetched || unread else { continue }
            discovered.append(ColumnRecord(site: site.code, name: text, url: url, category: .consultation, topLevel: true))
        }
        var known: [String: ColumnRecord] = [:]
        for column in knownDiscovered {
            let url = NormalizedURL(column.url)?.description ?? column.url
            if !importedURLs.contains(url) { known[url] = column }
        }
        let fresh = discovered.filter { known[$0.url] == nil }
        for column in (Array(known.values) + fresh).sorted(by: { $0.url < $1.url }) {
            let url = NormalizedURL(column.url)?.description ?? column.url
            let read = try await columnItems(column, url: url, discovered: true, reader: reader)
            try await noteUnreadable(column, url: url, listed: !read.evidence.items.isEmpty, reader: reader, state: state, into: &evidence)
            columnEvidence.append(read.evidence)
            assign(column.category, pages: read.pages, items: read.evidence.items, wanted: categorised, to: &categoryOfPage, overriding: false)
            if column.category == .consultation { consultationPages += read.messages }
        }
        discovered = fresh.sorted { $0.url < $1.url }
        evidence.columns = columnEvidence

        // Consultation messages, completed from each message's own page when the list omits the reply date.
        var messages: [String: ConsultationMessage] = [:]
        for (page, listed) in consultationPages {
            for message in listed {
                var answered = message.answered
                var status = message.status
                if answered == nil, !message.url.isEmpty, let letter = try await reader.row(message.url)?.record?.letter {
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

        // Kept texts with their column; attachments belong to the column of the page that links them.
        var documents = kept.map(\.document)
        for index in documents.indices {
            let row = kept[index].row
            documents[index].columnCategory = categoryOfPage[row]
            if documents[index].isAttachment, documents[index].columnCategory == nil {
                documents[index].columnCategory = attachmentReferrers[FNV1a64.hash(row)]?.lazy.compactMap { categoryOfPage[$0] }.first
            }
        }
        evidence.documents = documents
        evidence.hiddenLinks = hidden.sorted { ($0.page, $0.link) < ($1.page, $1.link) }

        evidence.columns.sort { ($0.discovered ? 1 : 0, $0.column.url) < ($1.discovered ? 1 : 0, $1.column.url) }
        evidence.unreadable += census.parts(site: site, pageLimit: pageLimit, alreadyNoted: evidence.unreadable)
        return (evidence, discovered)
    }

    /// Why the page at `url` (normalised) was fetched but not read, with its status: robots.txt
    /// forbade it, its host kept answering 429/503, it timed out, or it is a challenge page or a
    /// JavaScript shell (`PageRecord.unreadable`). A homepage that failed otherwise (404, DNS,
    /// refused) is `unreachable`; a column that failed otherwise is a broken link, not this.
    /// Nil for a page that was read.
    private func unreadableReason(_ url: String, reader: RowReader, state: any CrawlStateStore, homepage: Bool) async throws
        -> (UnreadablePart.Reason, Int?)?
    {
        if let row = try await reader.row(url) {
            let entry = row.entry
            if entry.status == 429 || entry.status == 503 { return (.rateLimited, entry.status) }
            if let error = entry.error, error.contains("超时") { return (.timeout, entry.status) }
            if !row.loaded { return homepage ? (.unreachable, entry.status) : nil }
            if let raw = row.record?.unreadable { return (UnreadablePart.Reason(rawValue: raw) ?? .javascript, entry.status) }
            return nil
        }
        // Not done: skipped (robots.txt), or never fetched.
        guard let entry = try await state.result(url: url), entry.state == "skipped" else { return nil }
        return entry.error?.contains("robots") == true ? (.robots, nil) : nil
    }

    /// The link text `PageAnalyzer` gives the data endpoint a script fills a list from.
    static let dataSourceText = "列表数据接口"

    /// Records a column whose list page could not be read, so that no check judges it: the
    /// page itself was not read, or it is a script's shell whose data endpoint gave nothing
    /// (`listed` false: no item was found on any of the column's pages).
    private func noteUnreadable(
        _ column: ColumnRecord, url: String, listed: Bool, reader: RowReader, state: any CrawlStateStore,
        into evidence: inout SiteEvidence
    ) async throws {
        var found = try await unreadableReason(url, reader: reader, state: state, homepage: false)
        if found == nil, !listed, let entry = try await state.result(url: url), let record = PageRecord.decode(entry.record) {
            let sources = record.links.filter { $0.text == Self.dataSourceText }.map(\.url)
            var sourceRead = false
            for source in sources where !sourceRead {
                sourceRead = try await reader.row(source).map { $0.loaded && $0.record?.unreadable == nil } ?? false
            }
            if !sources.isEmpty, !sourceRead { found = (.javascript, entry.status) }
        }
        guard let (reason, status) = found else { return }
        let skipped = UnreadablePart.columnChecks + (column.category == .consultation ? [.siteInteractionNoChannel] : [])
        evidence.unreadable.append(UnreadablePart(
            reason: reason, url: column.url, skippedChecks: skipped, scope: .column, status: status, name: column.name))
    }

    /// What the pass over every row counts beyond links: the pages read, the pages on the
    /// site's hosts that were only checked (beyond the page limit), and per host the links
    /// that kept answering 429/503.
    private struct CrawlCensus {
        var pages = 0
        var pagesNotRead = 0
        var rateLimited: [String: (count: Int, root: String)] = [:]

        mutating func count(_ entry: CrawlURLEntry, scope: SiteScope, depthLimit: Int?) {
            if entry.role == CrawlRole.page.rawValue {
                pages += 1
            } else if entry.role == CrawlRole.check.rawValue, entry.kind == LinkEvidence.Kind.page.rawValue
                || entry.kind == LinkEvidence.Kind.frame.rawValue,
                let depthLimit, entry.depth <= depthLimit, let url = NormalizedURL(entry.url), scope.contains(url)
            {
                // A page of the site within the depth limit is only checked when the page limit was reached.
                pagesNotRead += 1
            }
            if entry.state == "done", entry.status == 429 || entry.status == 503, let url = NormalizedURL(entry.url) {
                let root = "\(url.scheme)://\(url.authority)/"
                rateLimited[url.authority, default: (0, root)].count += 1
            }
        }

        /// The parts of the site not read for the crawl's own reasons: the page limit, and each
        /// host that kept answering 429/503 (less the homepage and columns already noted).
        func parts(site: SiteRecord, pageLimit: Int?, alreadyNoted: [UnreadablePart]) -> [UnreadablePart] {
            var parts: [UnreadablePart] = []
            if let pageLimit, pages >= pageLimit, pagesNotRead > 0 {
                parts.append(UnreadablePart(
                    reason: .pageLimit, url: site.url,
                    skippedChecks: [.siteContentSevereError, .siteContentSensitive, .siteContentPrivacy, .siteLinksBroken, .siteDarkLink],
                    scope: .crawl, count: pagesNotRead))
            }
            for (authority, hits) in rateLimited.sorted(by: { $0.key < $1.key }) {
                let noted = alreadyNoted.filter {
                    $0.reason == .rateLimited && NormalizedURL($0.url).map { $0.authority } == authority
                }.count
                guard hits.count > noted else { continue }
                parts.append(UnreadablePart(
                    reason: .rateLimited, url: hits.root, skippedChecks: [.siteLinksBroken], scope: .links,
                    count: hits.count - noted))
            }
            return parts
        }
    }

    /// The rows known before the pass over every row to be followed: the homepage's search
    /// targets and page links (candidate columns), and the imported and known columns.
    private func followedStart(home: PageRecord?) -> Set<String> {
        var wanted: Set<String> = []
        for column in columns + knownDiscovered {
            wanted.insert(NormalizedURL(column.url)?.description ?? column.url)
        }
        if let home {
            wanted.formUnion(home.search)
            for link in home.links where link.kind == .page && !link.hidden { wanted.insert(link.url) }
        }
        return wanted
    }

    /// Which kind a target linked in several ways is listed as (the first in this order).
    private static func priority(_ kind: LinkEvidence.Kind) -> Int {
        switch kind {
        case .page: 0
        case .attachment: 1
        case .frame: 2
        case .image: 3
        case .script: 4
        case .style: 5
        }
    }

    private static func update<Value>(_ value: inout Value, _ change: (inout Value) -> Void) { change(&value) }

    /// The referrers (by visible links, the smallest few) of the targets with these URL hashes.
    private func referrers(of wanted: Set<UInt64>, in state: any CrawlStateStore) async throws -> [UInt64: [String]] {
        guard !wanted.isEmpty else { return [:] }
        var result: [UInt64: [String]] = [:]
        try await RowPass.results(state) { slice in
            for (entry, record) in slice where entry.state == "done" {
                guard let record else { continue }
                for link in record.links where !link.hidden {
                    let key = FNV1a64.hash(link.url)
                    if wanted.contains(key) { Self.insertReferrer(entry.url, into: &result[key, default: []]) }
                }
            }
        }
        return result
    }

    /// Keeps the `maximumReferrers` smallest distinct URLs, sorted (the same as reading the
    /// pages in URL order and keeping the first few).
    private static func insertReferrer(_ url: String, into referrers: inout [String]) {
        if referrers.count == maximumReferrers, let last = referrers.last, url >= last { return }
        var low = 0
        var high = referrers.count
        while low < high {
            let middle = (low + high) / 2
            if referrers[middle] < url { low = middle + 1 } else { high = middle }
        }
        if low < referrers.count, referrers[low] == url { return }
        referrers.insert(url, at: low)
        if referrers.count > maximumReferrers { referrers.removeLast() }
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

    /// A list's undated entries with the publish day of their own article page (the first
    /// `maximumArticlesOpened`, when the crawl read them), else the day the CMS wrote into
    /// the article's address (`URLDate`); entries with neither stay undated and count as not
    /// updated (未注明信息发布时间的视为不更新).
    private func datingUndated(_ items: [DatedItem], reader: RowReader) async throws -> [DatedItem] {
        try await datingUndatedCountingUnread(items, reader: reader).items
    }

    /// `datingUndated`, and how many of the article pages it opened had not been read (not
    /// crawled, or failed): their entries' dates are unknown rather than absent.
    private func datingUndatedCountingUnread(_ items: [DatedItem], reader: RowReader) async throws
        -> (items: [DatedItem], unreadArticles: Int)
    {
        var dated = items
        var opened = 0
        var unread = 0
        for index in dated.indices where dated[index].date == nil {
            if opened < Self.maximumArticlesOpened, NormalizedURL(dated[index].url).map(scope.contains) == true {
                opened += 1
                let row = try await reader.row(dated[index].url)
                if let published = row?.record?.published {
                    dated[index].date = published
                    continue
                }
                if row?.loaded != true || row?.record == nil { unread += 1 }
            }
            dated[index].date = URLDate.day(in: dated[index].url)
        }
        return (dated, unread)
    }

    private func columnItems(_ column: ColumnRecord, url: String, discovered: Bool, reader: RowReader) async throws
        -> (evidence: ColumnEvidence, pages: [String], messages: [(url: String, messages: [PageRecord.Message])])
    {
        guard let first = try await reader.row(url) else {
            return (ColumnEvidence(column: column, discovered: discovered, loaded: false, items: []), [], [])
        }
        var pages: [String] = []
        var messages: [(url: String, messages: [PageRecord.Message])] = []
        var queue = [url]
        var visited: Set<String> = [url]
        var items: [DatedItem] = []
        var itemURLs: Set<String> = []
        let placeholder = first.record?.placeholder ?? false
        while !queue.isEmpty, pages.count < Self.maximumListPages {
            let current = queue.removeFirst()
            guard let row = current == url ? first : try await reader.row(current), row.loaded, let record = row.record else { continue }
            pages.append(current)
            messages.append((current, record.messages))
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
        items = try await datingUndated(items, reader: reader)
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
        return (evidence, pages, messages)
    }

    /// Records the column category of the wanted URLs among a column's pages and items.
    private func assign(
        _ category: ColumnCategory, pages: [String], items: [DatedItem], wanted: Set<String>, to map: inout [String: ColumnCategory],
        overriding: Bool
    ) {
        for url in pages + items.map(\.url) where wanted.contains(url) && (overriding || map[url] == nil) {
            map[url] = category
        }
    }
}

/// The passes over every row of a crawl, in id order, a slice at a time. The next slice is
/// read from the store (and, with results, its records decoded, two halves at once) while
/// the caller works on the current one: reading and decoding were two thirds of the
/// evidence build of a large crawl, and ran on one core. At most two slices are in memory.
private enum RowPass {
    /// Rows without their records.
    static func index(_ state: any CrawlStateStore, _ body: ([CrawlURLEntry]) async throws -> Void) async throws {
        try await pass(size: 5_000, read: { try await state.index(afterID: $0, limit: 5_000) }, prepare: { $0 }, body)
    }

    /// Rows with their decoded records (the stored JSON itself is dropped), decoded in two
    /// halves at once.
    static func results(_ state: any CrawlStateStore, _ body: ([(CrawlURLEntry, PageRecord?)]) async throws -> Void)
        async throws
    {
        @Sendable func decoded(_ rows: ArraySlice<CrawlURLEntry>) -> [(CrawlURLEntry, PageRecord?)] {
            rows.map { entry in
                let record = entry.state == "done" ? PageRecord.decode(entry.record) : nil
                var entry = entry
                entry.record = nil
                return (entry, record)
            }
        }
        try await pass(
            size: 1_000, read: { try await state.results(afterID: $0, limit: 1_000) },
            prepare: { slice in
                let half = slice.count / 2
                async let first = decoded(slice[..<half])
                let second = decoded(slice[half...])
                return await first + second
            }, body)
    }

    private static func pass<Row: Sendable>(
        size: Int, read: @escaping @Sendable (Int) async throws -> [CrawlURLEntry],
        prepare: @escaping @Sendable ([CrawlURLEntry]) async -> [Row], _ body: ([Row]) async throws -> Void
    ) async throws {
        func fetch(after cursor: Int) -> Task<(rows: [Row], next: Int?), any Error> {
            Task {
                let slice = try await read(cursor)
                return (await prepare(slice), slice.count == size ? slice.last?.id : nil)
            }
        }
        var pending = fetch(after: 0)
        defer { pending.cancel() }
        while true {
            let (rows, next) = try await pending.value
            if let next { pending = fetch(after: next) }
            try await body(rows)
            if next == nil { return }
        }
    }
}
