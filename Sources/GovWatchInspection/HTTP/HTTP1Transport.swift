import Foundation
import GovWatchPage
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL

/// HTTP/1.1 exchanges on NIO, for the crawler (every `http://` URL, direct or through
/// `--proxy`, and every `https://` URL without a proxy) and for the one-shot requests through
/// a forward proxy (`SimpleHTTP`).
///
/// Why not AsyncHTTPClient here: a crawl is tens of thousands of small exchanges, and the
/// client's request preparation, pool, transaction state machine, per-read timers and async
/// body sequence were about a third of a crawl's CPU. An exchange here is one job onto the
/// connection's event loop and one promise back: the body is gathered on the event loop up
/// to the caller's limit, and the connection goes back to the pool when the response ended.
/// HTTPS is TLS (swift-nio-ssl) under the same pipeline, the certificate verified as
/// AsyncHTTPClient verifies it; HTTPS through a proxy (which needs `CONNECT`) stays with
/// AsyncHTTPClient.
///
/// Through a forward proxy, requests are in absolute form (`GET http://host/path HTTP/1.1`),
/// as every forward proxy expects (AsyncHTTPClient tunnels everything with `CONNECT`, which
/// forward proxies refuse for plain HTTP).
///
/// A connection is reused only after a complete, well-formed response that allows it; any
/// timeout, oversized or broken body, decoding error or unexpected byte closes it, so
/// nothing a hostile server sends can reach the next exchange. Idle connections the server
/// closed are noticed and dropped; an exchange that finds its reused connection closed
/// before any answer is sent again on a fresh one (GET and HEAD are idempotent).
final class HTTP1Transport: Sendable {
    /// Where connections go.
    enum Route: Sendable, Equatable {
        /// To the URL's own host and port.
        case direct
        /// To a forward proxy, with requests in absolute form.
        case proxy(host: String, port: Int)
    }

    /// The head of a response and, when asked for, its body.
    struct Exchange: Sendable {
        var head: HTTPResponseHead
        var body: [UInt8]
    }

    enum Failure: Error, Equatable {
        /// No response head before the first-byte deadline.
        case firstByteTimeout
        /// The body did not finish before the response deadline.
        case responseTimeout
        /// The body exceeded the limit.
        case tooLarge
        /// The connection ended before the response did.
        case closedEarly
    }

    let route: Route
    let connectTimeout: TimeAmount
    let decompressionRatio: Int
    /// Keep connections open between exchanges (keep-alive); otherwise one connection per
    /// exchange with `Connection: close` (the prober wants a fresh connection per probe).
    let reusesConnections: Bool
    /// Idle connections kept per host (or for the proxy); more are closed.
    let maximumIdlePerEndpoint: Int
    /// How `https://` servers are verified; its context (the trust roots loaded) is made on
    /// the first HTTPS connection, so a plain-HTTP crawl never loads them.
    private let tlsConfiguration: TLSConfiguration
    private let tlsContext = NIOLockedValueBox<NIOSSLContext?>(nil)
    /// Bytes of an unwanted body (HEAD, redirects, errors, checks) read to keep the
    /// connection; a longer one closes it instead.
    static let drainLimit = 64 * 1024

    private let pool = NIOLockedValueBox(IdlePool())

    /// - Parameter tlsConfiguration: how `https://` servers are verified (direct route);
    ///   by default as AsyncHTTPClient does: full verification against the system's roots.
    init(
        route: Route, connectTimeout: TimeAmount, decompressionRatio: Int, reusesConnections: Bool = true,
        maximumIdlePerEndpoint: Int = 64, tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.tlsConfiguration = tlsConfiguration
        self.route = route
        self.connectTimeout = connectTimeout
        self.decompressionRatio = decompressionRatio
        self.reusesConnections = reusesConnections
        self.maximumIdlePerEndpoint = maximumIdlePerEndpoint
    }

