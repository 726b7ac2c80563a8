import Foundation
import GovWatchCore
import GovWatchStore
import Testing

/// The 检查 page's progress of a run, on SQLite and PostgreSQL: its queue tasks (done and
/// failed) and, per site, the crawl rows by state; crawls of other runs are not counted.
@Suite struct RunProgressStoreTests {
    @Test(arguments: TestDatabases.backends)
    func progressCountsTasksAndEachSiteCrawlOfTheRun(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let t0 = ChinaTime.parseMoment("2022-04-01T10:00:00")!
            let run = try await store.startRun(asOf: t0, indicatorSet: "national-2019@1", startedAt: t0)
            let other = try await store.startRun(asOf: t0.addingTimeInterval(86_400), indicatorSet: "national-2019@1", startedAt: t0)
            try await store.queueInspection(
                runCode: run.code, request: "{}", targets: [InspectionTask.site("4390000002"), InspectionTask.accounts], at: t0)
            let site = try #require(try await store.claimInspectionTask(owner: "A", now: t0, leaseFor: 60))
            #expect(try await store.completeInspectionTask(site, owner: "A", at: t0))
            let accounts = try #require(try await store.claimInspectionTask(owner: "A", now: t0, leaseFor: 60))
            #expect(try await store.completeInspectionTask(accounts, owner: "A", at: t0, error: "平台无响应", maximumAttempts: 1))

            for (code, key) in [(run.code, "4390000002"), (other.code, "4390000002")] {
                let (session, _) = try await store.openCrawlSession(
                    key: "\(code)/\(key)", siteCode: key, asOf: t0, settings: "{}", startedAt: t0)
                try await store.commitCrawlBatch(
                    session: session.id, results: [],
                    newURLs: [
                        CrawlURLEntry(url: "http://a.example/", depth: 0, role: "page", kind: "page", state: "done"),
                        CrawlURLEntry(url: "http://a.example/1", depth: 1, role: "page", kind: "page", state: "done"),
                        CrawlURLEntry(url: "http://a.example/2", depth: 1, role: "page", kind: "page"),
                        CrawlURLEntry(url: "http://a.example/x.zip", depth: 1, role: "page", kind: "file", state: "skipped"),
                    ])
                var failed = try #require(
                    try await store.crawlURLIndex(session: session.id, afterID: 0, limit: 10).first { $0.url.hasSuffix("/1") })
                failed.status = 500
                try await store.commitCrawlBatch(session: session.id, results: [failed], newURLs: [])
            }

            let progress = try await store.runProgress(run.code)
            #expect(progress.tasks == 3 && progress.tasksDone == 2 && progress.tasksFailed == 1)
            #expect(progress.crawls.count == 1)
            let crawl = try #require(progress.crawls.first)
            #expect(crawl.siteCode == "4390000002" && crawl.status == "running")
            #expect(crawl.done == 2 && crawl.queued == 1 && crawl.errors == 1)
            let empty = try await store.runProgress("r-20990101-0001")
            #expect(empty.tasks == 0 && empty.crawls.isEmpty)
        }
    }
}
