import Foundation

/// The limits and manners of a crawl. The defaults suit a real department site
/// (5,000 pages) crawled politely; tests and benchmarks tighten or loosen them.
public struct CrawlConfiguration: Sendable, Hashable {
    /// Pages (HTML fetched and parsed) admitted on the site's hosts; links beyond it are still checked.
    public var maximumPages = 5_000
    /// Link distance from the homepage beyond which pages are checked, not crawled.
    public var maximumDepth = 40
    /// Resources checked (external links, images, scripts, styles, attachments), besides pages.
    public var maximumChecks = 20_000
    /// Requests in flight over all hosts (and over all the sites an inspection crawls at once).
    public var concurrency = 16
    /// Requests in flight to one host.
    public var perHostConcurrency = 4
    /// Least time between the starts of two requests to one host (robots.txt `Crawl-delay` can raise it).
    public var perHostDelay: Duration = .milliseconds(20)
    /// Retries after a timeout, a connection failure, 429 or 5xx (so up to 1 + this many attempts).
    public var maximumRetries = 2
    /// The first retry waits this long, each further one twice as long (unless `Retry-After` says otherwise).
    public var retryBackoff: Duration = .milliseconds(500)
    /// The longest `Retry-After` honoured; a server asking for more is reported as it answered.
    public var maximumRetryAfter: Duration = .seconds(30)
    /// Establishing a TCP connection (to the server or the proxy).
    public var connectTimeout: Duration = .seconds(10)
    /// From sending the request to the response head (also the longest silence while reading).
    public var firstByteTimeout: Duration = .seconds(15)
    /// The whole response, body included: a server trickling bytes is cut off here.
    public var responseTimeout: Duration = .seconds(30)
    /// Bytes of a page body read at most; a larger page is reported as 响应过大.
    public var maximumPageBytes = 8 * 1024 * 1024
    /// Bytes of an attachment read at most for text extraction.
    public var maximumAttachmentBytes = 20 * 1024 * 1024
    /// Decompressed bytes allowed per compressed byte (gzip bombs).
    public var maximumDecompressionRatio = 20
    /// Redirect hops followed before giving up.
    public var maximumRedirects = 10
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
    public var proxy: String?

    /// The defaults.
    public init() {}

    /// The settings that decide which URLs a crawl admits, as stored with a session.
    var admissionSettings: String {
        "pages=\(maximumPages) depth=\(maximumDepth) checks=\(maximumChecks) robots=\(obeyRobots) "
            + "segments=\(maximumRepeatedSegments) params=\(maximumQueryParameters) length=\(maximumURLLength) "
            + "variants=\(maximumVariantsPerPath) prefix=\(maximumPagesPerPathPrefix)"
    }
}
