import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An origin server whose answers a test scripts per request (the n-th request to a path
/// can differ from the first), and which logs every request it receives with its own
/// timestamp: the order and spacing of requests as the server saw them.
final class ScriptedSite: Sendable {
    struct Request: Sendable {
        /// The request target as received (origin form, or absolute form through a proxy).
        var target: String
        /// The path and query, without scheme and host.
        var path: String
        var method: HTTPMethod
        var headers: HTTPHeaders
        /// Earlier requests for the same path.
        var earlier: Int
        /// When the server received it.
        var received: ContinuousClock.Instant
    }

    struct Reply: Sendable {
        var status = 200
        var headers: [(String, String)] = [("Content-Type", "text/html; charset=utf-8")]
        var body = ""

        static func html(_ body: String, status: Int = 200) -> Reply { Reply(status: status, body: body) }
        static func plain(_ status: Int, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", "text/html; charset=utf-8")] + headers, body: "<html><body><h1>\(status)</h1></body></html>")
        }
        static func redirect(_ location: String, status: Int = 302) -> Reply {
            Reply(status: status, headers: [("Location", location)], body: "")
        }
    }

    private let log: NIOLockedValueBox<[Request]>
    private let channel: any Channel
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    private init(channel: any Channel, port: Int, log: NIOLockedValueBox<[Request]>) {
        self.channel = channel
        self.port = port
        self.log = log
    }

    static func start(_ route: @escaping @Sendable (Request) -> Reply) async throws -> ScriptedSite {
        let log = NIOLockedValueBox<[Request]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(route: route, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedSite(channel: channel, port: channel.localAddress!.port!, log: log)
    }

    /// Every request received, in order.
    var requests: [Request] { log.withLockedValue { $0 } }

    /// The requests for `path`, in order.
    func requests(_ path: String) -> [Request] { requests.filter { $0.path == path } }

    func shutdown() async throws { try await channel.close() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let route: @Sendable (Request) -> Reply
        let log: NIOLockedValueBox<[Request]>
        var head: HTTPRequestHead?

        init(route: @escaping @Sendable (Request) -> Reply, log: NIOLockedValueBox<[Request]>) {
            self.route = route
            self.log = log
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                self.head = nil
                var path = head.uri
                if path.hasPrefix("http://"), let slash = path.dropFirst(7).firstIndex(of: "/") { path = String(path[slash...]) }
                let request = log.withLockedValue { log -> Request in
                    let request = Request(
                        target: head.uri, path: path, method: head.method, headers: head.headers,
                        earlier: log.filter { $0.path == path }.count, received: .now)
                    log.append(request)
                    return request
                }
                let reply = route(request)
                let body = Array(reply.body.utf8)
                var headers = HTTPHeaders(reply.headers)
                headers.add(name: "Content-Length", value: String(body.count))
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: reply.status), headers: headers))),
                    promise: nil)
                if head.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
