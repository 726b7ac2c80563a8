import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchDocuments
import GovWatchPage
import GovWatchStore
import NIOPosix

/// The bookkeeping of a running crawl, in one actor: the seen-set (64-bit hashes, so it
/// stays small), the admission rules (scope, limits, spider traps), the buffers of
/// results and newly admitted URLs with their transactional commits, and progress.
actor CrawlLedger {
    private let configuration: CrawlConfiguration
    private let state: any CrawlStateStore
    /// The site's hosts; read by every fetch, so behind a lock rather than the actor.
    private let scopeBox: LockedScope
    nonisolated var scope: SiteScope { scopeBox.value }
    private var trapGuard: SpiderTrapGuard
    private var seen: Set<UInt64> = []
    private var pagesAdmitted = 0
    private var checksAdmitted = 0
    /// Pages of consultation channels on other hosts (`ChannelScope`).
    private var channelPagesAdmitted = 0
    private var pendingResults: [CrawlURLEntry] = []
    private var pendingURLs: [CrawlURLEntry] = []
    private var flushTail: Task<Void, any Error>?

    private let siteCode: String
    private let progress: (@Sendable (CrawlProgress) -> Void)?
    private let started = ContinuousClock.now
    private var lastReport = ContinuousClock.now
    private(set) var statistics = CrawlStatistics()
    private var outstanding = 0

    init(
        configuration: CrawlConfiguration, state: any CrawlStateStore, scope: SiteScope, siteCode: String,
        progress: (@Sendable (CrawlProgress) -> Void)?
    ) {
        self.configuration = configuration
        self.state = state
        self.scopeBox = LockedScope(scope)
        self.trapGuard = SpiderTrapGuard(configuration: configuration)
        self.siteCode = siteCode
        self.progress = progress
    }

    /// Re-reads the admitted URLs of an interrupted crawl (a slice at a time), so that
    /// nothing is admitted twice and the limits count what was admitted before.
    func rebuild() async throws {
        var cursor = 0
        while true {
            let rows = try await state.index(afterID: cursor, limit: 2_000)
            for row in rows {
                seen.insert(FNV1a64.hash(row.url))
                if row.state == "queued" { outstanding += 1 }
                switch row.role {
                case CrawlRole.page.rawValue:
                    if let url = NormalizedURL(row.url) { trapGuard.record(url) }
                    pagesAdmitted += 1
                case CrawlRole.attachment.rawValue, CrawlRole.check.rawValue:
                    checksAdmitted += 1
                case CrawlRole.channel.rawValue:
                    channelPagesAdmitted += 1
                default:
                    break  // a spider trap, never fetched
                }
            }
            guard let last = rows.last?.id, rows.count == 2_000 else { break }
            cursor = last
        }
        statistics.resumed = true
    }

    /// Whether `url` is on the site's hosts.
    nonisolated func inScope(_ url: NormalizedURL) -> Bool { scopeBox.contains(url) }

    /// Adds the homepage's final host (after redirects) to the site.
    nonisolated func extendScope(with url: NormalizedURL) {
        scopeBox.add(url)
    }

    /// Admits seeds (homepage, imported columns) as pages, whatever the limits say.
    func seed(_ urls: [(NormalizedURL, depth: Int)]) async throws {
        for (url, depth) in urls where seen.insert(FNV1a64.hash(url.description)).inserted {
            // An imported column on another host (a 领导信箱 on the province's platform) is read
            // as a channel: its list and letters, not the other host's whole site.
            let role = depth == 0 || scopeBox.contains(url) ? CrawlRole.page : .channel
            pendingURLs.append(
                CrawlURLEntry(url: url.description, depth: depth, role: role.rawValue, kind: LinkEvidence.Kind.page.rawValue))
            trapGuard.record(url)
            pagesAdmitted += 1
            outstanding += 1
        }
        try await flush()
    }

    /// Records a finished URL and admits what its page links to; commits in batches.
    func complete(_ result: CrawlURLEntry, links: [PageRecord.Link]) async throws {
        pendingResults.append(result)
        outstanding -= 1
        count(result)
        let fromChannel = result.role == CrawlRole.channel.rawValue
        for link in links where !link.hidden {
            admit(link, depth: result.depth + 1, fromChannel: fromChannel)
        }
        if pendingResults.count >= configuration.commitBatchSize { try await flush() }
        reportIfDue()
    }

    private func count(_ result: CrawlURLEntry) {
        if result.state == "skipped" {
            statistics.skipped += 1
        } else if result.role == CrawlRole.check.rawValue {
            statistics.checks += 1
        } else {
            statistics.pages += 1
        }
        if result.error != nil || (result.status ?? 0) >= 400 { statistics.errors += 1 }
        if result.notModified { statistics.notModified += 1 }
    }

    /// Decides what to do with a link found on a page at `depth - 1` (a channel page when
    /// `fromChannel`: what it links to is its own paging and letters, `ChannelScope.follow`).
    private func admit(_ link: PageRecord.Link, depth: Int, fromChannel: Bool = false) {
        // Most links of a page were seen before (navigation, footer): their stored form is
        // already normalised, so its hash answers without parsing the URL again.
        guard !seen.contains(FNV1a64.hash(link.url)) else { return }
        guard let url = NormalizedURL(link.url) else { return }
        guard seen.insert(FNV1a64.hash(url.description)).inserted else { return }
        let kind = link.kind
        if kind == .page, !scopeBox.contains(url), fromChannel || ChannelScope.isChannelLink(text: link.text, url: url),
            channelPagesAdmitted < ChannelScope.maximumPages
        {
            // A consultation channel on another host: read as the site's channel, not crawled.
            channelPagesAdmitted += 1
            outstanding += 1
            pendingURLs.append(CrawlURLEntry(url: url.description, depth: depth, role: CrawlRole.channel.rawValue, kind: kind.rawValue))
            return
        }
        var role = CrawlRole.check
        var skipReason: String?
        if scopeBox.contains(url) {
            switch kind {
            case .page, .frame:
                if let reason = SpiderTrapGuard.shapeProblem(url, configuration) {
                    skipReason = reason
                } else if depth <= configuration.maximumDepth, pagesAdmitted < configuration.maximumPages {
                    if let reason = trapGuard.admit(url) { skipReason = reason } else { role = .page }
                }
            case .attachment:
                role = configuration.extractAttachments ? .attachment : .check
            case .image, .script, .style:
                role = .check
            }
        }
        if role == .page {
            pagesAdmitted += 1
        } else if skipReason == nil {
            guard checksAdmitted < configuration.maximumChecks else { return }
            checksAdmitted += 1
        }
        var entry = CrawlURLEntry(url: url.description, depth: depth, role: role.rawValue, kind: kind.rawValue)
        if let skipReason {
            // Stored so a resumed crawl does not reconsider it; never part of the evidence.
            entry.role = Self.trapRole
            entry.state = "skipped"
            entry.error = skipReason
        } else {
            outstanding += 1
        }
        pendingURLs.append(entry)
    }

    /// The role of a URL not followed because it looks like a spider trap.
    static let trapRole = "trap"

    /// Commits buffered results and admissions in one transaction; commits are chained so
    /// they reach the store in order, one at a time.
    func flush() async throws {
        guard !pendingResults.isEmpty || !pendingURLs.isEmpty || flushTail != nil else { return }
        let results = pendingResults
        let fresh = pendingURLs
        pendingResults = []
        pendingURLs = []
        let previous = flushTail
        let state = self.state
        let task = Task {
            try await previous?.value
            try await state.commit(results: results, newURLs: fresh)
        }
        flushTail = task
        try await task.value
    }

    private func reportIfDue() {
        guard let progress else { return }
        let now = ContinuousClock.now
        guard now - lastReport >= .milliseconds(250) else { return }
        lastReport = now
        progress(snapshot(finished: false))
    }

    func snapshot(finished: Bool) -> CrawlProgress {
        CrawlProgress(
            site: siteCode, pagesDone: statistics.pages, checksDone: statistics.checks, queued: max(0, outstanding),
            errors: statistics.errors, notModified: statistics.notModified, elapsed: ContinuousClock.now - started,
            finished: finished)
    }

    func finish() -> CrawlStatistics {
        statistics.elapsed = ContinuousClock.now - started
        progress?(snapshot(finished: true))
        return statistics
    }
}

