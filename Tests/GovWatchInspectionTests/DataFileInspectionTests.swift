import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchStore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import GovWatchInspection

/// Values of the indicator set read by the inspection itself: the probe timeout, and the
/// evidence the domain rules need (the government's domain, the other domains that serve a site).
@Suite struct DataFileInspectionTests {
    static let sitesCSV = """
        网站标识码,网站名称,首页网址,网站类型,主办单位,上级单位,其他域名
        4390000001,鸿溪市人民政府,http://www.hongxi.gov.cn/,政府门户网站,鸿溪市人民政府办公室,鸿溪市人民政府,鸿溪市人民政府.政务 www.hongxi.cn hongxi-old.gov.cn dead.hongxi.cn hongxi.net.cn www.hongxi.org.cn
        4390000006,鸿溪市发展和改革委员会,http://fgw.qingshan.gov.cn/,部门网站,鸿溪市发展和改革委员会,鸿溪市人民政府,
        4390000007,鸿溪市农业农村局,http://nyncj.hongxi.gov.cn/,部门网站,鸿溪市农业农村局,鸿溪市人民政府,

        """

    static func set(timeoutSeconds: Double) throws -> IndicatorSet {
        var set = IndicatorSet.national2019
        set.indicators["site.unreachable"]?.thresholds?["timeoutSeconds"] = timeoutSeconds
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("indicators-\(UUID().uuidString).json")
        try JSONEncoder().encode(set).write(to: url)
        return try IndicatorSet.load(contentsOf: url)
    }

    /// The homepage answers only when the test releases it: with a 1 s timeout the probe has
    /// failed long before; with a 120 s timeout the same answer arrives in time. Nothing here
    /// depends on how fast the machine is.
    @Test func aProbeSlowerThanTheSetsTimeoutFails() async throws {
        let server = try await HeldHomepageServer.start()
        let proxy = "http://127.0.0.1:\(server.port)"
        let client = try InspectionHTTPClient.make(proxy: proxy)
        let (store, _) = try await CrawlerTestSupport.temporaryStore()
        do {
            _ = try await RegistryImporter.importFile(.sites, data: Data(Self.sitesCSV.utf8), file: "sites.csv", into: store)
            let http = try SimpleHTTP(client: client, proxy: proxy)
            let at = ChinaTime.parseMoment("2022-03-30T10:00:00")!

            #expect(Prober(http: http, indicators: try Self.set(timeoutSeconds: 3)).timeout == .seconds(3))
            #expect(Prober(http: http, indicators: .national2019).timeout == .seconds(15))

            let short = try await ProbeRound.run(
                codes: ["4390000001"], store: store, http: http, indicators: try Self.set(timeoutSeconds: 1), now: { at })
            #expect(short.map(\.probe.ok) == [false])
            #expect(short.first?.probe.error == "超时")

            let patient = Task {
                try await ProbeRound.run(
                    codes: ["4390000001"], store: store, http: http, indicators: try Self.set(timeoutSeconds: 120), now: { at })
            }
            await server.waitForRequests(2)
            server.release()
            let long = try await patient.value
            #expect(long.map(\.probe.ok) == [true])
            #expect(long.first?.probe.status == 200)
            // Both were stored, the failure first.
            let stored = try await store.probes(site: "4390000001", from: at.addingTimeInterval(-1), to: at.addingTimeInterval(1))
            #expect(Set(stored.map(\.ok)) == [true, false])
        } catch {
            server.release()
            await store.close()
            try? await client.shutdown()
            try? await server.shutdown()
            throw error
        }
        server.release()
        await store.close()
        try await client.shutdown()
        try await server.shutdown()
    }

