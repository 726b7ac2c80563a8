import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchPage
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Testing

@testable import GovWatchInspection

/// The crawler's HTTP/1.1 transport against a loopback server that counts its connections:
/// keep-alive reuse, stale idle connections, unwanted bodies, limits and deadlines.
@Suite("HTTP/1.1 transport")
struct HTTP1TransportTests {
    @Test("sequential requests share one keep-alive connection; concurrent ones at most one each")
    func keepAlive() async throws {
        let (server, transport) = try await Self.start()
        defer { Self.stop(server, transport) }
        for index in 0..<20 {
            let exchange = try await Self.get(transport, "\(server.base)/page/\(index)", limit: 1_000)
            #expect(exchange.head.status == .ok)
            #expect(exchange.text == "page \(index)")
        }
        #expect(server.connections == 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let exchange = try await Self.get(transport, "\(server.base)/page/\(index)", limit: 1_000)
                    #expect(exchange.text == "page \(index)")
                }
                if index % 8 == 7 { try await group.waitForAll() }
            }
            try await group.waitForAll()
        }
        #expect(server.connections <= 8)
    }

    @Test("a connection the server closed while idle is replaced without an error")
    func staleConnection() async throws {
        let (server, transport) = try await Self.start(closeIdleAfter: .milliseconds(30))
        defer { Self.stop(server, transport) }
        // What is tested is the replacement, not a deadline: the deadlines are far beyond any
        // answer (a stale connection that were never replaced would still fail, after them).
        // With 20 s, the full suite on a loaded 2-core machine failed this test twice with a
        // first-byte timeout that no run of it alone ever showed.
        func get(_ url: String) async throws -> HTTP1Transport.Exchange {
            try await Self.get(transport, url, limit: 1_000, firstByte: .seconds(300), whole: .seconds(300))
        }
        for index in 0..<3 {
            let exchange = try await get("\(server.base)/page/\(index)")
            #expect(exchange.text == "page \(index)")
            // The next request goes out once the server has closed this connection.
            while server.closed < index + 1 { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(server.connections == 3)

        // The race the pool cannot see: the server gives up the connection just as the
        // next request arrives on it. The request is sent again on a fresh connection.
        let dropping = try await CountingServer.start(dropSecondRequest: true)
        defer { Task { try? await dropping.shutdown() } }
        for index in 0..<3 {
            let exchange = try await get("\(dropping.base)/page/\(index)")
            #expect(exchange.text == "page \(index)")
        }
        #expect(dropping.connections == 3)
    }

    @Test("an unwanted short body is read off and the connection kept; a long one closes it")
    func unwantedBodies() async throws {
        let (server, transport) = try await Self.start()
        defer { Self.stop(server, transport) }
        let missing = try await Self.get(transport, "\(server.base)/missing", limit: nil)
        #expect(missing.head.status == .notFound)
        #expect(missing.body.isEmpty)
        _ = try await Self.get(transport, "\(server.base)/page/1", limit: 1_000)
        #expect(server.connections == 1)
        let big = try await Self.get(transport, "\(server.base)/big", limit: nil)
        #expect(big.head.status == .ok)
        let after = try await Self.get(transport, "\(server.base)/page/2", limit: 1_000)
        #expect(after.text == "page 2")
        #expect(server.connections == 2)
    }

    @Test("a body over the limit fails and its connection is not reused")
    func bodyLimit() async throws {
        let (server, transport) = try await Self.start()
        defer { Self.stop(server, transport) }
        await #expect(throws: HTTP1Transport.Failure.tooLarge) {
            try await Self.get(transport, "\(server.base)/big", limit: 10_000)
        }
        let page = try await Self.get(transport, "\(server.base)/page/1", limit: 1_000)
        #expect(page.text == "page 1")
        #expect(server.connections == 2)
    }

    @Test("no answer: first-byte timeout; an endless trickle: whole-response timeout")
    func deadlines() async throws {
        let (server, transport) = try await Self.start()
        defer { Self.stop(server, transport) }
        // Each timeout is far shorter than the other, so the error names the timer that fired
        // (the silent and endless answers end only by a timer; no bound on the wall-clock
        // time, which a loaded machine stretches).
        await #expect(throws: HTTP1Transport.Failure.firstByteTimeout) {
            try await Self.get(transport, "\(server.base)/silent", limit: 1_000, firstByte: .milliseconds(300), whole: .seconds(120))
        }
        await #expect(throws: HTTP1Transport.Failure.responseTimeout) {
            try await Self.get(transport, "\(server.base)/trickle", limit: 1_000_000, firstByte: .seconds(120), whole: .milliseconds(500))
        }
        // Neither connection went back to the pool.
        _ = try await Self.get(transport, "\(server.base)/page/1", limit: 1_000)
        #expect(server.connections == 3)
    }

    @Test("through a forward proxy: absolute-form targets and the origin's Host, one connection to the proxy")
    func forwardProxy() async throws {
        let server = try await CountingServer.start()
        defer { Task { try? await server.shutdown() } }
        let transport = HTTP1Transport(
            route: .proxy(host: "127.0.0.1", port: server.port), connectTimeout: .seconds(2), decompressionRatio: 20)
        defer { transport.shutdown() }
        for host in ["www.a.gov.cn", "www.b.gov.cn:8080"] {
            let exchange = try await Self.get(transport, "http://\(host)/page/7?x=1", limit: 1_000)
            #expect(exchange.text == "page 7")
        }
        #expect(server.requests == [
            .init(target: "http://www.a.gov.cn/page/7?x=1", host: "www.a.gov.cn"),
            .init(target: "http://www.b.gov.cn:8080/page/7?x=1", host: "www.b.gov.cn:8080"),
        ])
        #expect(server.connections == 1)

        let oneShot = HTTP1Transport(
            route: .proxy(host: "127.0.0.1", port: server.port), connectTimeout: .seconds(2), decompressionRatio: 20,
            reusesConnections: false)
        for _ in 0..<2 { _ = try await Self.get(oneShot, "http://www.a.gov.cn/page/1", limit: 1_000) }
        #expect(server.connections == 3)
    }

    @Test("HTTPS: keep-alive over TLS, verified against the trusted root; an unknown certificate is refused")
    func https() async throws {
        let certificate = try NIOSSLCertificate(bytes: Array(TestCertificate.pem.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(TestCertificate.key.utf8), format: .pem)
        let server = try await CountingServer.start(
            tls: try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))))
        var trusting = TLSConfiguration.makeClientConfiguration()
        trusting.trustRoots = .certificates([certificate])
        let transport = HTTP1Transport(
            route: .direct, connectTimeout: .seconds(2), decompressionRatio: 20, tlsConfiguration: trusting)
        defer { Self.stop(server, transport) }
        for index in 0..<10 {
            let exchange = try await Self.get(transport, "https://localhost:\(server.port)/page/\(index)", limit: 1_000)
            #expect(exchange.text == "page \(index)")
        }
        #expect(server.connections == 1)

        // The system's roots do not know the test certificate: refused, in the inspector's words.
        let systemRoots = HTTP1Transport(route: .direct, connectTimeout: .seconds(2), decompressionRatio: 20)
        defer { systemRoots.shutdown() }
        let url = NormalizedURL("https://localhost:\(server.port)/page/1")!
        do {
            _ = try await Self.get(systemRoots, url.description, limit: 1_000)
            Issue.record("an untrusted certificate was accepted")
        } catch {
            #expect(try CrawlFetcher.failure(error, url: url).reason == "证书或加密连接错误")
        }
        // Through a proxy HTTPS needs CONNECT, which is AsyncHTTPClient's part.
        let proxied = HTTP1Transport(route: .proxy(host: "127.0.0.1", port: server.port), connectTimeout: .seconds(2), decompressionRatio: 20)
        #expect(!proxied.handles(url))
        #expect(proxied.handles(NormalizedURL("http://www.a.gov.cn/")!))
    }

    @Test("a probe through a proxy keeps the status of a response cut at its body limit")
    func probeOfALargeResponse() async throws {
        let server = try await CountingServer.start()
        defer { Task { try? await server.shutdown() } }
        let proxy = "http://127.0.0.1:\(server.port)"
        let client = try InspectionHTTPClient.make(proxy: proxy)
        defer { Task { try? await client.shutdown() } }
        var prober = Prober(http: try SimpleHTTP(client: client, proxy: proxy), timeout: .seconds(5))
        prober.maxBodyBytes = 10_000
        let failing = await prober.probe(siteCode: "1", url: "http://www.a.gov.cn/big-error", at: Date())
        #expect(!failing.ok)
        #expect(failing.status == 503)
        let working = await prober.probe(siteCode: "1", url: "http://www.a.gov.cn/big", at: Date())
        #expect(working.ok)
        #expect(working.status == 200)
    }

    /// A counting server and a direct, keep-alive transport; `stop` both when done.
    private static func start(closeIdleAfter: TimeAmount? = nil) async throws -> (CountingServer, HTTP1Transport) {
        let server = try await CountingServer.start(closeIdleAfter: closeIdleAfter)
        return (server, HTTP1Transport(route: .direct, connectTimeout: .seconds(2), decompressionRatio: 20))
    }

    private static func stop(_ server: CountingServer, _ transport: HTTP1Transport) {
        transport.shutdown()
        Task { try? await server.shutdown() }
    }

    private static func get(
        _ transport: HTTP1Transport, _ url: String, limit: Int?, firstByte: TimeAmount = .seconds(20), whole: TimeAmount = .seconds(30)
    ) async throws -> HTTP1Transport.Exchange {
        try await transport.exchange(
            method: .GET, target: try transport.target(for: NormalizedURL(url)!), headers: [:],
            firstByteTimeout: firstByte, responseTimeout: whole, bodyLimit: { _ in limit })
    }
}

