import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchPage
import NIOCore
import NIOHTTP1

/// One availability probe of a homepage (`govwatch probe`, run ≥ 20 times a day).
///
/// A probe fails per `site.unreachable`: no complete response within the timeout (15 s by
/// default), a 5xx answer, or a connection or DNS error. 4xx answers other than 403/429
/// (a firewall or rate limiter in front of a live server) also fail: the homepage did not
/// load. Statuses and transport errors are judged by `FetchPolicy`, as the crawler judges
/// them; redirects and redirect pages (meta refresh, `location.href=`) are followed as the
/// crawler follows them, up to the policy's hops; the body is read up to 2 MB. A probe is
/// one visitor's view: it is not retried.
public struct Prober: Sendable {
    public var http: SimpleHTTP
    public var timeout: TimeAmount
    public var maxBodyBytes = 2 << 20

    public init(http: SimpleHTTP, timeout: TimeAmount = .seconds(15)) {
        self.http = http
        self.timeout = timeout
    }

    /// Whether a homepage answering `status` (after redirects) is up: it loaded, or a live
    /// server refused or throttled us (403, 429). 503 is a 5xx, which the rule counts as down.
    public static func answers(status: Int) -> Bool {
        switch FetchPolicy.classify(status: status) {
        case .loaded, .notModified, .redirect, .forbidden: true
        case .rateLimited: status == 429
        case .notFound, .clientError, .serverError: false
        }
    }

    /// Probes `url`; never throws: every failure is a failed probe with its reason in Chinese.
    public func probe(siteCode: String, url: String, at: Date) async -> Probe {
        let started = ContinuousClock.now
        let deadline = NIODeadline.now() + timeout
        let policy = http.policy
        var current = url
        var visited: Set<String> = []
        var redirectPages = 0
        do {
            for _ in 0...(policy.maximumRedirects + policy.maximumRedirectPageHops) {
                visited.insert(current)
                let response = try await http.get(
                    current, headers: policy.headers(compressed: false), deadline: deadline, maxBytes: maxBodyBytes,
                    truncateOverLimit: true)
                let status = response.status
                if FetchPolicy.classify(status: status) == .redirect, let location = response.headers.first(name: "Location"),
                    let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString
                {
                    if visited.contains(next) {
                        return failed(siteCode, at, started, status: status, error: "重定向循环")
                    }
                    current = next
                    continue
                }
                if status == 200, redirectPages < policy.maximumRedirectPageHops, !response.truncated,
                    let here = NormalizedURL(current),
                    let target = RedirectPage.target(
                        bytes: [UInt8](response.body), contentType: response.headers.first(name: "Content-Type"), url: here),
                    !visited.contains(target.description)
                {
                    // A redirect page in front of the real homepage: the visitor lands there.
                    redirectPages += 1
                    current = target.description
                    continue
                }
                let ok = Self.answers(status: status)
                return Probe(
                    siteCode: siteCode, at: at, ok: ok, status: status, latencyMilliseconds: milliseconds(since: started),
                    error: ok ? nil : "HTTP \(status)")
            }
            return failed(siteCode, at, started, status: nil, error: "重定向次数超过\(policy.maximumRedirects)次")
        } catch {
            return failed(siteCode, at, started, status: nil, error: Self.describe(error))
        }
    }

    private func failed(_ code: String, _ at: Date, _ started: ContinuousClock.Instant, status: Int?, error: String) -> Probe {
        Probe(siteCode: code, at: at, ok: false, status: status, latencyMilliseconds: milliseconds(since: started), error: error)
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// A short Chinese reason for a transport error, as the crawler words it (`FetchPolicy`).
    static func describe(_ error: any Error) -> String {
        (try? FetchPolicy.failure(error).reason) ?? "请求被取消"
    }
}
