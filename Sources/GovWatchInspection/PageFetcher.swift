import AsyncHTTPClient
import Foundation
import GovWatchPage
import NIOCore
import NIOHTTP1

/// One fetched resource: the bytes, the headers and where it finally came from.
public struct FetchedPage: Sendable {
    /// The URL that answered, after redirects (normalised).
    public var finalURL: NormalizedURL
    /// The redirect chain before `finalURL`, in order (the requested URL first).
    public var redirects: [NormalizedURL]
    /// The HTTP status of the final response.
    public var status: Int
    /// The response headers of the final response, in order.
    public var headers: [(name: String, value: String)]
    /// The body, at most `PageFetcher.Configuration.maximumBodyBytes` bytes.
    public var body: [UInt8]
    /// Whether the body was cut at the size cap.
    public var truncated: Bool
    /// How long the whole fetch took.
    public var elapsed: Duration

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first(where: { $0.name.lowercased() == wanted })?.value
    }

    /// The `Content-Type` header.
    public var contentType: String? { header("Content-Type") }
}

/// Why a fetch failed, in words an inspector can read.
public enum PageFetchError: Error, Sendable, CustomStringConvertible {
    /// The URL is not an absolute http(s) URL.
    case invalidURL(String)
    /// More redirects than the configured hop limit.
    case tooManyRedirects(NormalizedURL, hops: Int)
    /// A redirect led back to a URL already visited.
    case redirectLoop(NormalizedURL)
    /// A redirect without a usable `Location`.
    case badRedirect(NormalizedURL, location: String?)
    /// No complete answer within the configured time.
    case timedOut(NormalizedURL)
    /// DNS, connection, TLS or protocol failure.
    case transport(NormalizedURL, String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "网址无效：\(url)"
        case .tooManyRedirects(let url, let hops): "重定向超过 \(hops) 次：\(url)"
        case .redirectLoop(let url): "重定向循环：\(url)"
        case .badRedirect(let url, let location): "重定向地址无效：\(url) → \(location ?? "（空）")"
        case .timedOut(let url): "访问超时：\(url)"
        case .transport(let url, let reason): "无法访问 \(url)：\(reason)"
        }
    }
}

/// Fetches single URLs (`SimpleHTTP`: absolute-form requests through a forward proxy), redirects followed
/// by hand (hop limit, loop detection, the chain recorded), connect / read /
/// whole-request timeouts, and a cap on the body size (the rest is not downloaded).
///
/// The HTTP client comes from `InspectionHTTPClient` (User-Agent, proxy, decompression
/// limits shared with the prober). Safe to use from many tasks at once.
public final class PageFetcher: Sendable {
    /// Limits of one fetch.
    public struct Limits: Sendable {
        /// Redirects followed before giving up.
        public var maximumRedirects = 10
        /// Time allowed for one request, body included.
        public var requestTimeout: Duration = .seconds(30)
        /// Bytes of body kept; the rest is not downloaded.
        public var maximumBodyBytes = 10 * 1024 * 1024

        /// The defaults: 10 redirects, 30 s per request, 10 MiB of body.
        public init() {}
    }

    /// The limits in use.
    public let limits: Limits
    private let http: SimpleHTTP
    private let ownsClient: Bool

    /// Fetches through `http`, whose client the caller keeps and shuts down.
    public init(http: SimpleHTTP, limits: Limits = Limits()) {
        self.http = http
        self.limits = limits
        self.ownsClient = false
    }

    /// Starts its own client, through `proxy` (`http://HOST:PORT`) when given.
    ///
    /// - Throws: `InspectionHTTPClient.InvalidProxy` for a malformed proxy address.
    public init(proxy: String?, limits: Limits = Limits()) throws {
        self.http = try SimpleHTTP(client: InspectionHTTPClient.make(proxy: proxy), proxy: proxy)
        self.limits = limits
        self.ownsClient = true
    }

    /// Stops the client if this fetcher started it. Call once, after the last fetch.
    public func shutdown() async throws {
        if ownsClient { try await http.client.shutdown() }
    }

    /// Fetches `url` with GET, following redirects.
    public func fetch(_ url: String) async throws -> FetchedPage {
        guard let start = NormalizedURL(url) else { throw PageFetchError.invalidURL(url) }
        return try await fetch(start)
    }

    /// Fetches `url` with GET, following redirects.
    public func fetch(_ url: NormalizedURL) async throws -> FetchedPage {
        let clock = ContinuousClock()
        let began = clock.now
        var current = url
        var chain: [NormalizedURL] = []
        var visited: Set<NormalizedURL> = [url]
        while true {
            let response = try await fetchOnce(current)
            if (300...399).contains(response.status), response.status != 304 {
                let location = response.header("Location")
                guard let location, let next = current.resolve(location) else {
                    throw PageFetchError.badRedirect(current, location: location)
                }
                chain.append(current)
                guard chain.count <= limits.maximumRedirects else {
                    throw PageFetchError.tooManyRedirects(url, hops: limits.maximumRedirects)
                }
                guard visited.insert(next).inserted else { throw PageFetchError.redirectLoop(next) }
                current = next
                continue
            }
            var page = response
            page.redirects = chain
            page.elapsed = clock.now - began
            return page
        }
    }

    private func fetchOnce(_ url: NormalizedURL) async throws -> FetchedPage {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "text/html,application/xhtml+xml,*/*;q=0.8")
        headers.add(name: "Accept-Language", value: "zh-CN,zh;q=0.9")
        let deadline = NIODeadline.now() + TimeAmount(limits.requestTimeout)
        do {
            let response = try await http.get(
                url.description, headers: headers, deadline: deadline, maxBytes: limits.maximumBodyBytes)
            return FetchedPage(
                finalURL: url, redirects: [], status: response.status,
                headers: response.headers.map { ($0.name, $0.value) }, body: [UInt8](response.body),
                truncated: response.truncated, elapsed: .zero)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout {
            throw PageFetchError.timedOut(url)
        } catch let error as PageFetchError {
            throw error
        } catch let error as SimpleHTTP.TooLarge {
            throw PageFetchError.transport(url, error.description)
        } catch {
            throw PageFetchError.transport(url, String(describing: error))
        }
    }
}

extension TimeAmount {
    /// A NIO time amount from a Swift duration (nanosecond precision).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