/// `SiteScope` shared between the ledger and the fetching tasks.
final class LockedScope: @unchecked Sendable {
    private let lock = NSLock()
    private var scope: SiteScope

    init(_ scope: SiteScope) { self.scope = scope }

    var value: SiteScope { lock.withLock { scope } }

    func add(_ url: NormalizedURL) { lock.withLock { scope.add(url) } }

    func contains(_ url: NormalizedURL) -> Bool { lock.withLock { scope.contains(url) } }
}

/// Crawls one site level by level (breadth first): every URL of depth d is done and
/// committed before depth d + 1 starts, so depths are shortest distances whatever the
/// timing, and a resumed crawl picks up exactly the URLs still queued.
struct CrawlEngine: Sendable {
    let site: SiteRecord
    let homepage: NormalizedURL
    let columnSeeds: [NormalizedURL]
    let configuration: CrawlConfiguration
    let fetcher: CrawlFetcher
    let robots: RobotsCache
    /// Each host's answer to a URL that cannot exist (soft 404s); nil when not looked for.
    let notFound: NotFoundTemplates?
    let state: any CrawlStateStore
    let analyzer: PageAnalyzer
    /// Screens each page's and attachment's text as it is read (see `PageRecord.screen`).
    let scanner: ContentScanner
    let progress: (@Sendable (CrawlProgress) -> Void)?

