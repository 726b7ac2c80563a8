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

/// Fetches single URLs for `govwatch extract URL` as the crawler fetches a homepage, under
/// the same `FetchPolicy`: the same request headers and User-Agent, redirects followed by
/// hand (hop limit, loop detection, the chain recorded) and then redirect pages (meta
/// refresh, `location.href=` in a tiny page), 429/503 retried after `Retry-After`, the
/// same timeouts and decompression limits, and a cap on the body size (the rest is not
/// downloaded). Requests go through `SimpleHTTP` (absolute-form requests through a forward
/// proxy). Safe to use from many tasks at once.
public final class PageFetcher: Sendable {
    /// Limits of one fetch.
    public struct Limits: Sendable {
        /// Redirects followed before giving up.
        public var maximumRedirects = FetchPolicy().maximumRedirects
        /// Time allowed for one request, body included.
        public var requestTimeout: Duration = FetchPolicy().responseTimeout
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
    public init(proxy: String?, limits: Limits = Limits(), policy: FetchPolicy = FetchPolicy()) throws {
        self.http = try SimpleHTTP(client: InspectionHTTPClient.make(proxy: proxy, policy: policy), proxy: proxy, policy: policy)
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
        let policy = http.policy
        var current = url
        var chain: [NormalizedURL] = []
        var visited: Set<NormalizedURL> = [url]
        var redirectPages = 0
        while true {
            let response = try await fetchWithRetries(current)
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
            if response.status == 200, redirectPages < policy.maximumRedirectPageHops, !response.truncated,
                let target = RedirectPage.target(bytes: response.body, contentType: response.contentType, url: current),
                visited.insert(target).inserted
            {
                // The crawler reads the page a redirect page sends to: so does `extract`.
                redirectPages += 1
                chain.append(current)
                current = target
                continue
            }
            var page = response
            page.redirects = chain
            page.elapsed = clock.now - began
            return page
        }
    }

    /// `fetchOnce`, again after `Retry-After` (or the policy's backoff) while the server
    /// answers 429/503 or 5xx, as many times as the policy retries.
    private func fetchWithRetries(_ url: NormalizedURL) async throws -> FetchedPage {
        let policy = http.policy
        var attempt = 0
        while true {
            let response = try await fetchOnce(url)
            guard FetchPolicy.classify(status: response.status).retryable, attempt < policy.maximumRetries else { return response }
            var wait = policy.retryBackoff * (1 << attempt)
            if let retryAfter = response.header("Retry-After").flatMap({ FetchPolicy.retryAfter($0) }) {
                guard retryAfter <= policy.maximumRetryAfter else { return response }
                wait = max(wait, retryAfter)
            }
            attempt += 1
            try await Task.sleep(for: wait)
        }
    }

    private func fetchOnce(_ url: NormalizedURL) async throws -> FetchedPage {
        let headers = http.policy.headers(compressed: false)
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
