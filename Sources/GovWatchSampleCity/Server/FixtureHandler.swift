import Foundation
import NIOCore
import NIOHTTP1

/// One connection of the fixture server: parses the request target (absolute form as a
/// forward proxy receives it, or origin form with a Host header), asks the router, and
/// writes the reply — with HEAD, conditional GET, gzip, and long bodies that follow the
/// client's reading speed and stop as soon as the client goes away.
final class FixtureHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private struct Stream {
        var length: Int
        var sent = 0
        var chunk: Int
        var interval: TimeAmount?
        var produce: @Sendable (Range<Int>) -> [UInt8]
        var keepAlive: Bool
    }

    private let router: FixtureRouter
    private var head: HTTPRequestHead?
    private var stream: Stream?
    private var pending: Scheduled<Void>?

    init(router: FixtureRouter) { self.router = router }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break  // request bodies (form posts) are accepted and ignored
        case .end:
            guard let head else { return }
            self.head = nil
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let loop = context.eventLoop
            guard router.state.admit(later: { loop.execute { bound.value.0.respond(to: head, context: bound.value.1) } }) else { return }
            respond(to: head, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The client went away: stop whatever was still being produced for it.
        pending?.cancel()
        pending = nil
        stream = nil
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, stream?.interval == nil { pump(context: context) }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Requests

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive
        if head.method == .CONNECT {
            // No TLS in the fixture: every tunnel (https) fails as an unreachable origin would.
            write(FixtureRouter.plain(502, "HTTPS不可用"), head: head, keepAlive: keepAlive, context: context)
            return
        }
        guard let (host, path, query) = Self.target(of: head) else {
            write(FixtureRouter.plain(400, "Bad Request"), head: head, keepAlive: keepAlive, context: context)
            return
        }
        switch router.reply(host: host, path: path, query: query) {
        case .resource(let resource):
            write(resource, head: head, keepAlive: keepAlive, context: context)
        case .delayed(let resource, let delay):
            pending = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
                self.pending = nil
                self.write(resource, head: head, keepAlive: keepAlive, context: context)
            }
        case .stream(let status, let headers, let length, let chunk, let interval, let produce):
            var responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status))
            for (name, value) in headers { responseHead.headers.add(name: name, value: value) }
            responseHead.headers.add(name: "Content-Length", value: String(length))
            responseHead.headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
            context.writeAndFlush(wrapOutboundOut(.head(responseHead)), promise: nil)
            if head.method == .HEAD {
                finish(keepAlive: keepAlive, context: context)
                return
            }
            stream = Stream(length: length, chunk: chunk, interval: interval, produce: produce, keepAlive: keepAlive)
            pump(context: context)
        }
    }

    /// Host, path and query of the request: absolute-form targets carry the host, origin-form
    /// ones take it from the Host header (any port is dropped: one server is every host).
    static func target(of head: HTTPRequestHead) -> (String, String, String?)? {
        var uri = head.uri
        var host: String
        if let schemeEnd = uri.range(of: "://"), uri.lowercased().hasPrefix("http") {
            uri = String(uri[schemeEnd.upperBound...])
            let slash = uri.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? uri.endIndex
            host = String(uri[..<slash])
            uri = String(uri[slash...])
        } else {
            guard let header = head.headers.first(name: "Host") else { return nil }
            host = header
        }
        if let colon = host.lastIndex(of: ":") { host = String(host[..<colon]) }
        guard !host.isEmpty else { return nil }
        if uri.isEmpty || uri.hasPrefix("?") { uri = "/" + uri }
        if let fragment = uri.firstIndex(of: "#") { uri = String(uri[..<fragment]) }
        guard let mark = uri.firstIndex(of: "?") else { return (host.lowercased(), uri, nil) }
        return (host.lowercased(), String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }

    // MARK: Writing

    private func write(_ resource: Resource, head: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext) {
        var body = resource.body
        var status = resource.status
        var responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status))
        var headers = HTTPHeaders()
        headers.add(name: "Server", value: "GovWatch-SampleCity")
        headers.add(name: "Content-Type", value: resource.contentType)
        for header in resource.headers { headers.add(name: header.name, value: header.value) }

        if status == 200 {
            let gzip = resource.isCompressible && body.count >= 256
                && (head.headers.first(name: "Accept-Encoding")?.lowercased().contains("gzip") ?? false)
            let etag = gzip ? String(resource.etag.dropLast()) + "-gz\"" : resource.etag
            headers.add(name: "ETag", value: etag)
            if let modified = resource.lastModified {
                headers.add(name: "Last-Modified", value: CityClock.rfc1123(modified))
            }
            if resource.isCompressible { headers.add(name: "Vary", value: "Accept-Encoding") }
            if Self.notModified(head: head, etags: [etag, resource.etag], lastModified: resource.lastModified) {
                status = 304
                body = Data()
            } else if gzip {
                body = Gzip.compress(body)
                headers.add(name: "Content-Encoding", value: "gzip")
            }
        }
        responseHead.status = HTTPResponseStatus(statusCode: status)
        if status != 304 { headers.add(name: "Content-Length", value: String(body.count)) }
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        responseHead.headers = headers
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD, status != 304, !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        }
        finish(keepAlive: keepAlive, context: context)
    }

    private static func notModified(head: HTTPRequestHead, etags: [String], lastModified: Date?) -> Bool {
        if let match = head.headers.first(name: "If-None-Match") {
            let candidates = match.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return candidates.contains("*") || candidates.contains { candidate in
                etags.contains(candidate) || etags.contains(candidate.replacingOccurrences(of: "W/", with: ""))
            }
        }
        if let since = head.headers.first(name: "If-Modified-Since"), let lastModified,
            let sinceDate = CityClock.parseRFC1123(since)
        {
            return lastModified.timeIntervalSince1970.rounded(.down) <= sinceDate.timeIntervalSince1970
        }
        return false
    }

    /// Writes the long body: one chunk per tick for trickles, else while the channel is writable.
    private func pump(context: ChannelHandlerContext) {
        guard var current = stream else { return }
        while current.sent < current.length {
            guard context.channel.isActive else {
                stream = nil  // the client left mid-body: produce nothing more
                return
            }
            let end = min(current.length, current.sent + current.chunk)
            let bytes = current.produce(current.sent..<end)
            current.sent = end
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            if let interval = current.interval {
                stream = current
                guard current.sent < current.length else { break }
                pending = context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
                    self.pending = nil
                    self.pump(context: context)
                }
                return
            }
            if !context.channel.isWritable {
                stream = current
                return  // resumed by channelWritabilityChanged
            }
        }
        stream = nil
        finish(keepAlive: current.keepAlive, context: context)
    }

    private func finish(keepAlive: Bool, context: ChannelHandlerContext) {
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            done.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
