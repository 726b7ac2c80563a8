import Foundation
import GovWatchInspection
import GovWatchStore
import Logging
import ServiceLifecycle

/// The inspection worker `govwatch serve` runs beside the web server: it takes the
/// inspections started from the web (`POST /api/v1/runs`), which are queued, not run inside
/// the request.
///
/// Why queued: the request answers at once (202) with the run's code; the crawl, which can
/// take hours, outlives the request and survives a restart of `serve` (a task's lease
/// expires and the next worker resumes the site's crawl from the stored frontier); several
/// `serve` processes on one PostgreSQL database, and any `govwatch worker`, split the sites
/// between them instead of each crawling the same city; and the run's progress is in the
/// database for every process's pages. It is the same path as `govwatch inspect --queue`.
public struct InspectionWorkerService: Service {
    public var store: Store
    public var crawl: CrawlConfiguration
    /// Sites inspected at the same time by this process.
    public var lanes: Int
    public var logger: Logger

    public init(store: Store, crawl: CrawlConfiguration = CrawlConfiguration(), lanes: Int = 2, logger: Logger) {
        self.store = store
        self.crawl = crawl
        self.lanes = lanes
        self.logger = logger
    }

    public func run() async throws {
        let webhook = try TicketWebhook.configured(option: nil)
        let logger = logger
        do {
            try await cancelWhenGracefulShutdown {
                try await InspectionWorker.runWithOwnClients(
                    store: store, crawl: crawl, webhook: webhook, lanes: max(1, lanes), log: { logger.info("\($0)") })
            }
        } catch is CancellationError {
            // Shutting down: a task in progress keeps its stored state and is resumed later.
        }
    }
}
