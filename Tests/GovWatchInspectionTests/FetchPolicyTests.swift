import Foundation
import GovWatchCore
import GovWatchPage
import GovWatchSampleCity
import GovWatchStore
import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Testing

@testable import GovWatchInspection

/// One fetch policy for the crawler, the prober, the feed poller and `extract URL`: the
/// same classification of statuses, the same manners towards a government server.
@Suite("Fetch policy and politeness")
struct FetchPolicyTests {
    static let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!

    static func site(_ base: String) -> SiteRecord {
        SiteRecord(code: "4301000001", name: "测试市人民政府", url: base + "/", kind: .portal, unit: "测试市人民政府办公室")
    }

    /// A loopback crawl's configuration: short timeouts, no politeness delay unless asked.
    static func configuration() -> CrawlConfiguration {
        var configuration = CrawlerTestSupport.configuration(proxy: nil)
        configuration.perHostConcurrency = 2
        configuration.autoThrottle.enabled = false
        return configuration
    }

    /// Crawls `base` in memory; returns the evidence and every stored row.
    static func crawl(_ base: String, configuration: CrawlConfiguration = configuration(), crawler: WebsiteCrawler? = nil)
        async throws -> (evidence: SiteEvidence, rows: [String: CrawlURLEntry])
    {
        let crawler = try crawler ?? WebsiteCrawler(configuration: configuration)
        let state = MemoryCrawlState()
        let result = try await crawler.crawl(site: site(base), columns: [], asOf: asOf, state: state, progress: nil)
        let rows = try await state.results(afterID: 0, limit: 10_000)
        try await crawler.shutdown()
        return (result.evidence, Dictionary(rows.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    // MARK: - One classification

    @Test("statuses: 429 and 503 are rate limiting, never broken links; 403/404/410/4xx/5xx are")
    func classification() {
        #expect(FetchPolicy.classify(status: 200) == .loaded)
        #expect(FetchPolicy.classify(status: 304) == .notModified)
        #expect(FetchPolicy.classify(status: 301) == .redirect)
        #expect(FetchPolicy.classify(status: 429) == .rateLimited)
        #expect(FetchPolicy.classify(status: 503) == .rateLimited)
        #expect(FetchPolicy.classify(status: 403) == .forbidden)
        #expect(FetchPolicy.classify(status: 410) == .notFound)
        #expect(FetchPolicy.classify(status: 502) == .serverError)
        for status in [429, 503] {
            #expect(!FetchPolicy.classify(status: status).isBrokenLink)
            #expect(FetchPolicy.classify(status: status).retryable)
            #expect(FetchPolicy.reason(status: status)?.contains("HTTP \(status)") == true)
            let link = LinkEvidence(url: "http://a.gov.cn/x", kind: .page, external: false, status: status,
                                    error: FetchPolicy.reason(status: status), referrers: [], onHomepage: true)
            #expect(!link.isBroken)
        }
        for status in [403, 404, 410, 400, 500, 502] {
            #expect(FetchPolicy.classify(status: status).isBrokenLink)
            let link = LinkEvidence(url: "http://a.gov.cn/x", kind: .page, external: false, status: status,
                                    error: nil, referrers: [], onHomepage: true)
            #expect(link.isBroken)
        }
        // The prober's rule: a live server refusing (403) or throttling (429) answered; a 5xx did not.
        #expect(Prober.answers(status: 403) && Prober.answers(status: 429) && Prober.answers(status: 200))
        #expect(!Prober.answers(status: 503) && !Prober.answers(status: 500) && !Prober.answers(status: 404))
    }

    @Test("Retry-After in seconds and as an HTTP date")
    func retryAfter() {
        #expect(FetchPolicy.retryAfter("2") == .seconds(2))
        #expect(FetchPolicy.retryAfter(" 0 ") == .zero)
        #expect(FetchPolicy.retryAfter("-1") == nil)
        let now = Date(timeIntervalSince1970: 1_648_000_000)  // Wed, 23 Mar 2022 01:46:40 GMT
        #expect(FetchPolicy.retryAfter("Wed, 23 Mar 2022 01:46:45 GMT", now: now) == .seconds(5))
        #expect(FetchPolicy.retryAfter("Wed, 23 Mar 2022 01:40:00 GMT", now: now) == .zero)
        #expect(FetchPolicy.retryAfter("soon") == nil)
    }

    @Test("the User-Agent names GovWatch and the configured contact")
    func userAgent() {
        var policy = FetchPolicy()
        #expect(policy.userAgent == "GovWatch/1.0 (+政府网站与政务新媒体监管)")
        policy.contact = "jiancha@hongxi.gov.cn"
        #expect(policy.userAgent == "GovWatch/1.0 (+政府网站与政务新媒体监管; contact: jiancha@hongxi.gov.cn)")
    }

    @Test("prober and crawler classify the same answers of the same server the same way")
    func proberAndCrawlerAgree() async throws {
        let server = try await ScriptedSite.start { request in
            switch request.path {
            case "/ok.html": .html("<html><head><title>首页</title></head><body>正常</body></html>")
            case "/moved.html": .redirect("/ok.html", status: 301)
            case "/forbidden.html": .plain(403)
            case "/gone.html": .plain(410)
            case "/missing.html": .plain(404)
            case "/error.html": .plain(500)
            case "/busy.html": .plain(429, headers: [("Retry-After", "0")])
            case "/down.html": .plain(503, headers: [("Retry-After", "0")])
            default: .plain(404)
            }
        }
        let client = try InspectionHTTPClient.make(proxy: nil)
        var configuration = Self.configuration()
        configuration.maximumRetries = 1
        let fetcher = try CrawlFetcher(configuration: configuration, client: client)
        let prober = Prober(http: try SimpleHTTP(client: client, proxy: nil), timeout: .seconds(5))
        // Path → the one class, whether the homepage counts as up, whether a link to it is broken.
        let expected: [(String, FetchPolicy.ResponseClass, up: Bool, broken: Bool)] = [
            ("/ok.html", .loaded, true, false), ("/moved.html", .loaded, true, false),
            ("/forbidden.html", .forbidden, true, true), ("/gone.html", .notFound, false, true),
            ("/missing.html", .notFound, false, true), ("/error.html", .serverError, false, true),
            // Throttled: not broken; a probe answered 429 reached a live server, one answered
            // 503 counts as down (site.unreachable counts 5xx).
            ("/busy.html", .rateLimited, true, false), ("/down.html", .rateLimited, false, false),
        ]
        for (path, responseClass, up, broken) in expected {
            let probe = await prober.probe(siteCode: "4301000001", url: server.base + path, at: Self.asOf)
            let fetched = try await fetcher.get(NormalizedURL(server.base + path)!, bodyLimit: 1 << 20)
            guard case .success(let response) = fetched, let status = probe.status else {
                Issue.record("\(path): no answer")
                continue
            }
            #expect(status == response.status, "\(path)")
            #expect(FetchPolicy.classify(status: status) == responseClass, "\(path)")
            #expect(FetchPolicy.classify(status: response.status) == responseClass, "\(path)")
            #expect(FetchPolicy.reason(status: status) == FetchPolicy.reason(status: response.status), "\(path)")
            #expect(probe.ok == up, "\(path)")
            #expect(responseClass.isBrokenLink == broken, "\(path)")
        }
        try await fetcher.shutdown()
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test("on the sample city's fixture server too: the prober and the crawler see the same status, class and reason")
    func proberAndCrawlerAgreeOnTheCity() async throws {
        let city = SampleCity.standard
        let server = try await FixtureServer.start(city: city)
        let client = try InspectionHTTPClient.make(proxy: server.proxyURL)
        var configuration = Self.configuration()
        configuration.proxy = server.proxyURL
        let fetcher = try CrawlFetcher(configuration: configuration, client: client)
        let prober = Prober(http: try SimpleHTTP(client: client, proxy: server.proxyURL), timeout: .seconds(5))
        let site = try #require(city.sites.first)
        let hostile = try #require(city.hostileEndpoints.first { $0.kind == .redirectLoop })
        for url in [site.url, site.url + "no-such-page-2022.html", "http://unregistered.example.gov.cn/", hostile.url] {
            let probe = await prober.probe(siteCode: site.code, url: url, at: Self.asOf)
            let fetched = try await fetcher.get(NormalizedURL(url)!, bodyLimit: 1 << 20)
            switch fetched {
            case .success(let response):
                #expect(probe.status == response.status, "\(url)")
                #expect(FetchPolicy.classify(status: probe.status ?? 0) == FetchPolicy.classify(status: response.status), "\(url)")
                #expect(probe.ok == Prober.answers(status: response.status), "\(url)")
            case .failure(let failure):
                // The redirect loop: both give up with the same words.
                #expect(!probe.ok, "\(url)")
                #expect(probe.error == failure.reason, "\(url)")
            }
        }
        try await fetcher.shutdown()
        try await client.shutdown()
        try await server.shutdown()
    }

    // MARK: - Politeness

    @Test("AutoThrottle: the delay follows latency / target, bounded by the floor and the maximum; errors never speed it up")
    func autoThrottle() {
        var throttle = AutoThrottle()
        throttle.targetConcurrency = 2
        throttle.maximumDelay = .seconds(10)
        let floor = Duration.milliseconds(100)
        // A 2 s answer: target 1 s; from 100 ms the delay moves half way, but not below the target.
        #expect(throttle.nextDelay(current: .milliseconds(100), latency: .seconds(2), status: 200, floor: floor) == .seconds(1))
        // A fast server: the mean of current and target, never below the configured rate's delay.
        #expect(throttle.nextDelay(current: .seconds(1), latency: .milliseconds(200), status: 200, floor: floor) == .milliseconds(550))
        #expect(throttle.nextDelay(current: .milliseconds(120), latency: .milliseconds(2), status: 200, floor: floor) == floor)
        // A very slow server: capped.
        #expect(throttle.nextDelay(current: .seconds(8), latency: .seconds(60), status: 200, floor: floor) == .seconds(10))
        // A fast error page does not speed the host up; a slow one slows it down.
        #expect(throttle.nextDelay(current: .seconds(1), latency: .milliseconds(10), status: 500, floor: floor) == .seconds(1))
        #expect(throttle.nextDelay(current: .seconds(1), latency: .milliseconds(10), status: nil, floor: floor) == .seconds(1))
        #expect(throttle.nextDelay(current: .milliseconds(200), latency: .seconds(4), status: nil, floor: floor) == .seconds(2))
        // Switched off: the floor only.
        throttle.enabled = false
        #expect(throttle.nextDelay(current: floor, latency: .seconds(4), status: 200, floor: floor) == floor)
    }

    @Test("the gate slows a slow host down (AutoThrottle) and pauses it for Retry-After")
    func gateThrottles() async throws {
        var throttle = AutoThrottle()
        throttle.targetConcurrency = 1
        let gate = PolitenessGate(perHostLimit: 2, delay: .milliseconds(10), autoThrottle: throttle)
        gate.observe("slow.gov.cn", latency: .seconds(3), status: 200)
        #expect(gate.delay(for: "slow.gov.cn") == .seconds(3))
        gate.observe("fast.gov.cn", latency: .milliseconds(1), status: 200)
        #expect(gate.delay(for: "fast.gov.cn") == .milliseconds(10))
        // Crawl-delay raises the floor; a fast host stays at it.
        gate.setDelay(.milliseconds(500), for: "fast.gov.cn")
        gate.observe("fast.gov.cn", latency: .milliseconds(1), status: 200)
        #expect(gate.delay(for: "fast.gov.cn") == .milliseconds(500))
        // A pause: the next start is at least the pause away.
        let starts = NIOLockedValueBox<[ContinuousClock.Instant]>([])
        gate.observeStarts { _, start in starts.withLockedValue { $0.append(start) } }
        let paused = ContinuousClock.now
        gate.pause("paused.gov.cn", for: .milliseconds(300))
        try await gate.acquire("paused.gov.cn")
        gate.release("paused.gov.cn")
        let first = try #require(starts.withLockedValue { $0.first })
        #expect(first - paused >= .milliseconds(300))
    }

    @Test("429 with Retry-After: the crawler waits as asked, then reads the page")
    func retryAfterHonoured() async throws {
        let server = try await ScriptedSite.start { request in
            switch request.path {
            case "/": .html(#"<html><head><title>测试市人民政府</title></head><body><a href="/news/a.html">新闻</a></body></html>"#)
            case "/news/a.html" where request.earlier == 0: .plain(429, headers: [("Retry-After", "1")])
            case "/news/a.html": .html("<html><head><title>新闻</title></head><body><p>正文</p></body></html>")
            default: .plain(404)
            }
        }
        var configuration = Self.configuration()
        configuration.retryBackoff = .milliseconds(10)
        let (evidence, rows) = try await Self.crawl(server.base, configuration: configuration)
        let asked = server.requests("/news/a.html")
        #expect(asked.count == 2)
        // The server's own clock: the second request came at least Retry-After after the first.
        if asked.count == 2 { #expect(asked[1].received - asked[0].received >= .seconds(1)) }
        #expect(rows[server.base + "/news/a.html"]?.status == 200)
        #expect(rows[server.base + "/news/a.html"]?.error == nil)
        #expect(!evidence.links.contains { $0.isBroken })
        try await server.shutdown()
    }

    @Test("a host that keeps answering 503 is recorded as such, in Chinese, and is not a broken link")
    func persistent503() async throws {
        let server = try await ScriptedSite.start { request in
            switch request.path {
            case "/": .html(#"<html><head><title>测试市人民政府</title></head><body><a href="/xxgk/index.html">信息公开</a><a href="/missing.html">旧链接</a></body></html>"#)
            case "/xxgk/index.html": .plain(503, headers: [("Retry-After", "0")])
            default: .plain(404)
            }
        }
        var configuration = Self.configuration()
        configuration.maximumRetries = 2
        configuration.retryBackoff = .milliseconds(10)
        let (evidence, rows) = try await Self.crawl(server.base, configuration: configuration)
        #expect(server.requests("/xxgk/index.html").count == 3)
        let row = try #require(rows[server.base + "/xxgk/index.html"])
        #expect(row.status == 503)
        #expect(row.error == "服务器持续暂时不可用（HTTP 503），未能读取")
        let busy = evidence.links.first { $0.url == server.base + "/xxgk/index.html" }
        #expect(busy.map { !$0.isBroken } ?? true)
        // The 404 next to it is still a broken link.
        #expect(evidence.links.contains { $0.url == server.base + "/missing.html" && $0.isBroken })
        let findings = SiteLinksBroken.check(
            site: evidence.target, links: evidence.links, homepageURL: server.base + "/", indicators: .national2019)
        #expect(findings.map { $0.detail["link"] } == [.string(server.base + "/missing.html")])
        try await server.shutdown()
    }

    @Test("robots.txt Crawl-delay spaces the requests to a host, in the order the server receives them")
    func crawlDelay() async throws {
        let pages = (1...4).map { "/news/\($0).html" }
        let server = try await ScriptedSite.start { request in
            switch request.path {
            case "/robots.txt": ScriptedSite.Reply(headers: [("Content-Type", "text/plain")], body: "User-agent: *\nCrawl-delay: 0.4\nDisallow: /private/\n")
            case "/": .html("<html><head><title>测试市人民政府</title></head><body>" + pages.map { "<a href=\"\($0)\">新闻</a>" }.joined() + "</body></html>")
            case let path where pages.contains(path): .html("<html><head><title>新闻</title></head><body><p>正文</p></body></html>")
            default: .plain(404)
            }
        }
        var configuration = Self.configuration()
        configuration.detectSoft404 = false
        let crawler = try WebsiteCrawler(configuration: configuration)
        let starts = NIOLockedValueBox<[(String, ContinuousClock.Instant)]>([])
        crawler.fetcher.gate.observeStarts { host, start in starts.withLockedValue { $0.append((host, start)) } }
        _ = try await Self.crawl(server.base, crawler: crawler)
        let host = "127.0.0.1:\(server.port)"
        let scheduled = starts.withLockedValue { $0 }.filter { $0.0 == host }.map(\.1).sorted()
        // robots.txt first, then the homepage and the four pages, each start 0.4 s after the last.
        #expect(scheduled.count == 6)
        for (earlier, later) in zip(scheduled.dropFirst(), scheduled.dropFirst(2)) {
            #expect(later - earlier >= .milliseconds(400))
        }
        // The server saw robots.txt before anything else, and every page once.
        let received = server.requests.map(\.path)
        #expect(received.first == "/robots.txt")
        #expect(Set(received.dropFirst()) == Set(["/"] + pages))
        try await server.shutdown()
    }

    @Test("every request carries the GovWatch User-Agent with the contact")
    func userAgentSent() async throws {
        let server = try await ScriptedSite.start { request in
            request.path == "/" ? .html("<html><head><title>测试</title></head><body>首页</body></html>") : .plain(404)
        }
        var configuration = Self.configuration()
        configuration.fetch.contact = "wzjc@hongxi.gov.cn"
        _ = try await Self.crawl(server.base, configuration: configuration)
        let agents = Set(server.requests.compactMap { $0.headers.first(name: "User-Agent") })
        #expect(agents == ["GovWatch/1.0 (+政府网站与政务新媒体监管; contact: wzjc@hongxi.gov.cn)"])
        try await server.shutdown()
    }
}
