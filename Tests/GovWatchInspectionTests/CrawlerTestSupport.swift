import Foundation
import GovWatchCore
import GovWatchSampleCity
import GovWatchStore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

@testable import GovWatchInspection

/// Helpers shared by the crawler tests.
enum CrawlerTestSupport {
    static func siteRecord(_ site: SampleSite) -> SiteRecord {
        SiteRecord(
            code: site.code, name: site.name, url: site.url, kind: site.kind == .portal ? .portal : .department,
            unit: site.unit, parent: site.parent, icp: site.icp, police: site.police)
    }

    static func columnRecords(_ city: SampleCity, site: String) -> [ColumnRecord] {
        city.columns.filter { $0.siteCode == site }.map {
            ColumnRecord(
                site: $0.siteCode, name: $0.name, url: $0.url, category: ColumnCategory(rawValue: $0.category.rawValue) ?? .other,
                periodDays: $0.periodDays, topLevel: $0.topLevel)
        }
    }

    /// A configuration for loopback tests: short timeouts, no politeness delay.
    static func configuration(proxy: String?) -> CrawlConfiguration {
        var configuration = CrawlConfiguration()
        configuration.proxy = proxy
        configuration.perHostDelay = .zero
        configuration.concurrency = 8
        configuration.perHostConcurrency = 4
        configuration.connectTimeout = .seconds(2)
        configuration.firstByteTimeout = .seconds(3)
        configuration.responseTimeout = .seconds(3)
        configuration.retryBackoff = .milliseconds(50)
        configuration.maximumRetryAfter = .seconds(2)
        configuration.commitBatchSize = 8
        return configuration
    }

    /// A fresh SQLite store in a temporary folder.
    static func temporaryStore() async throws -> (Store, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("govwatch-crawl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try await Store.open(.sqlite(path: folder.appendingPathComponent("db.sqlite").path))
        return (store, folder)
    }

    /// The evidence as comparable text: everything the checks read, in a fixed order.
    static func digest(_ evidence: SiteEvidence) -> [String] {
        var lines: [String] = []
        if let home = evidence.homepage {
            lines.append(
                "home \(home.url) \(home.finalURL) \(home.loaded) \(String(describing: home.status)) \(home.identity) "
                    + "\(home.items) \(String(describing: home.newestSecondLevelDate)) \(home.searchWorks) \(home.https)")
        }
        for column in evidence.columns {
            lines.append("column \(column.column) \(column.discovered) \(column.loaded) \(column.placeholderOnly) \(column.items)")
        }
        lines += evidence.links.map { "link \($0)" }
        lines += evidence.documents.map { "doc \($0.url) \(String(describing: $0.title)) \(String(describing: $0.columnCategory)) \($0.isAttachment) \($0.text.hashValue)" }
        lines += evidence.hiddenLinks.map { "hidden \($0)" }
        lines += evidence.messages.map { "message \($0)" }
        return lines
    }
}

/// A small origin server for tests that need control the sample city does not give:
/// robots.txt rules, request counting, validators. Pages are static: path (or whole URL,
/// when it is used as a forward proxy for several hosts) → (status, headers, body).
final class TinySite: Sendable {
    struct Page: Sendable {
        var status = 200
        var contentType = "text/html; charset=utf-8"
        var body: String
        var headers: [(String, String)] = []
        /// Answer only after this long.
        var delay: TimeAmount? = nil
        /// Answer once this many requests are in flight (then without `delay`), or after
        /// `delay` at the latest: a peak of concurrency that does not depend on the machine's
        /// speed (on a loaded machine a fixed delay could pass before a second request arrived).
        var gather: Int? = nil
    }

    /// Requests being answered, and the most at once; shareable by several sites.
    final class InFlight: Sendable {
        private let counts = NIOLockedValueBox((now: 0, most: 0))
        var most: Int { counts.withLockedValue { $0.most } }
        var now: Int { counts.withLockedValue { $0.now } }
        func begin() { counts.withLockedValue { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func end() { counts.withLockedValue { $0.now -= 1 } }
    }

    private let pages: NIOLockedValueBox<[String: Page]>
    private let hits: NIOLockedValueBox<[String: Int]>
    private let channel: any Channel
    let port: Int

    var base: String { "http://127.0.0.1:\(port)" }

    private init(pages: NIOLockedValueBox<[String: Page]>, hits: NIOLockedValueBox<[String: Int]>, channel: any Channel, port: Int) {
        self.pages = pages
        self.hits = hits
        self.channel = channel
        self.port = port
    }

    static func start(_ pages: [String: Page], inFlight: InFlight = InFlight()) async throws -> TinySite {
        let box = NIOLockedValueBox(pages)
        let hits = NIOLockedValueBox<[String: Int]>([:])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(pages: box, hits: hits, inFlight: inFlight))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TinySite(pages: box, hits: hits, channel: channel, port: channel.localAddress!.port!)
    }

    /// Requests seen for `path` (any method).
    func hits(_ path: String) -> Int { hits.withLockedValue { $0[path] ?? 0 } }

    func shutdown() async throws { try await channel.close() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let pages: NIOLockedValueBox<[String: Page]>
        let hits: NIOLockedValueBox<[String: Int]>
        let inFlight: InFlight
        var head: HTTPRequestHead?

        init(pages: NIOLockedValueBox<[String: Page]>, hits: NIOLockedValueBox<[String: Int]>, inFlight: InFlight) {
            self.pages = pages
            self.hits = hits
            self.inFlight = inFlight
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                var path = head.uri
                if path.hasPrefix("http://"), let url = URL(string: path) { path = url.path.isEmpty ? "/" : url.path + (url.query.map { "?" + $0 } ?? "") }
                hits.withLockedValue { $0[path, default: 0] += 1 }
                // As a forward proxy, a page stored under its whole URL (`http://host/path`)
                // is one host's; a page stored under its path is every host's.
                let page = pages.withLockedValue { $0[head.uri] ?? $0[path] } ?? Page(status: 404, body: "<html><body>404</body></html>")
                let body = Array(page.body.utf8)
                let etag = "\"\(body.count)-\(body.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFFFF })\""
                var headers = HTTPHeaders([("Content-Type", page.contentType), ("ETag", etag)] + page.headers)
                let notModified = page.status == 200 && head.headers.first(name: "If-None-Match") == etag
                let status: HTTPResponseStatus = notModified ? .notModified : .init(statusCode: page.status)
                headers.add(name: "Content-Length", value: notModified || head.method == .HEAD ? (notModified ? "0" : String(body.count)) : String(body.count))
                self.head = nil
                inFlight.begin()
                let answer = { [self] in
                    inFlight.end()
                    context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                    if head.method != .HEAD, !notModified {
                        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                    }
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
                if let gather = page.gather {
                    let latest = NIODeadline.now() + (page.delay ?? .seconds(5))
                    let loop = context.eventLoop.assumeIsolated()
                    func answerWhenGathered() {
                        if inFlight.now >= gather || .now() >= latest { return answer() }
                        loop.scheduleTask(in: .milliseconds(5), answerWhenGathered)
                    }
                    answerWhenGathered()
                } else if let delay = page.delay {
                    context.eventLoop.assumeIsolated().scheduleTask(in: delay, answer)
                } else {
                    answer()
                }
            }
        }
    }
}
