import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The sample city on loopback: an HTTP server that is also an HTTP forward proxy, so a
/// crawler configured with `--proxy http://127.0.0.1:PORT` reaches every virtual host of the
/// city (absolute-form request targets), and plain origin-form requests with a Host header
/// work too.
///
/// Beyond the city's pages it answers the hostile host (`hostile.hongxi.gov.cn`), the live
/// external hosts of footers and platforms, 502 for any other host, and 502 to `CONNECT`
/// (no HTTPS). It supports HEAD, conditional GET (ETag / Last-Modified → 304) and gzip when
/// asked (`Accept-Encoding: gzip`).
///
/// `setFixed(_:)` switches chosen URLs to their "problems fixed" variant for re-inspection tests.
public final class FixtureServer: Sendable {
    /// The city being served.
    public let city: SampleCity
    /// The bound TCP port.
    public let port: Int
    /// The bound address.
    public let host: String

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let state: FixtureState

    private init(city: SampleCity, host: String, port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel, state: FixtureState) {
        self.city = city
        self.host = host
        self.port = port
        self.group = group
        self.channel = channel
        self.state = state
    }

    /// Starts serving `city` on `host:port` (port 0: any free port; read `port`).
    public static func start(city: SampleCity, host: String = "127.0.0.1", port: Int = 0) async throws -> FixtureServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let state = FixtureState()
        let router = FixtureRouter(city: city, state: state)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(FixtureHandler(router: router))
                    }
                }
                .bind(host: host, port: port).get()
            guard let boundPort = channel.localAddress?.port else {
                try? await channel.close()
                throw FixtureServerError.noPort
            }
            return FixtureServer(city: city, host: host, port: boundPort, group: group, channel: channel, state: state)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// `http://HOST:PORT`, the value for `--proxy`.
    public var proxyURL: String { "http://\(host):\(port)" }

    /// Stops accepting, closes every connection (ending any trickle or stream) and frees the threads.
    public func shutdown() async throws {
        try? await channel.close()
        try await group.shutdownGracefully()
    }

    // MARK: Variants

    /// Serves the fixed variant of exactly these URLs (`http://host/path`), the original elsewhere.
    public func setFixed(_ urls: Set<String>) {
        state.fixedURLs = Set(urls.map { url in
            guard let components = URLComponents(string: url), let host = components.host else { return url }
            return storeKey(host: host, path: components.percentEncodedPath)
        })
    }

    /// Serves the fixed variant of every URL that fixes one of `problems` (their `fixedBy`).
    public func setFixed(problems: some Sequence<PlantedProblem>) {
        setFixed(Set(problems.flatMap(\.fixedBy)))
    }

    /// Serves the whole city fixed (problems without a fix stay, as the scenarios need).
    public func setAllFixed() { setFixed(Set(city.fixableURLs)) }

    /// Serves the original city again.
    public func resetVariants() { setFixed([]) }

    /// The URLs currently served in their fixed variant.
    public var fixedURLs: Set<String> { state.fixedURLs }

    // MARK: Holding requests

    /// Answers the next `count` requests, then holds every further one unanswered until
    /// `releaseHeldRequests()`: a test stops a client at a known point, whatever the
    /// machine's speed.
    public func holdRequests(after count: Int) { state.hold(after: count) }

    /// Returns once a request is being held.
    public func waitForHeldRequest() async { await state.waitForHeld() }

    /// Stops holding and answers the held requests.
    public func releaseHeldRequests() { state.releaseHeld() }
}

/// Errors starting the fixture server.
public enum FixtureServerError: Error {
    /// The socket reported no local port after binding.
    case noPort
}
