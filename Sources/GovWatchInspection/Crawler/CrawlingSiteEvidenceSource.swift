import Foundation
import GovWatchCore
import GovWatchPage
import GovWatchStore
import Synchronization

/// The production `SiteEvidenceSource`: crawls each site with `WebsiteCrawler`, keeping the
/// crawl state in the store under `runCode/siteCode`, so an interrupted inspection that is
/// resumed (same run) continues each crawl where it stopped. Newly discovered columns are
/// recorded in the registry as `discovered` for an administrator to confirm.
public final class CrawlingSiteEvidenceSource: SiteEvidenceSource {
    public let store: Store
    public let crawler: WebsiteCrawler
    private let progress: (@Sendable (CrawlProgress) -> Void)?
    /// The registry's sites, read once per run: every department site needs its
    /// government's portal (`SiteEvidence.governmentDomain`).
    private let registry = Mutex<(run: String, sites: [SiteRecord])?>(nil)

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
        var evidence = result.evidence
        if evidence.governmentDomain == nil, site.kind == .department {
            evidence.governmentDomain = GovernmentDomain.governmentDomain(of: site, registry: try await registrySites(runCode))
        }
        if evidence.alternateHosts.isEmpty, !site.aliases.isEmpty {
            evidence.alternateHosts = try await servingAliases(of: site)
        }
        return evidence
    }

    private func registrySites(_ runCode: String) async throws -> [SiteRecord] {
        if let cached = registry.withLock({ $0 }), cached.run == runCode { return cached.sites }
        let sites = try await store.sites()
        registry.withLock { $0 = (runCode, sites) }
        return sites
    }

    /// The registered other domains of `site` that serve it: their homepage answers 2xx on
    /// a host other than the site's own, with a page of its own (a redirect to the main host
    /// — an HTTP redirect, or a 200 page that only sends the visitor on with a meta refresh
    /// or `location.href`, as many old and bare domains answer — is how an extra domain should
    /// be kept, and is not a second site address). One GET each, through the crawler's fetch
    /// policy; a domain that does not answer serves nothing.
    func servingAliases(of site: SiteRecord) async throws -> [String] {
        guard let main = GovernmentDomain.asciiHost(site.url) else { return [] }
        let scheme = site.url.lowercased().hasPrefix("https://") ? "https" : "http"
        var serving: [String] = []
        for alias in site.aliases where !GovernmentDomain.sameDomain(alias, main) {
            guard let url = NormalizedURL("\(scheme)://\(alias)/") else { continue }
            guard case .success(let response) = try await crawler.fetcher.get(url, bodyLimit: 64 << 10),
                (200..<300).contains(response.status),
                let final = GovernmentDomain.asciiHost(response.finalURL.description),
                !GovernmentDomain.sameDomain(final, main)
            else { continue }
            if RedirectPage.target(bytes: response.body, contentType: response.contentType, url: response.finalURL) != nil { continue }
            serving.append(alias)
        }
        return serving
    }
}
