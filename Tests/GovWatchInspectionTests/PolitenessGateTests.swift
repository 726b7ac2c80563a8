import Foundation
import Testing

@testable import GovWatchInspection

/// The per-host gate every crawler request passes: limits, delays, hand-over of slots.
@Suite("Politeness gate")
struct PolitenessGateTests {
    /// Counts requests in flight per host and the most seen at once.
    final class InFlight: @unchecked Sendable {
        private let lock = NSLock()
        private var current: [String: Int] = [:]
        private(set) var peak: [String: Int] = [:]
        private(set) var starts: [String: [ContinuousClock.Instant]] = [:]

        func enter(_ host: String) {
            lock.withLock {
                current[host, default: 0] += 1
                peak[host] = max(peak[host] ?? 0, current[host]!)
                starts[host, default: []].append(ContinuousClock.now)
            }
        }

        func leave(_ host: String) { lock.withLock { current[host, default: 0] -= 1 } }

        var snapshot: (peak: [String: Int], starts: [String: [ContinuousClock.Instant]]) { lock.withLock { (peak, starts) } }
    }

    @Test("never more than the per-host limit in flight; every waiter gets its turn; hosts are independent")
    func limit() async throws {
        let gate = PolitenessGate(perHostLimit: 3, delay: .zero)
        let inFlight = InFlight()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                let host = index % 4 == 0 ? "b.gov.cn" : "a.gov.cn"
                group.addTask {
                    try await gate.acquire(host)
                    inFlight.enter(host)
                    try await Task.sleep(for: .microseconds(Int.random(in: 0...300)))
                    inFlight.leave(host)
                    gate.release(host)
                }
            }
            try await group.waitForAll()
        }
        let (peak, starts) = inFlight.snapshot
        #expect(peak["a.gov.cn"] == 3)
        #expect((peak["b.gov.cn"] ?? 0) <= 3)
        #expect(starts["a.gov.cn"]?.count == 150)
        #expect(starts["b.gov.cn"]?.count == 50)
        // All slots were given back: three more acquire at once without waiting.
        for _ in 0..<3 { try await gate.acquire("a.gov.cn") }
    }

    @Test("starts on one host are spaced by the delay, also after a Crawl-delay raise")
    func delay() async throws {
        // Sleeps never end early, so the elapsed time is a lower bound that holds on a busy
        // machine (the gaps between individual wake-ups do not: one late wake-up shortens the next gap).
        let gate = PolitenessGate(perHostLimit: 4, delay: .milliseconds(20))
        let clock = ContinuousClock()
        let began = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try await gate.acquire("a.gov.cn")
                    gate.release("a.gov.cn")
                }
            }
            try await group.waitForAll()
        }
        // The 6th start is at least 5 × 20 ms after the first.
        #expect(clock.now - began >= .milliseconds(100))
        gate.setDelay(.milliseconds(50), for: "a.gov.cn")
        for _ in 0..<2 {
            try await gate.acquire("a.gov.cn")
            gate.release("a.gov.cn")
        }
        // The 7th start waits out the 6th's 20 ms, the 8th the raised 50 ms.
        #expect(clock.now - began >= .milliseconds(170))
    }

    @Test("a cancelled waiter does not keep the slot it is handed")
    func cancelledWaiter() async throws {
        let gate = PolitenessGate(perHostLimit: 1, delay: .zero)
        try await gate.acquire("a.gov.cn")
        let waiter = Task {
            try await gate.acquire("a.gov.cn")
            gate.release("a.gov.cn")
        }
        // Let the waiter queue, cancel it, then free the slot: it is handed over, refused, freed.
        while gate.waiting(on: "a.gov.cn") == 0 { try await Task.sleep(for: .milliseconds(5)) }
        waiter.cancel()
        gate.release("a.gov.cn")
        await #expect(throws: CancellationError.self) { try await waiter.value }
        // The slot is free again.
        try await gate.acquire("a.gov.cn")
        gate.release("a.gov.cn")
    }
}