extension HTTP1Transport.Exchange {
    /// The body as text.
    fileprivate var text: String { String(decoding: body, as: UTF8.self) }
}

/// A loopback HTTP/1.1 server that counts connections and answers by path:
/// `/page/N` ("page N"), `/big` (200 KB), `/big-error` (a 503 of 200 KB), `/silent` (never), `/trickle` (a byte every
/// 50 ms, forever), anything else 404. Optionally closes a connection soon after each
/// response, or closes it without an answer when a second request arrives on it; over TLS
/// when given a context.
private final class CountingServer: Sendable {
    struct Request: Equatable, Sendable {
        var target: String
        var host: String
    }

    private let channel: any Channel
    private let state: NIOLockedValueBox<(connections: Int, requests: [Request])>
    private let closedCount: NIOLockedValueBox<Int>
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }
    var connections: Int { state.withLockedValue { $0.connections } }
    var requests: [Request] { state.withLockedValue { $0.requests } }
    /// Connections that have ended.
    var closed: Int { closedCount.withLockedValue { $0 } }

    private init(channel: any Channel, state: NIOLockedValueBox<(connections: Int, requests: [Request])>, closed: NIOLockedValueBox<Int>) {
        self.channel = channel
        self.state = state
        self.closedCount = closed
        self.port = channel.localAddress!.port!
    }

    static func start(
        closeIdleAfter: TimeAmount? = nil, dropSecondRequest: Bool = false, tls: NIOSSLContext? = nil
    ) async throws -> CountingServer {
        let state = NIOLockedValueBox<(connections: Int, requests: [Request])>((0, []))
        let closed = NIOLockedValueBox(0)
        let channel = try await ServerBootstrap(group: Self.eventLoops)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                state.withLockedValue { $0.connections += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(state: state, closed: closed, closeIdleAfter: closeIdleAfter, dropSecondRequest: dropSecondRequest))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return CountingServer(channel: channel, state: state, closed: closed)
    }

    func shutdown() async throws { try await channel.close() }

    /// The servers' own event loop, apart from the transport's (the singleton, shared by the
    /// whole test process): the server answers even while the client's loops are busy.
    private static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let state: NIOLockedValueBox<(connections: Int, requests: [Request])>
        let closed: NIOLockedValueBox<Int>
        let closeIdleAfter: TimeAmount?
        let dropSecondRequest: Bool
        var served = 0
        var trickle: Scheduled<Void>?

        init(
            state: NIOLockedValueBox<(connections: Int, requests: [Request])>, closed: NIOLockedValueBox<Int>, closeIdleAfter: TimeAmount?,
            dropSecondRequest: Bool
        ) {
            self.state = state
            self.closed = closed
            self.closeIdleAfter = closeIdleAfter
            self.dropSecondRequest = dropSecondRequest
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(let head) = unwrapInboundIn(data) else { return }
            served += 1
            if dropSecondRequest, served > 1 {
                context.close(promise: nil)
                return
            }
            state.withLockedValue { $0.requests.append(Request(target: head.uri, host: head.headers.first(name: "Host") ?? "")) }
            let path = head.uri.hasPrefix("http://") ? (URL(string: head.uri)?.path ?? "/") : String(head.uri.prefix { $0 != "?" })
            switch path {
            case "/silent":
                return
            case "/trickle":
                var headers = HTTPHeaders([("Content-Type", "text/html")])
                headers.add(name: "Transfer-Encoding", value: "chunked")
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                drip(context: context)
                return
            default:
                break
            }
            let (status, body): (HTTPResponseStatus, String) =
                if path.hasPrefix("/page/") { (.ok, "page \(path.dropFirst(6))") }
                else if path == "/big" { (.ok, String(repeating: "0123456789", count: 20_000)) }
                else if path == "/big-error" { (.serviceUnavailable, String(repeating: "0123456789", count: 20_000)) }
                else { (.notFound, "<html><body>没有这个页面</body></html>") }
            let bytes = ByteBuffer(string: body)
            let headers = HTTPHeaders([("Content-Type", "text/html; charset=utf-8"), ("Content-Length", String(bytes.readableBytes))])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(bytes))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            if let closeIdleAfter {
                context.eventLoop.assumeIsolated().scheduleTask(in: closeIdleAfter) { context.close(promise: nil) }
            }
        }

        private func drip(context: ChannelHandlerContext) {
            trickle = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(50)) {
                context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "x")))), promise: nil)
                self.drip(context: context)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            trickle?.cancel()
            closed.withLockedValue { $0 += 1 }
            context.fireChannelInactive()
        }
    }
}