    /// Runs (or resumes) the crawl to its end; returns the scope and what was done.
    func run() async throws -> (scope: SiteScope, statistics: CrawlStatistics) {
        let opened = try await state.open(settings: configuration.admissionSettings)
        let ledger = CrawlLedger(
            configuration: configuration, state: state, scope: SiteScope(homepage: homepage), siteCode: site.code,
            progress: progress)
        if opened.existed {
            try await ledger.rebuild()
            // The homepage is the first row: its final URL belongs to the site too.
            if let first = try await state.results(afterID: 0, limit: 1).first, let final = first.finalURL.flatMap(NormalizedURL.init) {
                ledger.extendScope(with: final)
            }
        }
        if opened.finished {
            return (ledger.scope, await ledger.finish())
        }
        // On a resume too: the session is stored before its seeds, and a crawl killed between
        // the two would otherwise take its empty frontier for the end. Seeds already admitted
        // are skipped (the rebuild has seen them).
        try await ledger.seed([(homepage, 0)] + columnSeeds.map { ($0, 1) })
        while let depth = try await state.shallowestQueuedDepth() {
            try Task.checkCancellation()
            try await crawlLevel(depth, ledger: ledger)
        }
        try await ledger.flush()
        try await state.finish()
        return (ledger.scope, await ledger.finish())
    }

    private func crawlLevel(_ depth: Int, ledger: CrawlLedger) async throws {
        let sliceSize = 256
        try await withThrowingTaskGroup(of: Void.self) { group in
            var cursor = 0
            var buffer: [CrawlURLEntry] = []
            var exhausted = false
            var inFlight = 0
            while true {
                if buffer.isEmpty, !exhausted {
                    let slice = try await state.queued(depth: depth, afterID: cursor, limit: sliceSize)
                    exhausted = slice.count < sliceSize
                    if let last = slice.last?.id { cursor = last }
                    buffer = slice.reversed()
                }
                guard let entry = buffer.popLast() else { break }
                if inFlight >= max(1, configuration.concurrency) {
                    try await group.next()
                    inFlight -= 1
                }
                group.addTask {
                    let (result, links) = try await process(entry, ledger: ledger)
                    // A fetch cut short by cancellation is not a result: the URL stays queued.
                    try Task.checkCancellation()
                    if entry.depth == 0, let final = result.finalURL.flatMap(NormalizedURL.init) {
                        ledger.extendScope(with: final)
                    }
                    try await ledger.complete(result, links: links)
                }
                inFlight += 1
            }
            try await group.waitForAll()
        }
        try await ledger.flush()
    }

