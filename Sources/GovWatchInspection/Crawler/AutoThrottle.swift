import Foundation

/// Adapts the delay between requests to one host to that host's latency, as Scrapy's
/// AutoThrottle does: a server that answers in 2 s is asked about once per
/// `latency / targetConcurrency`, one that answers in 5 ms as often as the configured rate
/// allows. The delay never drops below the floor (the configured per-host rate, robots.txt
/// `Crawl-delay`) and never exceeds `maximumDelay`.
public struct AutoThrottle: Sendable, Hashable {
    /// Off: every host is asked at the configured rate, whatever its latency (`--no-autothrottle`).
    public var enabled = true
    /// Requests the server should be working on for us at once, on average.
    public var targetConcurrency = 2.0
    /// The longest delay AutoThrottle sets, however slow the server.
    public var maximumDelay: Duration = .seconds(10)

    public init() {}

    /// The host's next delay after a response that took `latency`.
    ///
    /// Scrapy's rule: the target delay is `latency / targetConcurrency`; the new delay is
    /// the mean of the current one and the target, but not below the target, then bounded
    /// by `floor` and `maximumDelay`. An answer that is not a 200 (or no answer) may slow
    /// the host down but never speeds it up: an error page comes back fast and says nothing
    /// of the server's load.
    public func nextDelay(current: Duration, latency: Duration, status: Int?, floor: Duration) -> Duration {
        guard enabled else { return max(current, floor) }
        let target = latency * (1.0 / max(0.1, targetConcurrency))
        var next = max(target, (current + target) / 2)
        next = min(max(floor, next), max(floor, maximumDelay))
        if status != 200, next <= current { return max(current, floor) }
        return next
    }
}
