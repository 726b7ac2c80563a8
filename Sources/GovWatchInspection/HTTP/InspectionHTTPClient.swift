import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTPCompression
import NIOPosix

/// The HTTP client settings every GovWatch request shares: the User-Agent naming
/// GovWatch, the optional forward proxy (`--proxy`), redirect and decompression limits.
public enum InspectionHTTPClient {
    /// Sent with requests that have no fetch policy of their own (the ticket webhook): the
    /// policy's User-Agent without a contact.
    public static let userAgent = FetchPolicy().userAgent

    public struct InvalidProxy: Error, CustomStringConvertible {
        public var value: String
        public var description: String { "代理地址“\(value)”无效，应为 http://主机:端口" }
    }

    /// Parses `--proxy http://HOST:PORT`.
    public static func proxy(_ value: String?) throws -> HTTPClient.Configuration.Proxy? {
        guard let value else { return nil }
        guard let components = URLComponents(string: value), components.scheme?.lowercased() == "http",
            let host = components.host, !host.isEmpty
        else { throw InvalidProxy(value: value) }
        return .server(host: host, port: components.port ?? 80)
    }

    /// Where `HTTP1Transport` connects for `--proxy` (nil: straight to each host).
    static func route(_ proxy: String?) throws -> HTTP1Transport.Route {
        guard let server = try self.proxy(proxy) else { return .direct }
        return .proxy(host: server.host, port: server.port)
    }

    /// A client; call `shutdown()` on it when done.
    ///
    /// Redirects are not followed by the client: callers follow them themselves so that
    /// loops and hop counts are reported as findings rather than thrown away.
    public static func make(proxy: String?, connectTimeout: TimeAmount = .seconds(10), policy: FetchPolicy = FetchPolicy()) throws
        -> HTTPClient
    {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: connectTimeout, read: TimeAmount(policy.responseTimeout)),
            proxy: try self.proxy(proxy),
            // Gzip bombs: never inflate more than the policy's ratio.
            decompression: .enabled(limit: .ratio(policy.maximumDecompressionRatio)))
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }
}
