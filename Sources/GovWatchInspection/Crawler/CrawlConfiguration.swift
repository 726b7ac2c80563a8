import Foundation

/// The limits and manners of a crawl. The defaults suit a real department site
/// (5,000 pages) crawled politely — two connections and at most ten requests a second per
/// host, slower when the server is slow — and tests and benchmarks tighten or loosen them.
public struct CrawlConfiguration: Sendable, Hashable {
    /// Pages (HTML fetched and parsed) admitted on the site's hosts; links beyond it are still checked.
    public var maximumPages = 5_000
    /// Link distance from the homepage beyond which pages are checked, not crawled.
    public var maximumDepth = 40
    /// Resources checked (external links, images, scripts, styles, attachments), besides pages.
    public var maximumChecks = 20_000
    /// Requests in flight over all hosts (and over all the sites an inspection crawls at once).
    public var concurrency = 16
    /// Requests in flight to one host: two, as a browser opening a page's resources would.
    public var perHostConcurrency = 2
    /// Least time between the starts of two requests to one host: the configured rate
    /// (`--per-host-rate`). robots.txt `Crawl-delay`, `Retry-After` and AutoThrottle can
    /// only lengthen it.
    public var perHostDelay: Duration = .milliseconds(100)
    /// Adapt each host's delay to its latency (Scrapy's AutoThrottle): a slow server is
    /// asked less often; never faster than `perHostDelay`.
    public var autoThrottle = AutoThrottle()
    /// How requests are made and answers judged: redirects, timeouts, retries, proxy,
    /// User-Agent (shared with the prober, the feed poller and `extract`).
    public var fetch = FetchPolicy()
    /// Retries after a timeout, a connection failure, 429 or 5xx (so up to 1 + this many attempts).
    public var maximumRetries: Int {
        get { fetch.maximumRetries }
        set { fetch.maximumRetries = newValue }
    }
    /// The first retry waits this long, each further one twice as long (unless `Retry-After` says otherwise).
    public var retryBackoff: Duration {
        get { fetch.retryBackoff }
        set { fetch.retryBackoff = newValue }
    }
    /// The longest `Retry-After` honoured; a server asking for more is reported as it answered.
    public var maximumRetryAfter: Duration {
        get { fetch.maximumRetryAfter }
        set { fetch.maximumRetryAfter = newValue }
    }
    /// Establishing a TCP connection (to the server or the proxy).
    public var connectTimeout: Duration {
        get { fetch.connectTimeout }
        set { fetch.connectTimeout = newValue }
    }
    /// From sending the request to the response head (also the longest silence while reading).
    public var firstByteTimeout: Duration {
        get { fetch.firstByteTimeout }
        set { fetch.firstByteTimeout = newValue }
    }
    /// The whole response, body included: a server trickling bytes is cut off here.
    public var responseTimeout: Duration {
        get { fetch.responseTimeout }
        set { fetch.responseTimeout = newValue }
    }
    /// Bytes of a page body read at most; a larger page is reported as 响应过大.
    public var maximumPageBytes = 8 * 1024 * 1024
    /// Bytes of an attachment read at most for text extraction.
    public var maximumAttachmentBytes = 20 * 1024 * 1024
    /// Decompressed bytes allowed per compressed byte (gzip bombs).
    public var maximumDecompressionRatio: Int {
        get { fetch.maximumDecompressionRatio }
        set { fetch.maximumDecompressionRatio = newValue }
    }
    /// Redirect hops followed before giving up.
    public var maximumRedirects: Int {
        get { fetch.maximumRedirects }
        set { fetch.maximumRedirects = newValue }
    }
    /// Honour robots.txt (a supervisor may switch it off for an inspection).
    public var obeyRobots = true
    /// Spider-trap guard: a path in which one segment occurs this many times is not followed.
    public var maximumRepeatedSegments = 3
    /// Spider-trap guard: URLs with more query parameters than this are not followed.
    public var maximumQueryParameters = 8
    /// Spider-trap guard: URLs longer than this are not followed.
    public var maximumURLLength = 1_024
    /// Spider-trap guard: query variants of one path (`calendar.html?month=…`) crawled at most.
    public var maximumVariantsPerPath = 100
    /// Spider-trap guard: pages crawled under one top-level folder (`/a/b/…` counts as `/a/`).
    public var maximumPagesPerPathPrefix = 3_000
    /// Extract the text of attachments (.docx, .xlsx, PDF …) on the site's hosts.
    public var extractAttachments = true
    /// Send `If-None-Match` / `If-Modified-Since` from the previous crawl of the site.
    public var conditionalRequests = true
    /// Results committed to the store per transaction (a crash loses at most this many fetches).
    public var commitBatchSize = 256
    /// The HTTP proxy for every request (`--proxy http://HOST:PORT`).
    public var proxy: String? {
        get { fetch.proxy }
        set { fetch.proxy = newValue }
    }
    /// Look for the template each host answers a URL that cannot exist with, to recognise
    /// soft 404s (a 200 answer that is the site's own not-found page).
    public var detectSoft404 = true

    /// The defaults.
    public init() {}

    /// The settings that decide which URLs a crawl admits, as stored with a session.
    var admissionSettings: String {
        "pages=\(maximumPages) depth=\(maximumDepth) checks=\(maximumChecks) robots=\(obeyRobots) "
            + "segments=\(maximumRepeatedSegments) params=\(maximumQueryParameters) length=\(maximumURLLength) "
            + "variants=\(maximumVariantsPerPath) prefix=\(maximumPagesPerPathPrefix)"
    }
}
