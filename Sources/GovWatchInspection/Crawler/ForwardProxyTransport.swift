import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix

/// Plain-HTTP requests through a forward proxy in absolute form (`GET http://host/path
/// HTTP/1.1`), as `--proxy` promises and as every forward proxy expects. AsyncHTTPClient
/// tunnels every proxied request with `CONNECT`, which forward proxies refuse for plain
/// HTTP; HTTPS still goes through AsyncHTTPClient's tunnel.
///
/// One connection per exchange (`Connection: close`): the proxy is usually near, and a
/// fresh connection cannot carry state from a hostile server into the next request.
struct ForwardProxyTransport: Sendable {
    let host: String
    let port: Int
    let connectTimeout: TimeAmount
    let decompressionRatio: Int

    /// The head of a response and, when asked for, its body.
    struct Exchange: Sendable {
        var head: HTTPResponseHead
        var body: [UInt8]
    }

    enum Failure: Error {
        /// No response head before the first-byte deadline.
        case firstByteTimeout
        /// The body did not finish before the response deadline.
        case responseTimeout
        /// The body exceeded the limit.
        case tooLarge
        /// The connection ended before the response did.
        case closedEarly
    }

    /// Sends one request; `bodyLimit(head)` says how many body bytes to read (nil: none,
    /// the connection is closed after the head).
    func exchange(
        method: HTTPMethod, url: String, headers: HTTPHeaders, firstByteDeadline: NIODeadline,
        responseDeadline: NIODeadline, bodyLimit: @Sendable (HTTPResponseHead) -> Int?
    ) async throws -> Exchange {
        let ratio = decompressionRatio
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(NIOHTTPResponseDecompressor(limit: .ratio(ratio)))
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        // Deadlines close the connection; the reader then sees the end and reports which one passed.
        let raw = channel.channel
        let headTimer = raw.eventLoop.scheduleTask(deadline: firstByteDeadline) { raw.close(promise: nil) }
        let bodyTimer = raw.eventLoop.scheduleTask(deadline: responseDeadline) { raw.close(promise: nil) }
        defer {
            headTimer.cancel()
            bodyTimer.cancel()
        }
        return try await withTaskCancellationHandler {
            try await channel.executeThenClose { inbound, outbound in
                var requestHeaders = headers
                requestHeaders.replaceOrAdd(name: "Host", value: Self.hostHeader(url))
                requestHeaders.replaceOrAdd(name: "Connection", value: "close")
                do {
                    // One write: a server may answer (and close) as soon as it has the head.
                    try await outbound.write(contentsOf: [
                        .head(HTTPRequestHead(version: .http1_1, method: method, uri: url, headers: requestHeaders)), .end(nil),
                    ])
                } catch ChannelError.ioOnClosedChannel {
                    // Closed after answering: the answer is still to be read below.
                }
                var head: HTTPResponseHead?
                var body: [UInt8] = []
                var limit: Int?
                do {
                    for try await part in inbound {
                        switch part {
                        case .head(let received):
                            // 1xx heads precede the real one.
                            if received.status.code < 200 { continue }
                            head = received
                            headTimer.cancel()
                            limit = bodyLimit(received)
                            if limit == nil { return Exchange(head: received, body: []) }
                        case .body(let buffer):
                            guard let limit else { continue }
                            if body.count + buffer.readableBytes > limit { throw Failure.tooLarge }
                            body.append(contentsOf: buffer.readableBytesView)
                        case .end:
                            if let head { return Exchange(head: head, body: body) }
                        }
                    }
                } catch let error as Failure {
                    throw error
                } catch {
                    if NIODeadline.now() >= responseDeadline { throw Failure.responseTimeout }
                    if head == nil, NIODeadline.now() >= firstByteDeadline { throw Failure.firstByteTimeout }
                    throw error
                }
                if NIODeadline.now() >= responseDeadline { throw Failure.responseTimeout }
                if head == nil, NIODeadline.now() >= firstByteDeadline { throw Failure.firstByteTimeout }
                throw Failure.closedEarly
            }
        } onCancel: {
            raw.close(promise: nil)
        }
    }

    /// `host[:port]` of an absolute URL.
    static func hostHeader(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "" }
        return components.port.map { "\(host):\($0)" } ?? host
    }
}
