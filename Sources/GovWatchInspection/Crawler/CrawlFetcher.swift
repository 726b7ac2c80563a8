import AsyncHTTPClient
import Foundation
import GovWatchPage
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL

/// A response as the crawler keeps it: status, where it ended, the headers it needs and
/// (for GET) the body, never more than the configured cap.
struct CrawlResponse: Sendable {
    var status: Int
    var finalURL: NormalizedURL
    /// The hops before `finalURL`, the requested URL first.
    var redirects: [NormalizedURL]
    var contentType: String?
    var etag: String?
    var lastModified: String?
    var body: [UInt8]
    /// The `Location` of a 3xx answer.
    var redirectLocation: String? = nil
}

/// Why a URL could not be loaded, in Chinese for the inspector, with the status when the
/// server answered something (e.g. the 302 of a redirect loop).
struct CrawlFailure: Error, Sendable {
    var reason: String
    var status: Int?
    var finalURL: NormalizedURL?
    /// Worth another attempt (timeouts, refused or dropped connections).
    var retryable: Bool
}

/// HTTP for the crawler: one logical fetch follows redirects by hand (hop limit, loop
/// detection), retries with backoff on timeouts, dropped connections, 429 (honouring
/// `Retry-After`) and 5xx, and enforces separate connect, first-byte and whole-response
/// timeouts and a body-size cap. Every request passes the per-host politeness gate.
/// Requests go through `HTTP1Transport` (keep-alive connections), except HTTPS through
/// `--proxy`, which AsyncHTTPClient tunnels with `CONNECT`.
final class CrawlFetcher: Sendable {
    enum Method: Sendable { case head, get }

    let client: HTTPClient
    private let ownsClient: Bool
    let configuration: CrawlConfiguration
    let gate: PolitenessGate
    /// The global limit: `concurrency` requests in flight over all hosts and over all the
    /// crawls sharing this fetcher (an inspection crawls several sites at once). The gate's
    /// slots under one key, without delay.
    private let inFlight: PolitenessGate
    /// Hosts that answered HEAD wrongly (an error where GET works): checked with GET from then on.
    private let headBroken = HostSet()
    /// Every `http://` request, direct or through `--proxy`, and `https://` without a proxy
    /// (HTTPS through a proxy goes through `client`, which tunnels with `CONNECT`).
    private let transport: HTTP1Transport
    /// User-Agent, Accept, Accept-Language, Accept-Encoding, as the fetch policy says.
    private let headers: HTTPHeaders

    init(configuration: CrawlConfiguration, client: HTTPClient?) throws {
        self.configuration = configuration
        self.headers = configuration.fetch.headers()
        self.gate = PolitenessGate(
            perHostLimit: configuration.perHostConcurrency, delay: configuration.perHostDelay,
            autoThrottle: configuration.autoThrottle)
        self.inFlight = PolitenessGate(perHostLimit: configuration.concurrency, delay: .zero)
        self.transport = HTTP1Transport(
            route: try InspectionHTTPClient.route(configuration.proxy), connectTimeout: TimeAmount(configuration.connectTimeout),
            decompressionRatio: configuration.maximumDecompressionRatio,
            maximumIdlePerEndpoint: max(16, configuration.concurrency))
        if let client {
            self.client = client
            self.ownsClient = false
        } else {
            self.client = try Self.makeClient(configuration)
            self.ownsClient = true
        }
    }

