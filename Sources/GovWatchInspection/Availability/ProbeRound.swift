import AsyncHTTPClient
import Foundation
import GovWatchCore
import GovWatchStore
import NIOCore

/// One round of availability probes over registered sites, stored as it goes.
public enum ProbeRound {
    public struct UnknownSites: Error, CustomStringConvertible {
        public var codes: [String]
        public var description: String { "网站标识码未登记：\(codes.joined(separator: "、"))" }
    }

    /// Probes the homepages of `codes` (every site when empty) at most `concurrency` at a
    /// time, stores each probe, and returns them in site-code order. A probe not complete
    /// within the set's `site.unreachable` `timeoutSeconds` fails.
    public static func run(
        codes: [String], store: Store, http: SimpleHTTP, indicators: IndicatorSet, concurrency: Int = 8,
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> [(site: SiteRecord, probe: Probe)] {
        let registered = try await store.sites()
        let selected = codes.isEmpty ? registered : registered.filter { codes.contains($0.code) }
        let missing = codes.filter { code in !registered.contains { $0.code == code } }
        guard missing.isEmpty else { throw UnknownSites(codes: missing) }

        let prober = Prober(http: http, indicators: indicators)
        var results: [(SiteRecord, Probe)] = []
        try await withThrowingTaskGroup(of: (SiteRecord, Probe).self) { group in
            var pending = selected.makeIterator()
            func startNext() {
                guard let site = pending.next() else { return }
                group.addTask { (site, await prober.probe(siteCode: site.code, url: site.url, at: now())) }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            while let (site, probe) = try await group.next() {
                try await store.record(probe)
                results.append((site, probe))
                startNext()
            }
        }
        return results.sorted { $0.0.code < $1.0.code }.map { (site: $0.0, probe: $0.1) }
    }

    /// Replays `days` days of probing before `asOf` at `perDay` rounds a day: each probe is a
    /// real request, stamped at its slot (one minute past it) instead of the wall clock.
    /// The demo and the tests use it to fill the `site.unreachable` window in seconds.
    public static func replay(
        days: Int = 7, perDay: Int = 20, endingAt asOf: Date, store: Store, http: SimpleHTTP,
        indicators: IndicatorSet = .national2019, concurrency: Int = 16
    ) async throws {
        let rounds = days * perDay
        let span = Double(days) * 86_400
        let start = asOf.addingTimeInterval(-span)
        for round in 0..<rounds {
            let at = start.addingTimeInterval(Double(round) * span / Double(rounds) + 60)
            _ = try await run(codes: [], store: store, http: http, indicators: indicators, concurrency: concurrency, now: { at })
        }
    }
}

extension Prober {
    /// A prober whose timeout is the indicator set's `site.unreachable` `timeoutSeconds`.
    public init(http: SimpleHTTP, indicators: IndicatorSet) {
        self.init(http: http, timeout: .nanoseconds(Int64((indicators.probeTimeoutSeconds * 1e9).rounded())))
    }
}
