import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL

/// How GovWatch fetches anything from a government site — the one home of redirects,
/// timeouts, decompression limits, retries, the proxy, the User-Agent and the meaning of a
/// status — shared by the crawler (`CrawlFetcher`), `extract URL` (`PageFetcher`), the
/// availability prober and the feed poller, so each sees a page and judges an answer the
/// same way.
public struct FetchPolicy: Sendable, Hashable {
    /// Who to write to about the inspection (an e-mail address or a web page), named in the
    /// User-Agent so a site's web team can reach the supervisor instead of blocking us.
    public var contact: String?
    /// The HTTP proxy for every request (`--proxy http://HOST:PORT`).
    public var proxy: String?
    /// Establishing a TCP connection (to the server or the proxy).
    public var connectTimeout: Duration = .seconds(10)
    /// From sending the request to the response head (also the longest silence while reading).
    public var firstByteTimeout: Duration = .seconds(15)
    /// The whole response, body included: a server trickling bytes is cut off here.
    public var responseTimeout: Duration = .seconds(30)
    /// HTTP redirect hops followed before giving up.
    public var maximumRedirects = 10
    /// Redirect pages (`<meta http-equiv="refresh">`, `location.href=` in a tiny page)
    /// followed from a homepage before reading the page that answered.
    public var maximumRedirectPageHops = 3
    /// Decompressed bytes allowed per compressed byte (gzip bombs).
    public var maximumDecompressionRatio = 20
    /// Retries after a timeout, a connection failure, 429 or 5xx (so up to 1 + this many attempts).
    public var maximumRetries = 2
    /// The first retry waits this long, each further one twice as long (unless `Retry-After` says otherwise).
    public var retryBackoff: Duration = .milliseconds(500)
    /// The longest `Retry-After` honoured; a server asking for more is reported as it answered.
    public var maximumRetryAfter: Duration = .seconds(30)

    /// The defaults.
    public init() {}

    /// The product token; the comment says what the requests are for and whom to contact.
    public static let product = "GovWatch/1.0"

    /// `GovWatch/1.0 (+政府网站与政务新媒体监管; contact: …)`: sent with every request so a
    /// site's operators can tell the inspection from an attack and reach whoever runs it.
    public var userAgent: String {
        let contact = self.contact?.trimmingCharacters(in: .whitespacesAndNewlines)
            .filter { $0 != "(" && $0 != ")" && !$0.isNewline }
        guard let contact, !contact.isEmpty else { return "\(Self.product) (+政府网站与政务新媒体监管)" }
        return "\(Self.product) (+政府网站与政务新媒体监管; contact: \(contact))"
    }

    /// What pages are asked for.
    static let acceptPages = "text/html,application/xhtml+xml,*/*;q=0.8"
    /// What feeds are asked for.
    static let acceptFeeds =
        "application/rss+xml, application/atom+xml, application/feed+json, application/json, application/xml;q=0.9, */*;q=0.5"

