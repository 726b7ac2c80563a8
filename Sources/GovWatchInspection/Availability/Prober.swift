import AsyncHTTPClient
import Foundation
import GovWatchCore
import NIOCore
import NIOHTTP1

/// One availability probe of a homepage (`govwatch probe`, run ≥ 20 times a day).
///
/// A probe fails per `site.unreachable`: no complete response within the timeout (15 s by
/// default), a 5xx answer, or a connection or DNS error. 4xx answers other than 403/429
/// (a firewall or rate limiter in front of a live server) also fail: the homepage did not
/// load. Redirects are followed up to 5 hops; the body is read up to 2 MB.
public struct Prober: Sendable {
    public var http: SimpleHTTP
    public var timeout: TimeAmount
    public var maxBodyBytes = 2 << 20
    public var maxRedirects = 5

    public init(http: SimpleHTTP, timeout: TimeAmount = .seconds(15)) {
        self.http = http
        self.timeout = timeout
    }

    /// Probes `url`; never throws: every failure is a failed probe with its reason in Chinese.
    public func probe(siteCode: String, url: String, at: Date) async -> Probe {
        let started = ContinuousClock.now
        let deadline = NIODeadline.now() + timeout
        var current = url
        var visited: Set<String> = []
        do {
            for _ in 0...maxRedirects {
                visited.insert(current)
                let response = try await http.get(current, deadline: deadline, maxBytes: maxBodyBytes, truncateOverLimit: true)
                let status = response.status
                if (300..<400).contains(status), let location = response.headers.first(name: "Location"),
                    let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString
                {
                    if visited.contains(next) {
                        return failed(siteCode, at, started, status: status, error: "重定向循环")
                    }
                    current = next
                    continue
                }
                let ok = status < 400 || status == 403 || status == 429
                return Probe(
                    siteCode: siteCode, at: at, ok: ok, status: status, latencyMilliseconds: milliseconds(since: started),
                    error: ok ? nil : "HTTP \(status)")
            }
            return failed(siteCode, at, started, status: nil, error: "重定向次数超过\(maxRedirects)次")
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

    /// A short Chinese reason for a transport error.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "超时"
            case .connectTimeout: return "连接超时"
            case .remoteConnectionClosed: return "连接被关闭"
            default: return "请求失败（\(error)）"
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "连接被拒绝" }
        if text.contains("DNS") || text.contains("resolve") { return "域名解析失败" }
        return "请求失败（\(text.prefix(120))）"
    }
}