    /// A host and port connected to, with TLS or without.
    struct Endpoint: Hashable, Sendable {
        var host: String
        var port: Int
        var tls = false
    }

    /// What a request is sent to: the connection's endpoint, the request target and `Host`.
    struct Target: Sendable {
        var endpoint: Endpoint
        var requestTarget: String
        var hostHeader: String
    }

    /// Errors of the transport's own making before any request is sent.
    struct UnsupportedURL: Error, CustomStringConvertible {
        var url: String
        var description: String { "网址无效或不是 http 网址：\(url)" }
    }

    /// Whether `exchange` can send to `url`: plain HTTP always, HTTPS without a proxy.
    func handles(_ url: NormalizedURL) -> Bool {
        url.scheme == "http" || (url.scheme == "https" && route == .direct)
    }

    func target(for url: NormalizedURL) throws -> Target {
        guard handles(url), !url.host.isEmpty else { throw UnsupportedURL(url: url.description) }
        switch route {
        case .direct:
            let origin = url.query.map { "\(url.path)?\($0)" } ?? url.path
            let tls = url.scheme == "https"
            return Target(
                endpoint: Endpoint(host: url.host, port: url.port ?? (tls ? 443 : 80), tls: tls),
                requestTarget: origin.isEmpty ? "/" : origin, hostHeader: url.authority)
        case .proxy(let host, let port):
            return Target(endpoint: Endpoint(host: host, port: port), requestTarget: url.description, hostHeader: url.authority)
        }
    }

    /// The target of a URL as given: through a proxy it is sent exactly as written (the
    /// one-shot requests' URLs), directly it is normalised first.
    func target(for url: String) throws -> Target {
        guard case .proxy(let proxyHost, let proxyPort) = route else {
            guard let normalized = NormalizedURL(url) else { throw UnsupportedURL(url: url) }
            return try target(for: normalized)
        }
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http",
            let host = components.host, !host.isEmpty
        else { throw UnsupportedURL(url: url) }
        let authority = components.port.map { "\(host):\($0)" } ?? host
        return Target(endpoint: Endpoint(host: proxyHost, port: proxyPort), requestTarget: url, hostHeader: authority)
    }

    /// Sends one request; `bodyLimit(head)` says how many body bytes to keep (nil: none,
    /// the exchange ends with the head; the rest is read off or the connection closed).
    /// Both timeouts run from when the request is written on its connection: time spent
    /// connecting (bounded by `connectTimeout`) or waiting for a busy thread pool is not the
    /// server's, and must not turn into a timeout it is blamed for.
    /// Throws `Failure`, NIO's connection errors, or the decoders' errors.
    func exchange(
        method: HTTPMethod, target: Target, headers: HTTPHeaders, firstByteTimeout: TimeAmount,
        responseTimeout: TimeAmount, bodyLimit: @escaping @Sendable (HTTPResponseHead) -> Int?
    ) async throws -> Exchange {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: target.requestTarget, headers: headers)
        head.headers.replaceOrAdd(name: "Host", value: target.hostHeader)
        if !reusesConnections { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        while true {
            try Task.checkCancellation()
            let (connection, reused) = try await connection(to: target.endpoint)
            do {
                return try await connection.send(
                    head, firstByteTimeout: firstByteTimeout, responseTimeout: responseTimeout, bodyLimit: bodyLimit,
                    reused: reused)
            } catch ExchangeHandler.Stale.closedWhileIdle {
                // The server had closed the idle connection: the request never reached it.
                continue
            }
        }
    }

    /// Closes the idle connections; exchanges still running close theirs when they end.
    func shutdown() {
        let idle = pool.withLockedValue { pool in
            pool.closed = true
            defer { pool.connections = [:] }
            return pool.connections.values.flatMap { $0 }
        }
        for connection in idle { connection.channel.close(promise: nil) }
    }

    // MARK: - Pool

    private struct IdlePool {
        var connections: [Endpoint: [Connection]] = [:]
        var closed = false
    }