    /// Fetches one URL as its role says; never throws for a failed fetch (the failure is the result).
    func process(_ entry: CrawlURLEntry, ledger: CrawlLedger) async throws -> (CrawlURLEntry, [PageRecord.Link]) {
        var result = entry
        result.state = "done"
        guard let url = NormalizedURL(entry.url) else {
            result.error = "网址无效"
            return (result, [])
        }
        let role = CrawlRole(rawValue: entry.role) ?? .check
        let onSite = ledger.inScope(url)
        if configuration.obeyRobots, onSite || role != .check, !(await robots.rules(for: url).allows(url)) {
            result.state = "skipped"
            result.error = "robots.txt 禁止抓取"
            return (result, [])
        }
        switch role {
        case .check:
            let outcome = try await fetcher.check(url)
            apply(outcome, to: &result)
            return (result, [])
        case .page, .attachment, .channel:
            var previous: CrawlURLEntry?
            if configuration.conditionalRequests, role == .page, let stored = try await state.previous(url: entry.url),
                stored.record != nil, stored.etag != nil || stored.lastModified != nil
            {
                previous = stored
            }
            let limit = role == .attachment ? configuration.maximumAttachmentBytes : configuration.maximumPageBytes
            var outcome = try await fetcher.get(
                url, bodyLimit: limit, validators: previous.map { ($0.etag, $0.lastModified) })
            if entry.depth == 0, role == .page { outcome = try await followRedirectPages(outcome) }
            apply(outcome, to: &result)
            guard case .success(let response) = outcome else { return (result, []) }
            if response.status == 304, let previous {
                // Unchanged since the last inspection: its record stands.
                result.status = previous.status
                result.finalURL = previous.finalURL
                result.contentHash = previous.contentHash
                result.etag = response.etag ?? previous.etag
                result.lastModified = response.lastModified ?? previous.lastModified
                result.record = previous.record
                result.notModified = true
                return (result, PageRecord.decode(previous.record)?.links ?? [])
            }
            guard response.status == 200, !response.body.isEmpty else { return (result, []) }
            result.contentHash = FNV1a64.hex(response.body)
            // A page redirected off the site is someone else's page: checked, not read.
            let finalOnSite = ledger.inScope(response.finalURL) || entry.depth == 0 || role == .channel
            guard finalOnSite else { return (result, []) }
            var record: PageRecord?
            if Self.isHTML(response) {
                record = analyzer.analyze(body: response.body, contentType: response.contentType, url: response.finalURL)
            } else if role == .page, PageAnalyzer.isData(body: response.body, contentType: response.contentType) {
                // A column's data endpoint (JSON a script draws the list from): its entries.
                record = analyzer.analyzeData(body: response.body, url: response.finalURL)
            } else if configuration.extractAttachments, Self.isDocument(response) {
                record = try await attachmentRecord(response)
            } else {
                record = nil
            }
            if let page = record, entry.depth > 0, role == .page, try await isSoft404(page, at: response.finalURL, ledger: ledger) {
                // The site's own not-found page: a broken link, not a page to read.
                result.error = Self.soft404
                return (result, [])
            }
            record?.screen(with: scanner)
            result.record = try record?.json()
            if role == .channel { return (result, record.map(ChannelScope.follow) ?? []) }
            return (result, record?.links ?? [])
        }
    }

    /// The reason stored for a soft 404 (status 200).
    static let soft404 = "页面不存在（软404）"

