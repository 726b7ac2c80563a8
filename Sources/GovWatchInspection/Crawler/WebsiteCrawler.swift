import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchPage
import GovWatchStore

/// What crawling one site produced.
public struct SiteCrawlResult: Sendable {
    /// The evidence for the site checks; `probes` and `alternateHosts` are left for the caller.
    public var evidence: SiteEvidence
    /// Column list pages found from the homepage that the registry does not list, with a
    /// guessed category, for an administrator to confirm (`Store.recordDiscoveredColumns`).
    public var discoveredColumns: [ColumnRecord]
    public var statistics: CrawlStatistics
}

/// Crawls government websites into `SiteEvidence`: the entry point of `govwatch inspect`.
///
/// ```swift
/// let crawler = try WebsiteCrawler(configuration: configuration)   // proxy, limits, robots
/// defer { try? await crawler.shutdown() }
/// let result = try await crawler.crawl(
///     site: site, columns: imported, asOf: asOf, store: store, sessionKey: "\(runCode)/\(site.code)")
/// ```
///
/// With a store, the frontier and every result are written as the crawl goes: calling
/// `crawl` again with the same `sessionKey` after a crash (even `kill -9`) continues where
/// it stopped, and calling it for a finished session reads the evidence back without
/// fetching. The newest finished crawl of the site supplies ETag/Last-Modified, so an
/// unchanged page costs a 304. Without a store the crawl lives in memory.
///
/// Cancelling the calling task stops the crawl promptly; what was committed stays.
public final class WebsiteCrawler: Sendable {
    public let configuration: CrawlConfiguration
    let fetcher: CrawlFetcher
    /// The content scanner that screens page texts while crawling, unless a crawl names its own.
    let scanner: ContentScanner

    /// - Parameters:
    ///   - configuration: limits, politeness, robots.txt, proxy.
    ///   - client: an HTTP client to share for HTTPS through a proxy (the caller shuts it
    ///     down; it should not follow redirects); by default the crawler makes its own with
    ///     the configuration's proxy and timeouts. Everything else goes through the crawler's
    ///     `HTTP1Transport`.
    ///   - scanner: screens each page's text as it is read, so only texts with a content
    ///     problem are kept (see `SiteEvidence.documents`); it should be the scanner the
    ///     content checks use. Default: `ContentScanner.standard()`.
    /// - Throws: `InspectionHTTPClient.InvalidProxy` for a malformed proxy.
    public init(configuration: CrawlConfiguration = CrawlConfiguration(), client: HTTPClient? = nil, scanner: ContentScanner? = nil) throws {
        self.configuration = configuration
        self.fetcher = try CrawlFetcher(configuration: configuration, client: client)
        self.scanner = try scanner ?? ContentScanner.standard()
    }

    /// Stops the HTTP client if the crawler made it. Call once, after the last crawl.
    public func shutdown() async throws {
        try await fetcher.shutdown()
    }

    public struct InvalidHomepage: Error, CustomStringConvertible {
        public var url: String
        public var description: String { "首页网址“\(url)”无效，应为 http(s) 网址" }
    }

    /// Crawls (or resumes, or reads back) one site.
    ///
    /// - Parameters:
    ///   - site: the registered site; its `url` is the homepage.
    ///   - columns: the site's imported columns (authoritative); their list pages are
    ///     crawled even when nothing links to them.
    ///   - asOf: the 监测时间点 (completes month-day list dates; copied into the evidence).
    ///   - store: where to keep the crawl state; nil keeps it in memory (not resumable).
    ///   - sessionKey: identifies this crawl in the store (e.g. run code + site code); the
    ///     same key resumes. Defaults to the site code and the as-of time.
    ///   - progress: called about four times a second and once at the end.
    ///   - discoveredColumns: columns earlier crawls discovered and recorded (not confirmed):
    ///     crawled like imported ones but marked `discovered` in the evidence.
    ///   - scanner: the content checks' scanner, when it is not the crawler's own.
    public func crawl(
        site: SiteRecord, columns: [ColumnRecord], discoveredColumns: [ColumnRecord] = [], asOf: Date, store: Store?,
        sessionKey: String? = nil, progress: (@Sendable (CrawlProgress) -> Void)? = nil, scanner: ContentScanner? = nil
    ) async throws -> SiteCrawlResult {
        let state: any CrawlStateStore
        if let store {
            state = DatabaseCrawlState(
                store: store, key: sessionKey ?? "\(site.code)@\(ChinaTime.iso8601(asOf))", siteCode: site.code, asOf: asOf)
        } else {
            state = MemoryCrawlState()
        }
        return try await crawl(
            site: site, columns: columns, discoveredColumns: discoveredColumns, asOf: asOf, state: state, progress: progress,
            scanner: scanner)
    }

    /// Crawls with an explicit state (tests reuse a `MemoryCrawlState` across crawls).
    func crawl(
        site: SiteRecord, columns: [ColumnRecord], discoveredColumns: [ColumnRecord] = [], asOf: Date,
        state: any CrawlStateStore, progress: (@Sendable (CrawlProgress) -> Void)?, scanner: ContentScanner? = nil
    ) async throws -> SiteCrawlResult {
        guard let homepage = NormalizedURL(site.url) else { throw InvalidHomepage(url: site.url) }
        let seeds = (columns + discoveredColumns).compactMap { NormalizedURL($0.url) }.filter { $0 != homepage }
        let analyzer = PageAnalyzer(asOf: asOf)
        let engine = CrawlEngine(
            site: site, homepage: homepage, columnSeeds: seeds, configuration: configuration, fetcher: fetcher,
            robots: RobotsCache(fetcher: fetcher),
            notFound: configuration.detectSoft404 ? NotFoundTemplates(fetcher: fetcher, analyzer: analyzer, homepage: homepage) : nil,
            state: state, analyzer: analyzer,
            scanner: scanner ?? self.scanner, progress: progress)
        let (scope, statistics) = try await engine.run()
        let builder = SiteEvidenceBuilder(
            site: site, asOf: asOf, columns: columns, knownDiscovered: discoveredColumns, homepage: homepage, scope: scope,
            pageLimit: configuration.maximumPages, depthLimit: configuration.maximumDepth)
        let (evidence, discovered) = try await builder.build(from: state)
        return SiteCrawlResult(evidence: evidence, discoveredColumns: discovered, statistics: statistics)
    }
}