    private func connection(to endpoint: Endpoint) async throws -> (Connection, reused: Bool) {
        if reusesConnections {
            while let idle = pool.withLockedValue({ $0.connections[endpoint]?.popLast() }) {
                if idle.channel.isActive { return (idle, true) }
            }
        }
        return (try await connect(endpoint), false)
    }

    /// Back to the pool after a complete response (called on the connection's event loop).
    fileprivate func checkIn(_ connection: Connection) {
        let kept = pool.withLockedValue { pool -> Bool in
            guard !pool.closed, (pool.connections[connection.endpoint]?.count ?? 0) < maximumIdlePerEndpoint else { return false }
            pool.connections[connection.endpoint, default: []].append(connection)
            return true
        }
        if !kept { connection.channel.close(promise: nil) }
    }

    /// Forgets a closed connection (called on its event loop).
    fileprivate func forget(_ connection: Connection) {
        pool.withLockedValue { pool in
            pool.connections[connection.endpoint]?.removeAll { $0 === connection }
        }
    }

    private func sslContext() throws -> NIOSSLContext {
        try tlsContext.withLockedValue { context in
            if let context { return context }
            let made = try NIOSSLContext(configuration: tlsConfiguration)
            context = made
            return made
        }
    }

    private func connect(_ endpoint: Endpoint) async throws -> Connection {
        let ratio = decompressionRatio
        let reuses = reusesConnections
        let tls = endpoint.tls ? try sslContext() : nil
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            // At the TCP level: `.socketOption(.tcp_nodelay)` would be SOL_SOCKET option 1, SO_DEBUG,
            // which needs CAP_NET_ADMIN: every connection of an unprivileged service failed with EACCES.
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        // SNI and name verification by host name; an address is verified as an address.
                        let name = endpoint.host.isIPAddress ? nil : endpoint.host
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: name))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(NIOHTTPResponseDecompressor(limit: .ratio(ratio)))
                    let handler = ExchangeHandler(reusesConnection: reuses)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    let connection = Connection(
                        channel: channel, endpoint: endpoint, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
                    // The handler holds its connection until the channel closes (it may outlive
                    // its caller while reading off an unwanted body).
                    handler.onReusable = { [weak self] in self?.checkIn(connection) }
                    handler.onClosed = { [weak self] in self?.forget(connection) }
                    return connection
                }
            }
    }
}

/// One connection and its exchange handler (only touched on the channel's event loop).
private final class Connection: Sendable {
    let channel: any Channel
    let endpoint: HTTP1Transport.Endpoint
    let handler: NIOLoopBound<ExchangeHandler>

    init(channel: any Channel, endpoint: HTTP1Transport.Endpoint, handler: NIOLoopBound<ExchangeHandler>) {
        self.channel = channel
        self.endpoint = endpoint
        self.handler = handler
    }

    func send(
        _ head: HTTPRequestHead, firstByteTimeout: TimeAmount, responseTimeout: TimeAmount,
        bodyLimit: @escaping @Sendable (HTTPResponseHead) -> Int?, reused: Bool
    ) async throws -> HTTP1Transport.Exchange {
        let promise = channel.eventLoop.makePromise(of: HTTP1Transport.Exchange.self)
        let handler = self.handler
        channel.eventLoop.execute {
            handler.value.start(
                ExchangeHandler.Pending(
                    promise: promise, bodyLimit: bodyLimit, firstByteTimeout: firstByteTimeout,
                    responseTimeout: responseTimeout, reused: reused, headOnly: head.method == .HEAD),
                request: head)
        }
        let channel = self.channel
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}

/// Runs one exchange at a time on a connection, on its event loop: writes the request,
/// gathers the response up to the limit, enforces the deadlines, and hands the connection
/// back (or closes it) when the response is over.
private final class ExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    enum Stale: Error { case closedWhileIdle }

