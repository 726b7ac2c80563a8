import Foundation

/// Per-host manners: at most `perHostLimit` requests in flight to one host, and a minimum
/// delay between the starts of two requests to it. The global limit is the crawler's
/// task-group width; this gate only orders requests within a host.
///
/// Waiters are served first come, first served. A host's delay can be raised (robots.txt
/// `Crawl-delay`) while the crawl runs.
actor PolitenessGate {
    private struct HostState {
        var active = 0
        var nextStart: ContinuousClock.Instant
        var delay: Duration
        var waiters: [CheckedContinuation<Void, Never>] = []
        var firstWaiter = 0
    }

    private let perHostLimit: Int
    private let defaultDelay: Duration
    private var hosts: [String: HostState] = [:]
    private let clock = ContinuousClock()

    init(perHostLimit: Int, delay: Duration) {
        self.perHostLimit = max(1, perHostLimit)
        self.defaultDelay = delay
    }

    /// Raises the delay between request starts for `host` (never lowers it below the default).
    func setDelay(_ delay: Duration, for host: String) {
        var state = hosts[host] ?? HostState(nextStart: clock.now, delay: defaultDelay)
        state.delay = max(defaultDelay, delay)
        hosts[host] = state
    }

    /// Waits for a slot on `host`, then until its delay has passed; pair with `release(_:)`.
    func acquire(_ host: String) async throws {
        while true {
            var state = hosts[host] ?? HostState(nextStart: clock.now, delay: defaultDelay)
            if state.active < perHostLimit {
                state.active += 1
                let now = clock.now
                let start = max(now, state.nextStart)
                state.nextStart = start + state.delay
                hosts[host] = state
                if start > now {
                    do {
                        try await Task.sleep(until: start, clock: clock)
                    } catch {
                        release(host)
                        throw error
                    }
                }
                return
            }
            await withCheckedContinuation { continuation in
                state.waiters.append(continuation)
                hosts[host] = state
            }
            if Task.isCancelled {
                // Hand the wake-up on: the slot this task was woken for is still free.
                wakeNext(host)
                throw CancellationError()
            }
        }
    }

    /// Frees a slot on `host` and wakes the longest waiter, which then competes again.
    func release(_ host: String) {
        guard var state = hosts[host] else { return }
        state.active -= 1
        hosts[host] = state
        wakeNext(host)
    }

    private func wakeNext(_ host: String) {
        guard var state = hosts[host] else { return }
        if state.firstWaiter < state.waiters.count {
            let next = state.waiters[state.firstWaiter]
            state.firstWaiter += 1
            if state.firstWaiter == state.waiters.count {
                state.waiters.removeAll(keepingCapacity: true)
                state.firstWaiter = 0
            }
            hosts[host] = state
            next.resume()
        } else {
            hosts[host] = state
        }
    }
}