/// A self-signed certificate for `localhost` and 127.0.0.1 (P-256, valid until 2126), made with
/// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
/// -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1`. Test use only.
private enum TestCertificate {
    static let pem = """
-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUJ+ROQREo9EnkjVZT0mqOkXO7E1kwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyOTE3Mzg1MVoYDzIxMjYxMTA1
MTczODUxWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQ9WjOwPnFBRbnDlUij4tqRPOGgQpQcgFFJ2RNZQJtM8mmut8ykKMsJ
4QrWacBVapXBCk/cRpy0QtptdHfmF5Vjo28wbTAdBgNVHQ4EFgQUectBJZ6CGSSt
BLLLtc+FL/sgDl4wHwYDVR0jBBgwFoAUectBJZ6CGSStBLLLtc+FL/sgDl4wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIhALYIkcxHR47JuV3WusVMgHrPPcAnZBNKWGNz+tD+SEh2AiBa
f72Z6ENhrvDOGrEa7oB3Wv+voYblsNFRvH7Tl6cyJg==
-----END CERTIFICATE-----
"""
    static let key = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOW3zg73Aofw1u/Z7
T3M8+txaVCKvjMuf3bQgXqD+TPmhRANCAAQ9WjOwPnFBRbnDlUij4tqRPOGgQpQc
gFFJ2RNZQJtM8mmut8ykKMsJ4QrWacBVapXBCk/cRpy0QtptdHfmF5Vj
-----END PRIVATE KEY-----
"""
}
