import ArgumentParser
import GovWatchInspection
import GovWatchStore

/// How a process crawls, for `inspect` and `worker` alike.
struct CrawlOptions: ParsableArguments {
    @Option(help: "HTTP 代理，如 http://127.0.0.1:8080")
    var proxy: String?

    @Option(name: .customLong("max-pages"), help: "每个网站最多抓取的页面数")
    var maxPages = 5_000

    @Option(help: "同时进行的请求数（本进程所有网站合计）")
    var concurrency = 16

    @Option(name: .customLong("sites-at-once"), help: "同时检查的网站数")
    var sitesAtOnce = 4

    @Flag(name: .customLong("ignore-robots"), help: "不遵守 robots.txt（监管检查时可用）")
    var ignoreRobots = false

    /// The crawler's settings: the defaults with these options applied.
    var configuration: CrawlConfiguration {
        var crawl = CrawlConfiguration()
        crawl.proxy = proxy
        crawl.maximumPages = maxPages
        crawl.concurrency = max(1, concurrency)
        crawl.obeyRobots = !ignoreRobots
        return crawl
    }
}

extension CrawlOptions {
    /// Runs `body` with a crawler of these options storing its state in `store`, and stops
    /// the crawler's HTTP client afterwards, whether `body` throws or not.
    func withCrawler<T>(
        store: Store, progress: (@Sendable (CrawlProgress) -> Void)? = nil, _ body: (CrawlingSiteEvidenceSource) async throws -> T
    ) async throws -> T {
        let crawler = try CrawlingSiteEvidenceSource(store: store, configuration: configuration, progress: progress)
        do {
            let result = try await body(crawler)
            try await crawler.shutdown()
            return result
        } catch {
            try? await crawler.shutdown()
            throw error
        }
    }
}
