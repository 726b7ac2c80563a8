import Foundation

/// Per-host manners: at most `perHostLimit` requests in flight to one host, and a minimum
/// delay between the starts of two requests to it. The fetcher's global limit is another
/// gate, with one key and no delay.
///
/// Waiters are served first come, first served: a released slot is handed to the longest
/// waiter. A host's delay has a floor — the configured rate, raised by robots.txt
/// `Crawl-delay` while the crawl runs — and above it follows the host's latency
/// (`AutoThrottle`, fed by `observe`); a `Retry-After` pauses the host (`pause`).
///
/// A lock rather than an actor: every request passes the gate twice, and a free slot (the
/// usual case) is taken without suspending, so no request pays for two executor hops.
final class PolitenessGate: @unchecked Sendable {
    private struct HostState {
        var active = 0
        var nextStart: ContinuousClock.Instant
        var delay: Duration
        /// The least delay: the configured one, or robots.txt `Crawl-delay`.
        var floor: Duration
        var waiters: [CheckedContinuation<Void, Never>] = []
        var firstWaiter = 0

        var hasWaiter: Bool { firstWaiter < waiters.count }

        mutating func popWaiter() -> CheckedContinuation<Void, Never> {
            let next = waiters[firstWaiter]
            firstWaiter += 1
            if firstWaiter == waiters.count {
                waiters.removeAll(keepingCapacity: true)
                firstWaiter = 0
            }
            return next
        }
    }

    private let perHostLimit: Int
    private let defaultDelay: Duration
    private let throttle: AutoThrottle?
    /// Told the host and the instant each request may start (tests check the spacing);
    /// guarded by `lock`.
    private var onStart: (@Sendable (String, ContinuousClock.Instant) -> Void)?
    private let clock = ContinuousClock()
    /// Guards `hosts`; never held across a suspension.
    private let lock = NSLock()
    private var hosts: [String: HostState] = [:]

    init(perHostLimit: Int, delay: Duration, autoThrottle: AutoThrottle? = nil) {
        self.perHostLimit = max(1, perHostLimit)
        self.defaultDelay = delay
        self.throttle = autoThrottle?.enabled == true ? autoThrottle : nil
    }

    /// Calls `observer` with the host and the scheduled start of every request from now on.
    func observeStarts(_ observer: @escaping @Sendable (String, ContinuousClock.Instant) -> Void) {
        lock.withLock { onStart = observer }
    }

    private func fresh() -> HostState { HostState(nextStart: clock.now, delay: defaultDelay, floor: defaultDelay) }

    /// Raises the least delay between request starts for `host` (robots.txt `Crawl-delay`;
    /// never below the configured delay).
    func setDelay(_ delay: Duration, for host: String) {
        lock.withLock {
            var state = hosts[host] ?? fresh()
            state.floor = max(defaultDelay, delay)
            state.delay = max(state.delay, state.floor)
            hosts[host] = state
        }
    }

    /// The delay now in force for `host`.
    func delay(for host: String) -> Duration {
        lock.withLock { hosts[host]?.delay ?? defaultDelay }
    }

    /// Feeds AutoThrottle with one response of `host` (`status` nil: no answer).
    func observe(_ host: String, latency: Duration, status: Int?) {
        guard let throttle else { return }
        lock.withLock {
            var state = hosts[host] ?? fresh()
            state.delay = throttle.nextDelay(current: state.delay, latency: latency, status: status, floor: state.floor)
            hosts[host] = state
        }
    }

    /// No request to `host` starts before `duration` from now (a `Retry-After`: the whole
    /// host is asked to wait, not only the request that got it).
    func pause(_ host: String, for duration: Duration) {
        lock.withLock {
            var state = hosts[host] ?? fresh()
            state.nextStart = max(state.nextStart, clock.now + duration)
            hosts[host] = state
        }
    }

    /// Waits for a slot on `host`, then until its delay has passed; pair with `release(_:)`.
    func acquire(_ host: String) async throws {
        if !takeSlotIfFree(host) {
            // Queued under the lock, so a release between the check and the queueing cannot be
            // missed; `release` hands its slot over directly (the slot count stays as it is).
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let tookSlot = lock.withLock { () -> Bool in
                    var state = hosts[host] ?? fresh()
                    if state.active < perHostLimit {
                        state.active += 1
                        hosts[host] = state
                        return true
                    }
                    state.waiters.append(continuation)
                    hosts[host] = state
                    return false
                }
                if tookSlot { continuation.resume() }
            }
            if Task.isCancelled {
                release(host)
                throw CancellationError()
            }
        }
        let (start, observer) = lock.withLock { () -> (ContinuousClock.Instant, (@Sendable (String, ContinuousClock.Instant) -> Void)?) in
            let start = max(clock.now, hosts[host]!.nextStart)
            hosts[host]!.nextStart = start + hosts[host]!.delay
            return (start, onStart)
        }
        observer?(host, start)
        if start > clock.now {
            do {
                try await Task.sleep(until: start, clock: clock)
            } catch {
                release(host)
                throw error
            }
        }
    }

    private func takeSlotIfFree(_ host: String) -> Bool {
        lock.withLock {
            var state = hosts[host] ?? fresh()
            guard state.active < perHostLimit, !state.hasWaiter else { return false }
            state.active += 1
            hosts[host] = state
            return true
        }
    }

    /// Requests waiting for a slot on `host` (for tests).
    func waiting(on host: String) -> Int {
        lock.withLock { hosts[host].map { $0.waiters.count - $0.firstWaiter } ?? 0 }
    }

    /// Frees a slot on `host`: hands it to the longest waiter, if any.
    func release(_ host: String) {
        let next = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            guard var state = hosts[host] else { return nil }
            defer { hosts[host] = state }
            if state.hasWaiter { return state.popWaiter() }
            state.active -= 1
            return nil
        }
        next?.resume()
    }
}
