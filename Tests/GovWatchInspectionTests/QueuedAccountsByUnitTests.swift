import Foundation
import GovWatchCore
import GovWatchInspection
import GovWatchSampleCity
import GovWatchStore
import Synchronization
import Testing

/// A queued run's accounts are split into one task per unit (a national run has tens of
/// thousands of accounts; one task would hold a single worker for days), and workers running
/// those tasks store the same account findings and scorecards as a plain run of the same
/// accounts, the per-unit duplicate check included.
@Suite struct QueuedAccountsByUnitTests {
    @Test func accountsAreQueuedAsOneTaskPerUnitAndFindTheSameAsAPlainRun() async throws {
        let queued = try await SampleCityHarness.with { harness in
            let accounts = try await harness.store.accounts()
            let units = Set(accounts.map(\.unit))
            #expect(units.count > 1, "the sample city's accounts belong to several units")
            let request = QueuedInspection(
                siteCodes: [], accountIDs: accounts.map(\.id), asOf: harness.city.asOf, indicators: .national2019, dictionaries: [])
            let plan = try await request.enqueue(in: harness.store, now: harness.city.asOf)
            #expect(plan.sites.isEmpty && plan.accounts.count == accounts.count)

            let tasks = try await harness.store.inspectionTaskStates(runCode: plan.run.code)
            let accountTargets = tasks.map(\.target).filter { $0 != InspectionTask.finish }
            #expect(accountTargets.count == units.count, "\(accountTargets)")
            #expect(Set(accountTargets) == Set(units.map(InspectionTask.accounts(unit:))))
            #expect(tasks.last?.target == InspectionTask.finish)
            // Queued again (the scheduler re-queues a run it finds unfinished): nothing added.
            _ = try await request.enqueue(in: harness.store, now: harness.city.asOf)
            #expect(try await harness.store.inspectionTaskStates(runCode: plan.run.code).count == tasks.count)

            let crawler = try CrawlingSiteEvidenceSource(store: harness.store, configuration: harness.crawlConfiguration())
            let runner = InspectionRunner(store: harness.store, sites: crawler, accounts: AccountEvidenceBuilder(http: harness.http))
            let lines = LogLines()
            do {
                try await InspectionWorker(store: harness.store, runner: runner, lanes: 3, pollInterval: .milliseconds(50))
                    .run(exitWhenIdle: true) { lines.append($0) }
            } catch {
                try? await crawler.shutdown()
                throw error
            }
            try? await crawler.shutdown()
            #expect(!lines.all.contains { $0.hasPrefix("任务失败") }, "\(lines.all)")
            let states = try await harness.store.inspectionTaskStates(runCode: plan.run.code)
            #expect(states.allSatisfy { $0.doneAt != nil && $0.lastError == nil && $0.attempts == 1 }, "\(states)")
            let (_, findings) = try await harness.store.findings(of: plan.run.code)
            let cards = try await harness.store.scorecards(of: plan.run.code).1
            #expect(cards.count == accounts.count)
            return (Self.keys(findings), Self.keys(cards))
        }

        let plain = try await SampleCityHarness.with { harness in
            let accounts = try await harness.store.accounts()
            let crawler = try CrawlingSiteEvidenceSource(store: harness.store, configuration: harness.crawlConfiguration())
            let runner = InspectionRunner(store: harness.store, sites: crawler, accounts: AccountEvidenceBuilder(http: harness.http))
            let request = InspectionRequest(
                accountIDs: accounts.map(\.id), asOf: harness.city.asOf, indicators: .national2019, scanner: try ContentScanner.standard())
            let outcome: InspectionOutcome
            do {
                outcome = try await runner.run(request)
            } catch {
                try? await crawler.shutdown()
                throw error
            }
            try? await crawler.shutdown()
            // What the worker that finishes a run does after it (the unit-level staffing
            // findings come from here), as `inspect` does too.
            let loop = RectificationLoop(store: harness.store, policy: RectificationPolicy(indicators: request.indicators))
            _ = try await loop.afterInspection(outcome, request: request)
            let (_, findings) = try await harness.store.findings(of: outcome.run.code)
            return (Self.keys(findings), Self.keys(try await harness.store.scorecards(of: outcome.run.code).1))
        }
        #expect(!plain.0.isEmpty)
        #expect(queued.0.contains { $0.contains(IndicatorID.accountDuplicate.rawValue) }, "the per-unit duplicate check ran")
        #expect(queued.0 == plain.0)
        #expect(queued.1 == plain.1)
    }

    static func keys(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.target.kind.rawValue) \($0.target.code) \($0.indicator.rawValue) \($0.fingerprint)" }.sorted()
    }

    static func keys(_ cards: [Scorecard]) -> [String] {
        cards.map { "\($0.target.kind.rawValue) \($0.target.code) \($0.score) \($0.passed)" }.sorted()
    }

    final class LogLines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }
}
