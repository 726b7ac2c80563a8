import Foundation
import GovWatchStore

/// Where a crawl keeps its frontier and results: the database (resumable, and the source of
/// conditional requests for the next crawl), or memory (tests, one-off crawls).
///
/// Rows are `CrawlURLEntry` values; the crawler only ever appends rows, then fills in their
/// results, and reads them back a slice at a time so memory stays flat.
protocol CrawlStateStore: Sendable {
    /// Opens the session: whether it already existed and whether it had finished.
    func open(settings: String) async throws -> (existed: Bool, finished: Bool)
    /// Rows after `afterID` in id order, without their records (rebuilding the seen-set, listing link results).
    func index(afterID: Int, limit: Int) async throws -> [CrawlURLEntry]
    /// Queued rows of `depth` after `afterID`, in id order.
    func queued(depth: Int, afterID: Int, limit: Int) async throws -> [CrawlURLEntry]
    /// The smallest depth with queued rows.
    func shallowestQueuedDepth() async throws -> Int?
    /// Results and new rows, atomically.
    func commit(results: [CrawlURLEntry], newURLs: [CrawlURLEntry]) async throws
    /// The previous crawl's result for `url` (validators for conditional requests).
    func previous(url: String) async throws -> CrawlURLEntry?
    /// Rows with results after `afterID`, in id order.
    func results(afterID: Int, limit: Int) async throws -> [CrawlURLEntry]
    /// This crawl's row for `url`, with its result (the evidence builder reads the pages it
    /// follows one by one instead of holding every row).
    func result(url: String) async throws -> CrawlURLEntry?
    /// Marks the crawl complete.
    func finish() async throws
}

/// Crawl state in the GovWatch database (see `Store+Crawl.swift`).
final class DatabaseCrawlState: CrawlStateStore {
    let store: Store
    let key: String
    let siteCode: String
    let asOf: Date
    private let session = SessionBox()

    init(store: Store, key: String, siteCode: String, asOf: Date) {
        self.store = store
        self.key = key
        self.siteCode = siteCode
        self.asOf = asOf
    }

    /// The session ids, set once by `open()`; behind a lock (not an actor) because every
    /// store call reads them.
    private final class SessionBox: @unchecked Sendable {
        private let lock = NSLock()
        private var ids: (id: Int?, previousID: Int?) = (nil, nil)
        var id: Int? { lock.withLock { ids.id } }
        var previousID: Int? { lock.withLock { ids.previousID } }
        func set(_ id: Int, previous: Int?) { lock.withLock { ids = (id, previous) } }
    }

    private func sessionID() throws -> Int {
        guard let id = session.id else { preconditionFailure("crawl state used before open()") }
        return id
    }

    func open(settings: String) async throws -> (existed: Bool, finished: Bool) {
        let (info, existed) = try await store.openCrawlSession(
            key: key, siteCode: siteCode, asOf: asOf, settings: settings, startedAt: Date())
        let previous = try await store.latestFinishedCrawlSession(siteCode: siteCode, excluding: info.id)
        session.set(info.id, previous: previous?.id)
        return (existed, info.isFinished)
    }

    func index(afterID: Int, limit: Int) async throws -> [CrawlURLEntry] {
        try await store.crawlURLIndex(session: sessionID(), afterID: afterID, limit: limit)
    }

    func queued(depth: Int, afterID: Int, limit: Int) async throws -> [CrawlURLEntry] {
        try await store.queuedCrawlURLs(session: sessionID(), depth: depth, afterID: afterID, limit: limit)
    }

    func shallowestQueuedDepth() async throws -> Int? {
        try await store.shallowestQueuedDepth(session: sessionID())
    }

    func commit(results: [CrawlURLEntry], newURLs: [CrawlURLEntry]) async throws {
        try await store.commitCrawlBatch(session: sessionID(), results: results, newURLs: newURLs)
    }

    func previous(url: String) async throws -> CrawlURLEntry? {
        guard let previous = session.previousID else { return nil }
        return try await store.crawlResult(session: previous, url: url)
    }

    func results(afterID: Int, limit: Int) async throws -> [CrawlURLEntry] {
        try await store.crawlResults(session: sessionID(), afterID: afterID, limit: limit)
    }

    func result(url: String) async throws -> CrawlURLEntry? {
        try await store.crawlResult(session: sessionID(), url: url)
    }

    func finish() async throws {
        try await store.finishCrawlSession(sessionID(), at: Date())
    }
}

/// Crawl state in memory. Keeps the previous crawl's rows when reused for a second crawl
/// (`restart()`), so conditional requests work without a database too.
actor MemoryCrawlState: CrawlStateStore {
    private var rows: [CrawlURLEntry] = []
    private var positions: [String: Int] = [:]
    private var finished = false
    private var opened = false
    private var previousRows: [String: CrawlURLEntry] = [:]

    init() {}

    /// Starts a new crawl, keeping the finished one's results as validators.
    func restart() {
        previousRows = Dictionary(rows.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        rows = []
        positions = [:]
        finished = false
        opened = false
    }

    func open(settings: String) async throws -> (existed: Bool, finished: Bool) {
        defer { opened = true }
        return (opened || !rows.isEmpty, finished)
    }

    func index(afterID: Int, limit: Int) async throws -> [CrawlURLEntry] {
        slice(afterID: afterID, limit: limit) { _ in true }.map { row in
            var light = row
            light.record = nil
            return light
        }
    }

    func queued(depth: Int, afterID: Int, limit: Int) async throws -> [CrawlURLEntry] {
        slice(afterID: afterID, limit: limit) { $0.state == "queued" && $0.depth == depth }
    }

    private func slice(afterID: Int, limit: Int, where include: (CrawlURLEntry) -> Bool) -> [CrawlURLEntry] {
        var result: [CrawlURLEntry] = []
        var index = max(0, afterID)  // ids are positions + 1
        while index < rows.count, result.count < limit {
            if include(rows[index]) { result.append(rows[index]) }
            index += 1
        }
        return result
    }

    func shallowestQueuedDepth() async throws -> Int? {
        rows.lazy.filter { $0.state == "queued" }.map(\.depth).min()
    }

    func commit(results: [CrawlURLEntry], newURLs: [CrawlURLEntry]) async throws {
        for result in results {
            guard let id = result.id, id >= 1, id <= rows.count else { continue }
            rows[id - 1] = result
        }
        for var entry in newURLs where positions[entry.url] == nil {
            entry.id = rows.count + 1
            positions[entry.url] = rows.count
            rows.append(entry)
        }
    }

    func previous(url: String) async throws -> CrawlURLEntry? { previousRows[url] }

    func results(afterID: Int, limit: Int) async throws -> [CrawlURLEntry] {
        slice(afterID: afterID, limit: limit) { _ in true }
    }

    func result(url: String) async throws -> CrawlURLEntry? {
        positions[url].map { rows[$0] }
    }

    func finish() async throws { finished = true }
}