    struct Pending {
        let promise: EventLoopPromise<HTTP1Transport.Exchange>
        let bodyLimit: @Sendable (HTTPResponseHead) -> Int?
        let firstByteTimeout: TimeAmount
        let responseTimeout: TimeAmount
        /// Set when the request is written.
        var firstByteDeadline = NIODeadline.distantFuture
        var responseDeadline = NIODeadline.distantFuture
        /// The connection served an earlier exchange (a close before any answer means it went stale).
        let reused: Bool
        var head: HTTPResponseHead?
        /// Body bytes to keep; nil while no head, or when the body is not wanted.
        var limit: Int?
        var body: [UInt8] = []
        /// The promise is completed; what is left of the response is read off.
        var answered = false
        /// The body is not wanted but short: read off before the promise is completed.
        var discardsBody = false
        /// The request was HEAD (no body follows whatever the head says).
        let headOnly: Bool
        var drained = 0
        var keepAlive = false
        var receivedAnything = false

        init(
            promise: EventLoopPromise<HTTP1Transport.Exchange>, bodyLimit: @escaping @Sendable (HTTPResponseHead) -> Int?,
            firstByteTimeout: TimeAmount, responseTimeout: TimeAmount, reused: Bool, headOnly: Bool
        ) {
            self.headOnly = headOnly
            self.promise = promise
            self.bodyLimit = bodyLimit
            self.firstByteTimeout = firstByteTimeout
            self.responseTimeout = responseTimeout
            self.reused = reused
        }
    }

    let reusesConnection: Bool
    var onReusable: (() -> Void)?
    var onClosed: (() -> Void)?
    private var context: ChannelHandlerContext?
    private var pending: Pending?
    private var timer: Scheduled<Void>?
    /// What broke the connection before an exchange was running on it (a failed TLS handshake).
    private var failureBeforeStart: (any Error)?

