import Foundation
import GovWatchCore
import GovWatchStore
import Testing

/// The queue of `govwatch inspect --queue` / `govwatch worker`, on SQLite and PostgreSQL:
/// each task goes to one worker, a dead worker's task is taken over when its lease expires,
/// a failing task is tried again after a backoff up to its limit, and a run's `finish` waits
/// for the rest.
@Suite struct InspectionQueueTests {
    @Test(arguments: TestDatabases.backends)
    func tasksAreClaimedOnceAndFinishWaitsForTheRest(_ backend: TestDatabases.Backend) async throws {
        let location = try await TestDatabases.fresh(backend)
        let first = try await Store.open(location)
        let second = try await Store.open(location)
        do {
            let t0 = ChinaTime.parseMoment("2022-04-01T10:00:00")!
            let run = try await first.startRun(asOf: t0, indicatorSet: "national-2019@1", startedAt: t0)
            let targets = [InspectionTask.site("4390000002"), InspectionTask.site("4390000006"), InspectionTask.accounts]
            #expect(try await first.queueInspection(runCode: run.code, request: "{}", targets: targets, at: t0) == 4)
            #expect(try await second.queueInspection(runCode: run.code, request: "{\"x\":1}", targets: targets, at: t0) == 0, "queued twice: nothing added")
            #expect(try await second.queuedRequest(runCode: run.code) == "{}")
            #expect(try await first.queuedRequest(runCode: "r-20220101-0001") == nil)
            #expect(try await first.openInspectionTaskCount() == 4)

            // Two workers at once: different tasks, oldest first; `finish` is not claimable yet.
            async let a = first.claimInspectionTask(owner: "A", now: t0, leaseFor: 60)
            async let b = second.claimInspectionTask(owner: "B", now: t0, leaseFor: 60)
            let (taskA, taskB) = try await (a, b)
            let claimed = [try #require(taskA), try #require(taskB)]
            #expect(Set(claimed.map(\.target)) == Set(targets.prefix(2)))
            #expect(claimed.allSatisfy { $0.runCode == run.code && $0.attempts == 1 })
            let accounts = try #require(try await first.claimInspectionTask(owner: "A", now: t0, leaseFor: 60))
            #expect(accounts.target == InspectionTask.accounts)
            #expect(try await second.claimInspectionTask(owner: "B", now: t0, leaseFor: 60) == nil, "finish waits")

            // The accounts task fails: released for another attempt, a minute later (the row says
            // when, how many attempts so far, and why), not at once.
            #expect(try await first.completeInspectionTask(accounts, owner: "A", at: t0, error: "超时"))
            let waiting = try #require(try await first.inspectionTaskStates(runCode: run.code).first { $0.target == InspectionTask.accounts })
            #expect(waiting.attempts == 1 && waiting.lastError == "超时" && waiting.leaseOwner == nil && waiting.doneAt == nil)
            #expect(waiting.retryAt.map { abs($0.timeIntervalSince(t0.addingTimeInterval(60))) < 0.001 } == true, "\(waiting)")
            #expect(try await second.claimInspectionTask(owner: "B", now: t0.addingTimeInterval(59), leaseFor: 60) == nil, "backing off")
            let retry = try #require(try await second.claimInspectionTask(owner: "B", now: t0.addingTimeInterval(60), leaseFor: 60))
            #expect(retry.target == InspectionTask.accounts && retry.attempts == 2)
            #expect(try await second.completeInspectionTask(retry, owner: "B", at: t0.addingTimeInterval(60)))

            // A's site worker dies: after its lease, C takes the task over, and A can no
            // longer complete it.
            let dead = claimed[0]
            #expect(try await second.completeInspectionTask(claimed[1], owner: claimed[1] == taskA ? "A" : "B", at: t0))
            #expect(try await first.claimInspectionTask(owner: "C", now: t0.addingTimeInterval(30), leaseFor: 60) == nil)
            let takenOver = try #require(try await first.claimInspectionTask(owner: "C", now: t0.addingTimeInterval(61), leaseFor: 60))
            #expect(takenOver.target == dead.target && takenOver.attempts == 2)
            #expect(try await first.completeInspectionTask(dead, owner: dead == taskA ? "A" : "B", at: t0) == false, "lease lost")
            #expect(try await first.renewInspectionTask(takenOver.id, owner: "C", until: t0.addingTimeInterval(200)))
            #expect(try await first.completeInspectionTask(takenOver, owner: "C", at: t0.addingTimeInterval(70)))

            // Everything else done: the run's finish is claimable, once.
            let finish = try #require(try await second.claimInspectionTask(owner: "B", now: t0.addingTimeInterval(80), leaseFor: 60))
            #expect(finish.target == InspectionTask.finish)
            #expect(try await first.claimInspectionTask(owner: "A", now: t0.addingTimeInterval(80), leaseFor: 60) == nil)
            #expect(try await second.completeInspectionTask(finish, owner: "B", at: t0.addingTimeInterval(90)))
            #expect(try await first.openInspectionTaskCount() == 0)
            #expect(try await first.failedInspectionTasks(runCode: run.code).isEmpty)
        } catch {
            await first.close()
            await second.close()
            throw error
        }
        await first.close()
        await second.close()
    }

    /// Eight workers, each with its own connection pool, drain a queue as fast as they can:
    /// every task is handed out exactly once. (On PostgreSQL a claim whose condition sat in a
    /// subquery was not re-checked against a row another worker had just claimed or finished,
    /// and handed out 808 tasks twice in 14,000: `benchmarks/queue.sh`.)
    @Test(arguments: TestDatabases.backends)
    func workersDrainingAQueueAtOnceClaimEachTaskOnce(_ backend: TestDatabases.Backend) async throws {
        let location = try await TestDatabases.fresh(backend)
        let setup = try await Store.open(location)
        var workers: [Store] = []
        do {
            let t0 = Date()
            let run = try await setup.startRun(asOf: t0, indicatorSet: "national-2019@1", startedAt: t0)
            try await setup.queueInspection(runCode: run.code, request: "{}", targets: (0..<400).map { InspectionTask.site("43\($0)") }, at: t0)
            for _ in 0..<8 { workers.append(try await Store.open(location)) }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for (index, store) in workers.enumerated() {
                    group.addTask {
                        var mine: [String] = []
                        while let task = try await store.claimInspectionTask(owner: "W\(index)", now: Date(), leaseFor: 600) {
                            mine.append(task.target)
                            #expect(try await store.completeInspectionTask(task, owner: "W\(index)", at: Date()))
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claimed.count == 401, "400 sites and the finish")
            #expect(Set(claimed).count == claimed.count, "claimed twice: \(Dictionary(grouping: claimed) { $0 }.filter { $0.value.count > 1 }.keys.sorted())")
        } catch {
            for store in workers { await store.close() }
            await setup.close()
            throw error
        }
        for store in workers { await store.close() }
        await setup.close()
    }

    /// A task run again (its worker died after storing) stores nothing twice.
    @Test(arguments: TestDatabases.backends)
    func aTargetRecordedTwiceKeepsOneCopyOfEachFindingAndScorecard(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let t0 = ChinaTime.parseMoment("2022-04-01T10:00:00")!
            let run = try await store.startRun(asOf: t0, indicatorSet: "national-2019@1", startedAt: t0)
            let site = Target(kind: .site, code: "4390000002", name: "鸿溪市教育局")
            let other = Target(kind: .site, code: "4390000006", name: "鸿溪市公安局")
            let findings = (1...700).map { n in
                Finding(target: site, indicator: .siteLinksBroken, level: .deduction, url: "http://jyj.hongxi.gov.cn/\(n).html", locationKey: "\(n)")
            }
            try await store.record(Array(findings.prefix(400)), in: run.code)
            try await store.record([Finding(target: other, indicator: .siteLinksBroken, level: .deduction, locationKey: "1")], in: run.code)
            #expect(try await !store.hasScorecard(in: run.code, kind: "site", code: site.code))
            try await store.record(findings + findings.prefix(3), in: run.code)
            try await store.record([Scorecard(target: site, score: 90, vetoes: [], passed: true)], in: run.code)
            try await store.record([Scorecard(target: site, score: 85, vetoes: [], passed: true)], in: run.code)
            #expect(try await store.findings(of: run.code).1.count == 701)
            let cards = try await store.scorecards(of: run.code).1
            #expect(cards.map(\.score) == [85])
            #expect(try await store.hasScorecard(in: run.code, kind: "site", code: site.code))
            #expect(try await !store.hasScorecard(in: run.code, kind: "account", code: site.code))
        }
    }

    @Test(arguments: TestDatabases.backends)
    func aTaskThatKeepsFailingIsDoneWithItsErrorAfterThreeAttempts(_ backend: TestDatabases.Backend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let t0 = ChinaTime.parseMoment("2022-04-01T10:00:00")!
            let run = try await store.startRun(asOf: t0, indicatorSet: "national-2019@1", startedAt: t0)
            try await store.queueInspection(runCode: run.code, request: "{}", targets: [InspectionTask.site("4390000002")], at: t0)
            // Attempts a minute, then two minutes apart (the backoff doubles).
            var now = t0
            for attempt in 1...3 {
                if attempt > 1 {
                    #expect(try await store.claimInspectionTask(owner: "A", now: now.addingTimeInterval(-1), leaseFor: 60) == nil, "too early")
                }
                let task = try #require(try await store.claimInspectionTask(owner: "A", now: now, leaseFor: 60))
                #expect(task.siteCode == "4390000002" && task.attempts == attempt)
                #expect(try await store.completeInspectionTask(task, owner: "A", at: now, error: "第\(attempt)次失败"))
                now = now.addingTimeInterval(InspectionTask.retryDelay(afterAttempt: attempt))
            }
            #expect(InspectionTask.retryDelay(afterAttempt: 1) == 60 && InspectionTask.retryDelay(afterAttempt: 2) == 120)
            #expect(InspectionTask.retryDelay(afterAttempt: 10) == 3_600, "capped at an hour")
            // The site is given up at once after its last attempt; the run can finish without
            // it, and says what is missing.
            let states = try await store.inspectionTaskStates(runCode: run.code)
            #expect(states.first.map { $0.attempts == 3 && $0.doneAt != nil && $0.retryAt == nil } == true, "\(states)")
            let finish = try #require(try await store.claimInspectionTask(owner: "A", now: t0.addingTimeInterval(180), leaseFor: 60))
            #expect(finish.target == InspectionTask.finish)
            let failed = try await store.failedInspectionTasks(runCode: run.code)
            #expect(failed.map(\.target) == [InspectionTask.site("4390000002")] && failed.map(\.error) == ["第3次失败"])
        }
    }
}
