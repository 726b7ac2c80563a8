import AsyncHTTPClient
import Foundation
import GovWatchStore

extension InspectionWorker {
    /// Runs a worker until cancelled, with its own HTTP client and crawler of `crawl`
    /// (proxy, page limit, politeness), both shut down when it ends: how `govwatch serve`
    /// takes the inspections started from the web (`POST /api/v1/runs`) beside any
    /// `govwatch worker` process on the same database.
    public static func runWithOwnClients(
        store: Store, crawl: CrawlConfiguration, webhook: TicketWebhook?, lanes: Int,
        log: @escaping @Sendable (String) -> Void
    ) async throws {
        let client = try InspectionHTTPClient.make(proxy: crawl.proxy, policy: crawl.fetch)
        let crawler: CrawlingSiteEvidenceSource
        do {
            crawler = try CrawlingSiteEvidenceSource(store: store, configuration: crawl)
        } catch {
            try? await client.shutdown()
            throw error
        }
        do {
            let http = try SimpleHTTP(client: client, proxy: crawl.proxy, policy: crawl.fetch)
            let runner = InspectionRunner(store: store, sites: crawler, accounts: AccountEvidenceBuilder(http: http))
            let worker = InspectionWorker(store: store, runner: runner, webhook: webhook, lanes: lanes)
            try await worker.run(exitWhenIdle: false, log: log)
        } catch {
            try? await crawler.shutdown()
            try? await client.shutdown()
            throw error
        }
        try? await crawler.shutdown()
        try? await client.shutdown()
    }
}