    /// A client with the crawl's timeouts and limits, the shared User-Agent and proxy rules.
    static func makeClient(_ configuration: CrawlConfiguration) throws -> HTTPClient {
        var settings = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: TimeAmount(configuration.connectTimeout), read: TimeAmount(configuration.firstByteTimeout)),
            proxy: try InspectionHTTPClient.proxy(configuration.proxy),
            decompression: .enabled(limit: .ratio(configuration.maximumDecompressionRatio)))
        settings.httpVersion = .http1Only
        // Fail a request on the first refused connection instead of retrying until its
        // deadline: the crawler has its own retry policy and reports the reason.
        settings.connectionPool.retryConnectionEstablishment = false
        settings.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, configuration.perHostConcurrency)
        // No tracing: nothing collects spans, and filling a span's attributes for every request
        // cost ~2% of a crawl's CPU even with the no-op tracer.
        settings.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: settings)
    }

    func shutdown() async throws {
        transport.shutdown()
        if ownsClient { try await client.shutdown() }
    }

    /// GET `url` following redirects; `validators` make it conditional (a 304 comes back as is).
    func get(_ url: NormalizedURL, bodyLimit: Int, validators: (etag: String?, lastModified: String?)? = nil) async throws
        -> Result<CrawlResponse, CrawlFailure>
    {
        try await follow(url, method: .get, bodyLimit: bodyLimit, validators: validators)
    }

    /// Checks that `url` loads: HEAD, then GET when the server mishandles HEAD.
    func check(_ url: NormalizedURL) async throws -> Result<CrawlResponse, CrawlFailure> {
        if await !headBroken.contains(url.authority) {
            let head = try await follow(url, method: .head, bodyLimit: 0, validators: nil)
            switch head {
            case .success(let response) where response.status < 400: return head
            case .success, .failure:
                // Many servers answer HEAD with 403/404/405/500 or drop it: ask again with GET.
                let get = try await follow(url, method: .get, bodyLimit: 0, validators: nil)
                if case .success(let response) = get, response.status < 400, case .success = head {
                    await headBroken.insert(url.authority)
                }
                return get
            }
        }
        return try await follow(url, method: .get, bodyLimit: 0, validators: nil)
    }

    private func follow(
        _ start: NormalizedURL, method: Method, bodyLimit: Int, validators: (etag: String?, lastModified: String?)?
    ) async throws -> Result<CrawlResponse, CrawlFailure> {
        var current = start
        var chain: [NormalizedURL] = []
        var visited: Set<NormalizedURL> = [start]
        while true {
            let attempt = try await attemptWithRetries(
                current, method: method, bodyLimit: bodyLimit, validators: chain.isEmpty ? validators : nil)
            guard case .success(var response) = attempt else { return attempt }
            guard (300...399).contains(response.status), response.status != 304 else {
                response.redirects = chain
                return .success(response)
            }
            guard let location = response.redirectLocation, let next = current.resolve(location) else {
                return .failure(CrawlFailure(reason: "重定向地址无效", status: response.status, finalURL: current, retryable: false))
            }
            chain.append(current)
            if !visited.insert(next).inserted {
                return .failure(CrawlFailure(reason: "重定向循环", status: response.status, finalURL: next, retryable: false))
            }
            if chain.count > configuration.maximumRedirects {
                return .failure(
                    CrawlFailure(
                        reason: "重定向次数过多（超过\(configuration.maximumRedirects)次）", status: response.status,
                        finalURL: next, retryable: false))
            }
            current = next
        }
    }

    /// The one key of `inFlight`.
    private static let everyHost = ""

    private func attemptWithRetries(
        _ url: NormalizedURL, method: Method, bodyLimit: Int, validators: (etag: String?, lastModified: String?)?
    ) async throws -> Result<CrawlResponse, CrawlFailure> {
        var attempt = 0
        while true {
            try Task.checkCancellation()
            let host = url.authority
            // The host's slot first: a request waiting for its host's turn holds no global slot.
            try await gate.acquire(host)
            do {
                try await inFlight.acquire(Self.everyHost)
            } catch {
                gate.release(host)
                throw error
            }
            let outcome: Result<CrawlResponse, CrawlFailure>
            let retryAfter: Duration?
            let began = ContinuousClock.now
            do {
                (outcome, retryAfter) = try await once(url, method: method, bodyLimit: bodyLimit, validators: validators)
            } catch {
                inFlight.release(Self.everyHost)
                gate.release(host)
                throw error
            }
            inFlight.release(Self.everyHost)
            gate.release(host)
            let latency = ContinuousClock.now - began
            if case .success(let response) = outcome {
                gate.observe(host, latency: latency, status: response.status)
                InspectionMetrics.fetched(status: response.status, bytes: response.body.count, latency: latency)
            } else {
                gate.observe(host, latency: latency, status: nil)
                if case .failure(let failure) = outcome { InspectionMetrics.fetched(status: failure.status, bytes: 0, latency: latency) }
            }
            var wait = configuration.retryBackoff * (1 << min(attempt, 16))
            switch outcome {
            case .success(let response) where FetchPolicy.classify(status: response.status).retryable:
                if let retryAfter {
                    // A server asking for longer than we wait has answered: report what it said.
                    guard retryAfter <= configuration.maximumRetryAfter else { return outcome }
                    wait = max(wait, retryAfter)
                }
                if FetchPolicy.classify(status: response.status) == .rateLimited {
                    // The whole host is asked to slow down, not only this request.
                    gate.pause(host, for: wait)
                }
            case .failure(let failure) where failure.retryable:
                break
            default:
                return outcome
            }
            guard attempt < configuration.maximumRetries else { return outcome }
            attempt += 1
            try await Task.sleep(for: wait)
        }
    }

    /// One HTTP exchange, no redirects followed; also the `Retry-After` it carried.
    private func once(
        _ url: NormalizedURL, method: Method, bodyLimit: Int, validators: (etag: String?, lastModified: String?)?
    ) async throws -> (Result<CrawlResponse, CrawlFailure>, Duration?) {
        let clock = ContinuousClock()
        let began = clock.now
        var request = HTTPClientRequest(url: url.description)
        request.method = method == .head ? .HEAD : .GET
        request.headers = headers
        if let validators {
            if let etag = validators.etag { request.headers.add(name: "If-None-Match", value: etag) }
            if let lastModified = validators.lastModified { request.headers.add(name: "If-Modified-Since", value: lastModified) }
        }
        if transport.handles(url) {
            return try await viaTransport(url, method: method, headers: request.headers, bodyLimit: bodyLimit)
        }
        let response: HTTPClientResponse
        do {
            // The deadline of `execute` ends when the head arrives: it is the first-byte timeout.
            response = try await client.execute(request, deadline: .now() + TimeAmount(configuration.firstByteTimeout))
        } catch {
            return (.failure(try Self.failure(error, url: url)), nil)
        }
        let status = Int(response.status.code)
        var result = CrawlResponse(
            status: status, finalURL: url, redirects: [], contentType: response.headers.first(name: "Content-Type"),
            etag: response.headers.first(name: "ETag"), lastModified: response.headers.first(name: "Last-Modified"), body: [])
        if (300...399).contains(status) { result.redirectLocation = response.headers.first(name: "Location") }
        let retryAfter = response.headers.first(name: "Retry-After").flatMap { FetchPolicy.retryAfter($0) }
        // Bodies of HEAD, redirects, errors and checks are not needed: leaving them unread
        // closes the connection rather than downloading what nobody reads.
        guard method == .get, bodyLimit > 0, status == 200 || status == 203 else { return (.success(result), retryAfter) }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > bodyLimit {
            return (.failure(Self.tooLarge(bodyLimit, status: status, url: url)), nil)
        }
        let deadline = began + configuration.responseTimeout
        do {
            result.body = try await Self.readBody(response.body, limit: bodyLimit, deadline: deadline, clock: clock)
        } catch let error as BodyError {
            switch error {
            case .tooLarge: return (.failure(Self.tooLarge(bodyLimit, status: status, url: url)), nil)
            case .timedOut:
                // A server that keeps trickling is slow, not down: another attempt would only wait again.
                return (.failure(CrawlFailure(reason: "超时（整体响应超过\(Self.seconds(configuration.responseTimeout))秒）", status: status, finalURL: url, retryable: false)), nil)
            }
        } catch {
            var failure = try Self.failure(error, url: url)
            failure.status = status
            return (.failure(failure), nil)
        }
        return (.success(result), retryAfter)
    }

    private enum BodyError: Error { case tooLarge, timedOut }

    /// `once` through `transport`.
    private func viaTransport(
        _ url: NormalizedURL, method: Method, headers: HTTPHeaders, bodyLimit: Int
    ) async throws -> (Result<CrawlResponse, CrawlFailure>, Duration?) {
        let reads = method == .get && bodyLimit > 0
        do {
            let exchange = try await transport.exchange(
                method: method == .head ? .HEAD : .GET, target: try transport.target(for: url), headers: headers,
                firstByteTimeout: TimeAmount(configuration.firstByteTimeout),
                responseTimeout: TimeAmount(configuration.responseTimeout),
                bodyLimit: { head in
                    guard reads, head.status.code == 200 || head.status.code == 203 else { return nil }
                    if let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > bodyLimit { return 0 }
                    return bodyLimit
                })
            let head = exchange.head
            let status = Int(head.status.code)
            var result = CrawlResponse(
                status: status, finalURL: url, redirects: [], contentType: head.headers.first(name: "Content-Type"),
                etag: head.headers.first(name: "ETag"), lastModified: head.headers.first(name: "Last-Modified"),
                body: exchange.body)
            if (300...399).contains(status) { result.redirectLocation = head.headers.first(name: "Location") }
            return (.success(result), head.headers.first(name: "Retry-After").flatMap { FetchPolicy.retryAfter($0) })
        } catch let failure as HTTP1Transport.Failure {
            switch failure {
            case .firstByteTimeout:
                return (.failure(CrawlFailure(reason: "超时", status: nil, finalURL: url, retryable: true)), nil)
            case .responseTimeout:
                return (.failure(CrawlFailure(reason: "超时（整体响应超过\(Self.seconds(configuration.responseTimeout))秒）", status: 200, finalURL: url, retryable: false)), nil)
            case .tooLarge:
                return (.failure(Self.tooLarge(bodyLimit, status: 200, url: url)), nil)
            case .closedEarly:
                return (.failure(CrawlFailure(reason: "连接被关闭", status: nil, finalURL: url, retryable: true)), nil)
            }
        } catch {
            return (.failure(try Self.failure(error, url: url)), nil)
        }
    }

    /// Reads at most `limit` bytes before `deadline`. The deadline is checked as each chunk
    /// arrives, and the client's read timeout (`firstByteTimeout`) bounds the wait for a
    /// chunk, so a trickling server holds the crawl at most that long past the deadline —
    /// without a timer task per response (one per page was a measurable part of a crawl).
    private static func readBody(
        _ body: HTTPClientResponse.Body, limit: Int, deadline: ContinuousClock.Instant, clock: ContinuousClock
    ) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in body {
            if bytes.count + chunk.readableBytes > limit { throw BodyError.tooLarge }
            if clock.now > deadline { throw BodyError.timedOut }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    private static func tooLarge(_ limit: Int, status: Int, url: NormalizedURL) -> CrawlFailure {
        CrawlFailure(reason: "响应过大（超过\(limit / 1_048_576)MB）", status: status, finalURL: url, retryable: false)
    }

    private static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A transport error in words; rethrows cancellation (the crawl was stopped).
    static func failure(_ error: any Error, url: NormalizedURL) throws -> CrawlFailure {
        let failure = try FetchPolicy.failure(error)
        return CrawlFailure(reason: failure.reason, status: nil, finalURL: url, retryable: failure.retryable)
    }
}

/// A concurrent set of host names.
actor HostSet {
    private var hosts: Set<String> = []
    func contains(_ host: String) -> Bool { hosts.contains(host) }
    func insert(_ host: String) { hosts.insert(host) }
}