    /// Whether a 200 page is the site's not-found page: its wording says so, or it is the
    /// template its host answers for a URL that cannot exist.
    private func isSoft404(_ page: PageRecord, at url: NormalizedURL, ledger: CrawlLedger) async throws -> Bool {
        guard configuration.detectSoft404 else { return false }
        let text = page.text ?? ""
        // A long text is never a bare notice: spare the wording check its walk over it.
        if NotFoundPage.isNotice(title: page.title, text: text.utf8.count <= 4_096 ? text : "") {
            return true
        }
        guard let notFound, ledger.inScope(url), let template = await notFound.template(for: url) else { return false }
        try Task.checkCancellation()
        return template.matches(NotFoundPage.Fingerprint(title: page.title, text: text))
    }

    /// Follows a homepage that is only a redirect page (meta refresh, `location.href=` in a
    /// tiny page) to the page it sends visitors to, a bounded number of hops, never in a
    /// circle; the hops are kept as redirects.
    func followRedirectPages(_ outcome: Result<CrawlResponse, CrawlFailure>) async throws -> Result<CrawlResponse, CrawlFailure> {
        guard case .success(var response) = outcome else { return outcome }
        var visited = Set(response.redirects + [response.finalURL])
        for _ in 0..<configuration.fetch.maximumRedirectPageHops {
            guard response.status == 200, Self.isHTML(response),
                let target = RedirectPage.target(bytes: response.body, contentType: response.contentType, url: response.finalURL),
                visited.insert(target).inserted
            else { break }
            let next = try await fetcher.get(target, bodyLimit: configuration.maximumPageBytes)
            guard case .success(var landed) = next else { return next }
            landed.redirects = response.redirects + [response.finalURL] + landed.redirects
            visited.formUnion(landed.redirects)
            response = landed
        }
        return .success(response)
    }

    private func apply(_ outcome: Result<CrawlResponse, CrawlFailure>, to result: inout CrawlURLEntry) {
        switch outcome {
        case .success(let response):
            result.status = response.status
            result.finalURL = response.finalURL.description
            result.etag = response.etag
            result.lastModified = response.lastModified
            // A host that kept throttling could not be read: said so, with its status, and
            // never taken for a broken link (`LinkEvidence.isBroken`).
            result.error =
                FetchPolicy.classify(status: response.status) == .rateLimited ? FetchPolicy.reason(status: response.status) : nil
        case .failure(let failure):
            result.status = failure.status
            result.finalURL = failure.finalURL?.description
            result.error = failure.reason
        }
    }

    private func attachmentRecord(_ response: CrawlResponse) async throws -> PageRecord? {
        let body = response.body
        let name = (response.finalURL.path.split(separator: "/").last.map(String.init) ?? "attachment")
            .removingPercentEncoding ?? "attachment"
        // Text extraction may run external converters (pdftotext, catdoc): off the cooperative pool.
        let sections: [TextSection]? = try? await NIOThreadPool.singleton.runIfActive {
            try DocumentTextExtractor(toolTimeout: 30).extract(data: Data(body), fileName: name)
        }
        guard let sections else { return nil }
        var record = PageRecord()
        record.title = name
        record.sections = sections.map { PageRecord.Section(label: $0.label, text: $0.text) }
        return record
    }

    static func isHTML(_ response: CrawlResponse) -> Bool {
        if let type = response.contentType?.lowercased() {
            if type.contains("html") { return true }
            if !type.hasPrefix("text/plain") && !type.contains("octet-stream") { return false }
        }
        let head = String(decoding: response.body.prefix(512), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<!doctype html")
    }

    static func isDocument(_ response: CrawlResponse) -> Bool {
        let type = response.contentType?.lowercased() ?? ""
        if type.contains("pdf") || type.contains("msword") || type.contains("officedocument") || type.contains("ms-excel")
            || type.contains("wps") || type.hasPrefix("text/plain")
        {
            return true
        }
        let ext = response.finalURL.pathExtension ?? ""
        return ["pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "txt"].contains(ext)
    }
}
