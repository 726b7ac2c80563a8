import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// One-shot GET requests for the prober, the feed poller and app download checks, through
/// the configured forward proxy.
///
/// AsyncHTTPClient tunnels every request through a proxy with `CONNECT`; forward proxies
/// (the fixture server, many government network gateways) expect plain-HTTP requests in
/// absolute form instead. So plain-HTTP requests with a proxy go through `HTTP1Transport`
/// (the crawler's, here with a fresh connection per request), everything else through
/// AsyncHTTPClient.
public struct SimpleHTTP: Sendable {
    public let client: HTTPClient
    /// The fetch policy (User-Agent, redirects, retries, status classes) of every caller.
    public let policy: FetchPolicy
    let forward: HTTP1Transport?

    /// A GET's outcome; `truncated` when the body was cut at the caller's limit.
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data
        public var truncated: Bool
    }

    public init(client: HTTPClient, proxy: String?, policy: FetchPolicy = FetchPolicy()) throws {
        self.client = client
        var policy = policy
        policy.proxy = proxy
        self.policy = policy
        let route = try InspectionHTTPClient.route(proxy)
        if case .proxy = route {
            // One connection per request: a probe measures a fresh connection, as a visitor's.
            forward = HTTP1Transport(
                route: route, connectTimeout: TimeAmount(policy.connectTimeout),
                decompressionRatio: policy.maximumDecompressionRatio, reusesConnections: false)
        } else {
            forward = nil
        }
    }

    /// GETs `url` without following redirects; reads at most `maxBytes` of the body
    /// (`truncateOverLimit`: keep what fits and say so; otherwise `SimpleHTTP.TooLarge`).
    public func get(
        _ url: String, headers: HTTPHeaders = [:], deadline: NIODeadline, maxBytes: Int, truncateOverLimit: Bool = false
    ) async throws -> Response {
        let began = ContinuousClock.now
        do {
            let response = try await exchange(url, headers: headers, deadline: deadline, maxBytes: maxBytes, truncateOverLimit: truncateOverLimit)
            InspectionMetrics.fetched(status: response.status, bytes: response.body.count, latency: ContinuousClock.now - began)
            return response
        } catch {
            if !(error is CancellationError) { InspectionMetrics.fetched(status: nil, bytes: 0, latency: ContinuousClock.now - began) }
            throw error
        }
    }

    /// `get` without the metrics.
    private func exchange(
        _ url: String, headers: HTTPHeaders, deadline: NIODeadline, maxBytes: Int, truncateOverLimit: Bool
    ) async throws -> Response {
        var headers = headers
        if !headers.contains(name: "User-Agent") { headers.add(name: "User-Agent", value: policy.userAgent) }
        if let forward, url.lowercased().hasPrefix("http://") {
            // The head of a response cut at the limit: a truncated answer keeps its status.
            let answered = NIOLockedValueBox<HTTPResponseHead?>(nil)
            // What is left of the caller's deadline; the transport times it from the request's
            // write (connecting has its own timeout).
            let remaining = deadline - NIODeadline.now()
            do {
                let exchange = try await forward.exchange(
                    method: .GET, target: try forward.target(for: url), headers: headers, firstByteTimeout: remaining,
                    responseTimeout: remaining,
                    bodyLimit: { head in
                        answered.withLockedValue { $0 = head }
                        return maxBytes
                    })
                return Response(
                    status: Int(exchange.head.status.code), headers: exchange.head.headers, body: Data(exchange.body), truncated: false)
            } catch HTTP1Transport.Failure.tooLarge where truncateOverLimit {
                let head = answered.withLockedValue { $0 }
                return Response(
                    status: head.map { Int($0.status.code) } ?? 200, headers: head?.headers ?? [:], body: Data(), truncated: true)
            } catch HTTP1Transport.Failure.tooLarge {
                throw TooLarge(limit: maxBytes)
            } catch HTTP1Transport.Failure.firstByteTimeout, HTTP1Transport.Failure.responseTimeout {
                throw HTTPClientError.deadlineExceeded
            }
        }
        var request = HTTPClientRequest(url: url)
        request.headers = headers
        let response = try await client.execute(request, deadline: deadline)
        var body = Data()
        var truncated = false
        for try await chunk in response.body {
            if body.count + chunk.readableBytes > maxBytes {
                guard truncateOverLimit else { throw TooLarge(limit: maxBytes) }
                truncated = true
                break
            }
            body.append(contentsOf: chunk.readableBytesView)
        }
        return Response(status: Int(response.status.code), headers: response.headers, body: body, truncated: truncated)
    }

    public struct TooLarge: Error, CustomStringConvertible {
        public var limit: Int
        public var description: String { "响应过大（超过 \(limit / 1024) KB）" }
    }
}