    /// The crawler's evidence source fills what the domain rules need: the department's
    /// government domain from the registered portal of its parent, and those of the
    /// registered other domains that serve the site (not those that redirect to it or do not
    /// answer). The rules then fire, a .政务 domain beside the .gov.cn one being allowed.
    @Test func theDomainRulesGetTheirEvidenceFromTheRegistryAndTheOtherDomains() async throws {
        let home = "<html><head><title>鸿溪市人民政府</title></head><body><a href=\"/xwdt/\">新闻动态</a></body></html>"
        let site = try await TinySite.start([
            "http://www.hongxi.gov.cn/": .init(body: home),
            "http://xn--gmq658ainal6so7i63dgq4i.xn--zfr164b/": .init(body: home),
            "http://www.hongxi.cn/": .init(body: home),
            "http://hongxi-old.gov.cn/": .init(status: 301, body: "", headers: [("Location", "http://www.hongxi.gov.cn/")]),
            // Two real shapes of a domain kept only to send visitors on, answering 200: the
            // bare baidu.com's `<html><meta http-equiv="refresh" …></html>`, and a JSP index
            // that is nothing but `<script>window.location.href="…";</script>`.
            "http://hongxi.net.cn/": .init(body: "<html>\n<meta http-equiv=\"refresh\" content=\"0;url=http://www.hongxi.gov.cn/\">\n</html>\n"),
            "http://www.hongxi.org.cn/": .init(body: "\n\n<script>\nwindow.location.href=\"http://www.hongxi.gov.cn/\";\n</script>\n\n"),
            "http://fgw.qingshan.gov.cn/": .init(body: "<html><head><title>鸿溪市发展和改革委员会</title></head><body></body></html>"),
            "http://nyncj.hongxi.gov.cn/": .init(body: "<html><head><title>鸿溪市农业农村局</title></head><body></body></html>"),
        ])
        let (store, _) = try await CrawlerTestSupport.temporaryStore()
        let source = try CrawlingSiteEvidenceSource(store: store, configuration: CrawlerTestSupport.configuration(proxy: site.base))
        do {
            _ = try await RegistryImporter.importFile(.sites, data: Data(Self.sitesCSV.utf8), file: "sites.csv", into: store)
            let asOf = ChinaTime.parseMoment("2022-03-31", bareDayMeansEnd: true)!
            var rules: [String: [String]] = [:]
            var hosts: JSONValue?
            for record in try await store.sites() {
                let evidence = try await source.evidence(for: record, columns: [], asOf: asOf, runCode: "r-20220331-0001")
                let findings = SiteDomainNoncompliant.check(
                    site: record, alternateHosts: evidence.alternateHosts, governmentDomain: evidence.governmentDomain,
                    indicators: .national2019)
                rules[record.code] = findings.compactMap { $0.detail["rule"]?.stringValue }
                if record.code == "4390000001" {
                    #expect(evidence.alternateHosts == ["xn--gmq658ainal6so7i63dgq4i.xn--zfr164b", "www.hongxi.cn"])
                    #expect(evidence.governmentDomain == nil)
                    hosts = findings.first?.detail["hosts"]
                } else {
                    #expect(evidence.governmentDomain == "hongxi.gov.cn")
                }
            }
            #expect(rules == ["4390000001": ["several-domains"], "4390000006": ["outside-government-domain"], "4390000007": []])
            #expect(hosts == .array(["www.hongxi.gov.cn", "www.hongxi.cn", "xn--gmq658ainal6so7i63dgq4i.xn--zfr164b"]))
        } catch {
            try? await source.shutdown()
            await store.close()
            try? await site.shutdown()
            throw error
        }
        try await source.shutdown()
        await store.close()
        try await site.shutdown()
    }
}

/// A loopback server (used as the forward proxy) that answers every request with a small
/// homepage only once `release()` is called; `waitForRequests(n)` returns when n have arrived.
final class HeldHomepageServer: Sendable {
    private let channel: any Channel
    private let released: EventLoopPromise<Void>
    private let arrivals: NIOLockedValueBox<(count: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>
    let port: Int

    private init(channel: any Channel, released: EventLoopPromise<Void>, arrivals: NIOLockedValueBox<(count: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>) {
        self.channel = channel
        self.released = released
        self.arrivals = arrivals
        self.port = channel.localAddress!.port!
    }

    static func start() async throws -> HeldHomepageServer {
        let group = MultiThreadedEventLoopGroup.singleton
        let released = group.next().makePromise(of: Void.self)
        let arrivals = NIOLockedValueBox<(count: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>((0, []))
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(released: released.futureResult, arrivals: arrivals))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HeldHomepageServer(channel: channel, released: released, arrivals: arrivals)
    }

    func waitForRequests(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = arrivals.withLockedValue { state -> Bool in
                if state.count >= count { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private let releasedOnce = NIOLockedValueBox(false)

    /// Answers every request held and every later one; calling it again does nothing.
    func release() {
        let first = releasedOnce.withLockedValue { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { released.succeed(()) }
    }

    func shutdown() async throws { try await channel.close() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let released: EventLoopFuture<Void>
        let arrivals: NIOLockedValueBox<(count: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>

        init(released: EventLoopFuture<Void>, arrivals: NIOLockedValueBox<(count: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>) {
            self.released = released
            self.arrivals = arrivals
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let ready = arrivals.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
                state.count += 1
                let due = state.waiters.filter { $0.0 <= state.count }.map(\.1)
                state.waiters.removeAll { $0.0 <= state.count }
                return due
            }
            for waiter in ready { waiter.resume() }
            released.hop(to: context.eventLoop).assumeIsolated().whenSuccess {
                let body = ByteBuffer(string: "<html><head><title>鸿溪市人民政府</title></head><body>首页</body></html>")
                let headers = HTTPHeaders([("Content-Type", "text/html; charset=utf-8"), ("Content-Length", String(body.readableBytes))])
                context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
