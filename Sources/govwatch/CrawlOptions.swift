import ArgumentParser
import GovWatchInspection
import GovWatchStore

/// How a process crawls, for `inspect` and `worker` alike. Each option overrides its key of
/// the configuration (`crawl.*`); an option not given leaves the file's or the default value.
struct CrawlOptions: ParsableArguments {
    @Option(help: "HTTP 代理，如 http://127.0.0.1:8080（配置项 crawl.proxy）")
    var proxy: String?

    @Option(name: .customLong("max-pages"), help: "每个网站最多抓取的页面数（默认 5000；配置项 crawl.max_pages）")
    var maxPages: Int?

    @Option(help: "同时进行的请求数（本进程所有网站合计；默认 16；配置项 crawl.concurrency）")
    var concurrency: Int?

    @Option(name: .customLong("sites-at-once"), help: "同时检查的网站数（默认 4；配置项 crawl.sites_at_once）")
    var sitesAtOnce: Int?

    @Flag(name: .customLong("ignore-robots"), help: "不遵守 robots.txt（监管检查时可用；配置项 crawl.obey_robots）")
    var ignoreRobots = false

    @Option(name: .customLong("per-host-rate"), help: "对同一主机每秒最多发出的请求数（默认 10；robots.txt 的 Crawl-delay 和服务器的 Retry-After 只会让它更慢；配置项 crawl.per_host_rate）")
    var perHostRate: Double?

    @Option(name: .customLong("per-host-connections"), help: "对同一主机同时进行的请求数（默认 2；配置项 crawl.per_host_connections）")
    var perHostConnections: Int?

    @Option(help: "写入 User-Agent 的联系方式（邮箱或网址），便于网站运维人员联系检查方（配置项 crawl.contact）")
    var contact: String?

    @Flag(name: .customLong("no-autothrottle"), help: "不按服务器响应快慢自动放慢请求，始终以 --per-host-rate 的速率抓取（配置项 crawl.autothrottle）")
    var noAutothrottle = false

    func validate() throws {
        if let perHostRate { guard perHostRate > 0, perHostRate.isFinite else { throw ValidationError("--per-host-rate 应为大于 0 的数") } }
        if let perHostConnections { guard perHostConnections >= 1 else { throw ValidationError("--per-host-connections 应至少为 1") } }
    }

    /// These options applied over the configuration's `crawl.*` keys.
    func apply(to configuration: inout GovWatchConfiguration) throws(ConfigurationError) {
        try configuration.override("crawl.proxy", flag: "--proxy", with: proxy)
        try configuration.override("crawl.max_pages", flag: "--max-pages", with: maxPages.map(String.init))
        try configuration.override("crawl.concurrency", flag: "--concurrency", with: concurrency.map(String.init))
        try configuration.override("crawl.sites_at_once", flag: "--sites-at-once", with: sitesAtOnce.map(String.init))
        try configuration.override("crawl.obey_robots", flag: "--ignore-robots", present: ignoreRobots, meaning: false)
        try configuration.override("crawl.per_host_rate", flag: "--per-host-rate", with: perHostRate.map { String($0) })
        try configuration.override("crawl.per_host_connections", flag: "--per-host-connections", with: perHostConnections.map(String.init))
        try configuration.override("crawl.contact", flag: "--contact", with: contact)
        try configuration.override("crawl.autothrottle", flag: "--no-autothrottle", present: noAutothrottle, meaning: false)
    }
}

extension GovWatchConfiguration {
    /// The crawler's settings: the defaults with the `crawl.*` keys applied.
    var crawl: CrawlConfiguration {
        var crawl = CrawlConfiguration()
        crawl.proxy = string("crawl.proxy")
        crawl.maximumPages = integer("crawl.max_pages")
        crawl.maximumDepth = integer("crawl.max_depth")
        crawl.concurrency = max(1, integer("crawl.concurrency"))
        crawl.obeyRobots = boolean("crawl.obey_robots")
        crawl.perHostConcurrency = max(1, integer("crawl.per_host_connections"))
        crawl.perHostDelay = .nanoseconds(Int64((1e9 / number("crawl.per_host_rate")).rounded()))
        crawl.autoThrottle.enabled = boolean("crawl.autothrottle")
        crawl.fetch.contact = string("crawl.contact")
        crawl.connectTimeout = Self.duration(number("crawl.connect_timeout_seconds"))
        crawl.firstByteTimeout = Self.duration(number("crawl.first_byte_timeout_seconds"))
        crawl.responseTimeout = Self.duration(number("crawl.response_timeout_seconds"))
        crawl.maximumPageBytes = integer("crawl.max_page_bytes")
        return crawl
    }

    /// Sites inspected at once (`crawl.sites_at_once`).
    var sitesAtOnce: Int { max(1, integer("crawl.sites_at_once")) }

    static func duration(_ seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// Runs `body` with a crawler of these settings storing its state in `store`, and stops
    /// the crawler's HTTP client afterwards, whether `body` throws or not.
    func withCrawler<T>(
        store: Store, progress: (@Sendable (CrawlProgress) -> Void)? = nil, _ body: (CrawlingSiteEvidenceSource) async throws -> T
    ) async throws -> T {
        let crawler = try CrawlingSiteEvidenceSource(store: store, configuration: crawl, progress: progress)
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
