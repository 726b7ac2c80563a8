import Foundation
import GovWatchCore
import GovWatchStore

/// The production `SiteEvidenceSource`: crawls each site with `WebsiteCrawler`, keeping the
/// crawl state in the store under `runCode/siteCode`, so an interrupted inspection that is
/// resumed (same run) continues each crawl where it stopped. Newly discovered columns are
/// recorded in the registry as `discovered` for an administrator to confirm.
public final class CrawlingSiteEvidenceSource: SiteEvidenceSource {
    public let store: Store
    public let crawler: WebsiteCrawler
    private let progress: (@Sendable (CrawlProgress) -> Void)?

    /// - Parameters:
    ///   - configuration: crawl limits and manners (its `proxy` is used for every request).
    ///   - progress: progress of each site's crawl (e.g. a status line on a terminal).
    /// - Throws: `InspectionHTTPClient.InvalidProxy` for a malformed proxy.
    public init(store: Store, configuration: CrawlConfiguration, progress: (@Sendable (CrawlProgress) -> Void)? = nil) throws {
        self.store = store
        self.crawler = try WebsiteCrawler(configuration: configuration)
        self.progress = progress
    }

    /// Stops the crawler's HTTP client; call once when the inspection is over.
    public func shutdown() async throws {
        try await crawler.shutdown()
    }

    /// The defaults with `--proxy` and `--max-pages` (nil: 5,000) applied.
    public convenience init(store: Store, proxy: String?, maxPages: Int?, concurrency: Int? = nil) throws {
        var configuration = CrawlConfiguration()
        configuration.proxy = proxy
        if let maxPages { configuration.maximumPages = maxPages }
        if let concurrency { configuration.concurrency = max(1, concurrency) }
        try self.init(store: store, configuration: configuration)
    }

    public func evidence(for site: SiteRecord, columns: [ColumnRecord], asOf: Date, runCode: String) async throws -> SiteEvidence {
        try await crawledEvidence(for: site, columns: columns, asOf: asOf, runCode: runCode, scanner: nil)
    }

    public func evidence(for site: SiteRecord, columns: [ColumnRecord], asOf: Date, runCode: String, scanner: ContentScanner)
        async throws -> SiteEvidence
    {
        try await crawledEvidence(for: site, columns: columns, asOf: asOf, runCode: runCode, scanner: scanner)
    }

    private func crawledEvidence(for site: SiteRecord, columns: [ColumnRecord], asOf: Date, runCode: String, scanner: ContentScanner?)
        async throws -> SiteEvidence
    {
        // Columns the crawler recorded earlier are not authoritative: keep them apart.
        let stored = try await store.siteColumns(siteCode: site.code)
        let discoveredURLs = Set(stored.discovered.map(\.url))
        let imported = columns.filter { !discoveredURLs.contains($0.url) }
        let discovered = columns.filter { discoveredURLs.contains($0.url) }
        let result = try await crawler.crawl(
            site: site, columns: imported, discoveredColumns: discovered, asOf: asOf, store: store,
            sessionKey: "\(runCode)/\(site.code)", progress: progress, scanner: scanner)
        if !result.discoveredColumns.isEmpty {
            try await store.recordDiscoveredColumns(result.discoveredColumns, siteCode: site.code)
        }
        return result.evidence
    }
}