    init(reusesConnection: Bool) { self.reusesConnection = reusesConnection }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func start(_ exchange: Pending, request: HTTPRequestHead) {
        var exchange = exchange
        guard let context, context.channel.isActive, pending == nil else {
            exchange.promise.fail(
                exchange.reused ? Stale.closedWhileIdle : failureBeforeStart ?? HTTP1Transport.Failure.closedEarly)
            return
        }
        let now = NIODeadline.now()
        exchange.firstByteDeadline = now + exchange.firstByteTimeout
        exchange.responseDeadline = now + exchange.responseTimeout
        pending = exchange
        schedule(at: exchange.firstByteDeadline)
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard var exchange = pending else {
            // Bytes nobody asked for: the connection cannot be trusted any more.
            context.close(promise: nil)
            return
        }
        exchange.receivedAnything = true
        switch unwrapInboundIn(data) {
        case .head(let head):
            // 1xx heads precede the real one.
            if head.status.code < 200 { pending = exchange; return }
            exchange.head = head
            exchange.keepAlive = reusesConnection && head.isKeepAlive
            cancelTimer()
            if let limit = exchange.bodyLimit(head) {
                exchange.limit = limit
                if let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > 0, length <= limit {
                    exchange.body.reserveCapacity(length)
                }
            } else if exchange.headOnly || head.status == .noContent || head.status == .notModified
                || (head.headers.first(name: "Content-Length").flatMap(Int.init) ?? .max) <= HTTP1Transport.drainLimit
            {
                // Nothing or little follows: read it off first, so the connection is back in
                // the pool before the caller asks for the next one.
                exchange.discardsBody = true
            } else {
                exchange.answered = true
                exchange.promise.succeed(HTTP1Transport.Exchange(head: head, body: []))
            }
            pending = exchange
        case .body(let buffer):
            pending = nil  // no copy of the body while it grows
            if exchange.answered || exchange.discardsBody {
                exchange.drained += buffer.readableBytes
                if exchange.drained > HTTP1Transport.drainLimit {
                    pending = exchange
                    answerIfDiscarding()
                    abandon(context: context)
                    return
                }
            } else if let limit = exchange.limit {
                if exchange.body.count + buffer.readableBytes > limit {
                    pending = exchange
                    fail(HTTP1Transport.Failure.tooLarge, context: context)
                    return
                }
                exchange.body.append(contentsOf: buffer.readableBytesView)
            }
            pending = exchange
        case .end:
            pending = nil
            cancelTimer()
            let reusable = exchange.keepAlive && exchange.head != nil
            // Back in the pool before the caller resumes, so its next request can take it.
            if reusable { onReusable?() }
            if !exchange.answered, let head = exchange.head {
                exchange.promise.succeed(HTTP1Transport.Exchange(head: head, body: exchange.body))
            } else if !exchange.answered {
                exchange.promise.fail(HTTP1Transport.Failure.closedEarly)
            }
            if !reusable { context.close(promise: nil) }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // The whole-response deadline is armed only for a response still running after a
        // read (most pages arrive with their head): one timer per exchange, not two.
        if let exchange = pending, exchange.head != nil, timer == nil {
            schedule(at: exchange.responseDeadline)
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case NIOSSLError.uncleanShutdown = error {
            // A TLS server that drops the connection without close_notify (common): the close
            // itself follows and ends the exchange as it would over plain HTTP.
            return
        }
        if let exchange = pending, exchange.reused, !exchange.receivedAnything, error is IOError {
            // Reset or broken pipe on a connection the server had already given up.
            pending = nil
            cancelTimer()
            exchange.promise.fail(Stale.closedWhileIdle)
            context.close(promise: nil)
            return
        }
        if pending == nil { failureBeforeStart = error }
        fail(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        answerIfDiscarding()
        if let exchange = pending, !exchange.answered {
            pending = nil
            let now = NIODeadline.now()
            if exchange.reused, !exchange.receivedAnything {
                exchange.promise.fail(Stale.closedWhileIdle)
            } else if now >= exchange.responseDeadline {
                exchange.promise.fail(HTTP1Transport.Failure.responseTimeout)
            } else if exchange.head == nil, now >= exchange.firstByteDeadline {
                exchange.promise.fail(HTTP1Transport.Failure.firstByteTimeout)
            } else {
                exchange.promise.fail(HTTP1Transport.Failure.closedEarly)
            }
        }
        pending = nil
        onClosed?()
        onClosed = nil
        onReusable = nil
        context.fireChannelInactive()
    }

    /// Arms the exchange's one timer: before the head it is the first-byte deadline, after
    /// it the whole-response deadline.
    private func schedule(at deadline: NIODeadline) {
        guard let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            guard let context = self.context else { return }
            let failure: HTTP1Transport.Failure = pending?.head == nil ? .firstByteTimeout : .responseTimeout
            fail(failure, context: context)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    /// A response whose unwanted body was being read off has its answer already: the head.
    /// Whatever ends the reading early (a close, an error, the deadline) only ends the connection.
    private func answerIfDiscarding() {
        guard var exchange = pending, exchange.discardsBody, !exchange.answered, let head = exchange.head else { return }
        exchange.promise.succeed(HTTP1Transport.Exchange(head: head, body: []))
        exchange.answered = true
        pending = exchange
    }

    /// Ends the exchange with `error` (unless already answered) and closes the connection.
    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        cancelTimer()
        answerIfDiscarding()
        if let exchange = pending, !exchange.answered { exchange.promise.fail(error) }
        pending = nil
        context.close(promise: nil)
    }

    /// Gives up reading an answered response off the connection: closes it.
    private func abandon(context: ChannelHandlerContext) {
        cancelTimer()
        pending = nil
        context.close(promise: nil)
    }
}

extension String {
    /// An IPv4 or IPv6 literal (no TLS server name is sent for those).
    fileprivate var isIPAddress: Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, self, &v4) == 1 || inet_pton(AF_INET6, self, &v6) == 1
    }
}
