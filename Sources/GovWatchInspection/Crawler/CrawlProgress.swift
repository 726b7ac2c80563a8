import Foundation

/// How far a crawl has come, for a progress line on a terminal.
public struct CrawlProgress: Sendable, Hashable {
    /// The site's 网站标识码.
    public var site: String
    /// Pages and attachments fetched (or found unchanged) so far.
    public var pagesDone: Int
    /// Links checked (HEAD/GET without parsing) so far.
    public var checksDone: Int
    /// Admitted URLs not yet done.
    public var queued: Int
    /// URLs that failed (4xx/5xx or a transport error).
    public var errors: Int
    /// Pages answered 304 Not Modified to a conditional request.
    public var notModified: Int
    /// Time since this process started (or resumed) the crawl.
    public var elapsed: Duration
    /// Whether the crawl has ended.
    public var finished: Bool

    /// URLs done per second in this process.
    public var rate: Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(pagesDone + checksDone) / seconds : 0
    }

    /// One line: `5104000001 页面 120 检查 340 待处理 55 错误 3 速率 42.0/秒`.
    public var line: String {
        String(
            format: "%@ 页面 %d 检查 %d 待处理 %d 错误 %d 未变化 %d 速率 %.1f/秒%@", site, pagesDone, checksDone, queued, errors,
            notModified, rate, finished ? " 完成" : "")
    }
}

/// What a crawl did, for the run's summary.
public struct CrawlStatistics: Sendable, Hashable {
    public var pages = 0
    public var checks = 0
    public var errors = 0
    public var notModified = 0
    public var skipped = 0
    /// Time spent crawling in this process (zero when the evidence was read back from a finished crawl).
    public var elapsed: Duration = .zero
    /// Whether this process continued an interrupted crawl.
    public var resumed = false

    public init() {}
}