    /// The request headers every fetch sends (User-Agent, Accept, Accept-Language), plus
    /// `Accept-Encoding` when the caller's transport decompresses itself.
    func headers(accept: String = acceptPages, compressed: Bool = true) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "User-Agent", value: userAgent)
        headers.add(name: "Accept", value: accept)
        headers.add(name: "Accept-Language", value: "zh-CN,zh;q=0.9")
        if compressed { headers.add(name: "Accept-Encoding", value: "gzip, deflate") }
        return headers
    }

    // MARK: - What a status means

    /// What an HTTP status means for an inspection: one classification for the crawler, the
    /// prober, the feed poller and `extract`.
    public enum ResponseClass: String, Sendable, Hashable, CaseIterable {
        /// 2xx: the resource loaded.
        case loaded
        /// 304 to a conditional request: unchanged since the last inspection.
        case notModified
        /// 3xx with a `Location` to follow.
        case redirect
        /// 429 Too Many Requests or 503 Service Unavailable: the server is throttling or
        /// briefly overloaded. Retried after `Retry-After`; when it persists the resource
        /// could not be read — never a broken link (`site.inspection.incomplete` says so).
        case rateLimited
        /// 403: a firewall or access rule in front of a live server.
        case forbidden
        /// 404 / 410: the resource does not exist.
        case notFound
        /// Any other 4xx.
        case clientError
        /// 5xx other than 503.
        case serverError

        /// Worth another attempt (after `Retry-After` or the backoff).
        public var retryable: Bool { self == .rateLimited || self == .serverError }

        /// A link answering so is broken (`site.links.broken`).
        public var isBrokenLink: Bool {
            switch self {
            case .forbidden, .notFound, .clientError, .serverError: true
            case .loaded, .notModified, .redirect, .rateLimited: false
            }
        }
    }

    /// The class of `status`.
    public static func classify(status: Int) -> ResponseClass {
        switch status {
        case 304: .notModified
        case 300...399: .redirect
        case 429, 503: .rateLimited
        case 403: .forbidden
        case 404, 410: .notFound
        case 400...499: .clientError
        case 500...: .serverError
        default: .loaded
        }
    }

    /// Why an answer with `status` is not the resource, in Chinese; nil when it is (2xx, 3xx).
    public static func reason(status: Int) -> String? {
        switch classify(status: status) {
        case .loaded, .notModified, .redirect: nil
        case .rateLimited:
            status == 429 ? "服务器持续限流（HTTP 429 请求过多），未能读取" : "服务器持续暂时不可用（HTTP 503），未能读取"
        case .forbidden: "禁止访问（HTTP 403）"
        case .notFound: "页面不存在（HTTP \(status)）"
        case .clientError: "请求被拒绝（HTTP \(status)）"
        case .serverError: "服务器错误（HTTP \(status)）"
        }
    }

    /// `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), from `now`.
    public static func retryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return seconds >= 0 ? .seconds(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) {
                return .milliseconds(max(0, Int(date.timeIntervalSince(now) * 1000)))
            }
        }
        return nil
    }

    // MARK: - What a failure means

    /// A transport failure in words, and whether another attempt may help.
    public struct Failure: Sendable, Hashable {
        public var reason: String
        public var retryable: Bool
    }

    /// A transport error in words; rethrows cancellation (the fetch was stopped).
    static func failure(_ error: any Error) throws -> Failure {
        if error is CancellationError { throw error }
        func failed(_ reason: String, retry: Bool) -> Failure { Failure(reason: reason, retryable: retry) }
        if error is HTTP1Transport.UnsupportedURL { return failed("网址无效", retry: false) }
        if let error = error as? HTTP1Transport.Failure {
            switch error {
            case .firstByteTimeout: return failed("超时", retry: true)
            case .responseTimeout: return failed("超时（整体响应超时）", retry: false)
            case .tooLarge: return failed("响应过大", retry: false)
            case .closedEarly: return failed("连接被关闭", retry: true)
            }
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return failed("证书或加密连接错误", retry: false)
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled:
                if Task.isCancelled { throw CancellationError() }
                return failed("请求被取消", retry: true)
            case .connectTimeout: return failed("连接超时", retry: true)
            case .deadlineExceeded, .readTimeout: return failed("超时", retry: true)
            case .getConnectionFromPoolTimeout: return failed("连接超时", retry: true)
            case .remoteConnectionClosed: return failed("连接被关闭", retry: true)
            case .invalidURL, .emptyHost, .emptyScheme: return failed("网址无效", retry: false)
            default: break
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .ioOnClosedChannel, .eof, .outputClosed, .inputClosed, .alreadyClosed: return failed("连接被关闭", retry: true)
            case .connectTimeout: return failed("连接超时", retry: true)
            default: return failed("连接错误（\(error)）", retry: true)
            }
        }
        if let error = error as? NIOHTTPDecompression.DecompressionError {
            switch error {
            case .limit: return failed("解压后超过上限（疑似压缩炸弹）", retry: false)
            default: return failed("压缩数据损坏", retry: false)
            }
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return failed("域名解析失败", retry: false)
            }
            let text = error.connectionErrors.map { String(describing: $0.error) }.joined(separator: " ")
            if text.contains("ECONNREFUSED") || text.contains("refused") || text.contains("errno: 111") {
                return failed("连接被拒绝", retry: true)
            }
            return failed("无法建立连接", retry: true)
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return failed("连接被拒绝", retry: true)
            case ECONNRESET: return failed("连接被重置", retry: true)
            case ETIMEDOUT: return failed("连接超时", retry: true)
            case EHOSTUNREACH, ENETUNREACH: return failed("网络不可达", retry: false)
            default: return failed("网络错误（\(error.errnoCode)）", retry: true)
            }
        }
        let text = String(describing: error)
        if text.contains("NXDOMAIN") || text.contains("DNS") || text.contains("resolve") { return failed("域名解析失败", retry: false) }
        if text.contains("refused") { return failed("连接被拒绝", retry: true) }
        if text.contains("SSL") || text.contains("TLS") || text.contains("ertificate") { return failed("证书或加密连接错误", retry: false) }
        return failed("请求失败（\(text.prefix(80))）", retry: false)
    }
}
