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

    @Option(name: .customLong("per-host-rate"), help: "对同一主机每秒最多发出的请求数（默认 10；robots.txt 的 Crawl-delay 和服务器的 Retry-After 只会让它更慢）")
    var perHostRate = 10.0

    @Option(name: .customLong("per-host-connections"), help: "对同一主机同时进行的请求数（默认 2）")
    var perHostConnections = 2

    @Option(help: "写入 User-Agent 的联系方式（邮箱或网址），便于网站运维人员联系检查方")
    var contact: String?

    @Flag(name: .customLong("no-autothrottle"), help: "不按服务器响应快慢自动放慢请求，始终以 --per-host-rate 的速率抓取")
    var noAutothrottle = false

    func validate() throws {
        guard perHostRate > 0, perHostRate.isFinite else { throw ValidationError("--per-host-rate 应为大于 0 的数") }
        guard perHostConnections >= 1 else { throw ValidationError("--per-host-connections 应至少为 1") }
    }

    /// The crawler's settings: the defaults with these options applied.
    var configuration: CrawlConfiguration {
        var crawl = CrawlConfiguration()
        crawl.proxy = proxy
        crawl.maximumPages = maxPages
        crawl.concurrency = max(1, concurrency)
        crawl.obeyRobots = !ignoreRobots
        crawl.perHostConcurrency = max(1, perHostConnections)
        crawl.perHostDelay = .nanoseconds(Int64((1e9 / perHostRate).rounded()))
        crawl.autoThrottle.enabled = !noAutothrottle
        crawl.fetch.contact = contact
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
