import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchSampleCity
import GovWatchStore
import Testing

/// The scheduler's daily patrol (`StandardJobExecutor`, job kind `patrol`) on the sample
/// city: homepages and imported columns only; it opens tickets for the patrol's indicators
/// alone, and a later patrol closes those whose pages were fixed.
@Suite(.serialized) struct PatrolTests {
    @Test func thePatrolTicketsStaleHomepagesAndColumnsAndClosesThemOnceFixed() async throws {
        try await SampleCityHarness.with(probes: true) { harness in
            let city = harness.city
            let store = harness.store
            let crawl = harness.crawlConfiguration()
            let loop = RectificationLoop(store: store, now: { city.asOf })
            let executor = StandardJobExecutor(
                store: store, http: harness.http, crawl: crawl, indicators: .national2019, scanner: try ContentScanner.standard(), loop: loop,
                digests: DigestSender(store: store, folder: nil, webhook: nil))
            try await store.ensureJob(name: "patrol", kind: JobKind.patrol.rawValue, parameter: nil, firstRunAt: city.asOf)
            let job = try #require(try await store.jobs().first { $0.name == "patrol" })

            let message = try await executor.execute(job, kind: .patrol, now: city.asOf)
            #expect(message.hasPrefix("巡查 \(city.sites.count) 个网站"), "\(message)")
            let opened = try await store.tickets()
            // Only the patrol's indicators: content, links and identity wait for the monthly inspection.
            #expect(!opened.isEmpty)
            #expect(opened.allSatisfy { StandardJobExecutor.patrolIndicators.contains($0.indicator) }, "\(opened.map(\.indicator))")
            // Exactly the planted problems of those indicators, site by site.
            let planted = city.plantedProblems.filter { $0.target.kind == .site && StandardJobExecutor.patrolIndicators.contains($0.indicator) }
            let plantedKeys = Set(planted.map { "\($0.target.code) \($0.indicator.rawValue)" })
            let ticketKeys = Set(opened.map { "\($0.target.code) \($0.indicator.rawValue)" })
            #expect(ticketKeys == plantedKeys, "unplanted: \(ticketKeys.subtracting(plantedKeys).sorted()); missed: \(plantedKeys.subtracting(ticketKeys).sorted())")

            // The same patrol the next day: no new tickets, the same ones seen twice.
            let nextDay = city.asOf.addingTimeInterval(86_400)
            _ = try await executor.execute(job, kind: .patrol, now: nextDay)
            let again = try await store.tickets()
            #expect(again.count == opened.count)

            // Every page fixed: the pages' tickets close on the following patrol; availability,
            // judged from the stored week of probes, stays open.
            harness.server.setAllFixed()
            _ = try await executor.execute(job, kind: .patrol, now: nextDay.addingTimeInterval(86_400))
            let after = try await store.tickets()
            #expect(after.count == opened.count)
            for ticket in after {
                if ticket.indicator == .siteUnreachable {
                    #expect(ticket.state == .open)
                } else {
                    let fixable = planted.contains { $0.target.code == ticket.target.code && $0.indicator == ticket.indicator && $0.isFixable }
                    #expect(ticket.state == (fixable ? .closed : .open), "\(ticket.target.code) \(ticket.indicator) \(ticket.url ?? "")")
                }
            }
        }
    }
}
