import Foundation

/// Per-host manners: at most `perHostLimit` requests in flight to one host, and a minimum
/// delay between the starts of two requests to it. The fetcher's global limit is another
/// gate, with one key and no delay.
///
/// Waiters are served first come, first served: a released slot is handed to the longest
/// waiter. A host's delay can be raised (robots.txt `Crawl-delay`) while the crawl runs.
///
/// A lock rather than an actor: every request passes the gate twice, and a free slot (the
/// usual case) is taken without suspending, so no request pays for two executor hops.
final class PolitenessGate: @unchecked Sendable {
    private struct HostState {
        var active = 0
        var nextStart: ContinuousClock.Instant
        var delay: Duration
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
    private let clock = ContinuousClock()
    /// Guards `hosts`; never held across a suspension.
    private let lock = NSLock()
    private var hosts: [String: HostState] = [:]

    init(perHostLimit: Int, delay: Duration) {
        self.perHostLimit = max(1, perHostLimit)
        self.defaultDelay = delay
    }

    /// Raises the delay between request starts for `host` (never lowers it below the default).
    func setDelay(_ delay: Duration, for host: String) {
        lock.withLock {
            var state = hosts[host] ?? HostState(nextStart: clock.now, delay: defaultDelay)
            state.delay = max(defaultDelay, delay)
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
                    var state = hosts[host] ?? HostState(nextStart: clock.now, delay: defaultDelay)
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
        let start = lock.withLock { () -> ContinuousClock.Instant in
            let start = max(clock.now, hosts[host]!.nextStart)
            hosts[host]!.nextStart = start + hosts[host]!.delay
            return start
        }
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
            var state = hosts[host] ?? HostState(nextStart: clock.now, delay: defaultDelay)
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
