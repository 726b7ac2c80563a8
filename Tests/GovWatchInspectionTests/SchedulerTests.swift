import AsyncHTTPClient
import Foundation
import GovWatchCore
@testable import GovWatchInspection
import GovWatchStore
import GovWatchTestSupport
import Synchronization
import Testing

/// A discrete-event clock: time stands still while any of the `participants` (the tasks that
/// sleep on it) is busy, and when all are asleep it jumps to the earliest wake-up. A job then
/// takes no simulated time however many lanes run beside it, and a simulated day takes a moment.
/// A scheduler sleeps on its clock in each of its `concurrency` lanes and in its sync loop.
final class SimulatedClock: SchedulerClock {
    private struct State {
        var now: Date
        var sleepers: [(wake: Date, continuation: CheckedContinuation<Void, Never>)] = []
    }
    private let state: Mutex<State>
    private let participants: Int
    init(_ start: Date, participants: Int = 1) {
        state = Mutex(State(now: start))
        self.participants = participants
    }
    func now() -> Date { state.withLock { $0.now } }
    func set(_ date: Date) { state.withLock { $0.now = date } }
    func sleep(until date: Date) async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                guard date > state.now else { return [continuation] }
                state.sleepers.append((date, continuation))
                guard state.sleepers.count >= participants, let earliest = state.sleepers.map(\.wake).min() else { return [] }
                state.now = earliest
                let due = state.sleepers.filter { $0.wake <= earliest }.map(\.continuation)
                state.sleepers.removeAll { $0.wake <= earliest }
                return due
            }
            for sleeper in woken { sleeper.resume() }
        }
    }
}

/// Records what it was asked to run: job name, the slot it was due at, and who ran it.
final class RecordingExecutor: JobExecutor {
    struct Run: Hashable {
        var job: String
        var due: Date
        var at: Date
        var by: String
    }
    let runs = Mutex<[Run]>([])
    let name: String
    init(name: String = "A") { self.name = name }
    func execute(_ job: ScheduledJob, kind: JobKind, now: Date) async throws -> String {
        runs.withLock { $0.append(Run(job: job.name, due: job.nextRunAt, at: now, by: name)) }
        // A little real time, so two schedulers overlap.
        try await Task.sleep(for: .milliseconds(1))
        if job.name == "feeds", runs.withLock({ $0.filter { $0.job == "feeds" }.count }) == 1 { throw CancellationError() }
        return "ok"
    }
    var all: [Run] { runs.withLock { $0 } }
}

/// An inspection that runs until every site has been probed `probesPerSite` times since it
/// started, or 20 (real) seconds pass: a scheduler whose long job held the others up makes it
/// wait out the 20 seconds.
final class LongInspectionExecutor: JobExecutor {
    let probesPerSite: Int
    let sites: Int
    private let state = Mutex<(inspecting: Bool, probes: [String], outcome: String?)>((false, [], nil))
    init(probesPerSite: Int, sites: Int) {
        self.probesPerSite = probesPerSite
        self.sites = sites
    }
    var probesDuringInspection: [String] { state.withLock { $0.probes } }

    func execute(_ job: ScheduledJob, kind: JobKind, now: Date) async throws -> String {
        guard kind == .inspection else {
            state.withLock { if $0.inspecting { $0.probes.append(job.name) } }
            return "ok"
        }
        state.withLock { $0.inspecting = true }
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        var outcome = "timed out"
        while ContinuousClock.now < deadline {
            let probes = probesDuringInspection
            if Set(probes).count == sites, Dictionary(grouping: probes, by: { $0 }).values.allSatisfy({ $0.count >= probesPerSite }) {
                outcome = "released"
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        state.withLock {
            $0.inspecting = false
            $0.outcome = outcome
        }
        return outcome
    }

    /// Waits (real time) until the inspection has ended; its outcome.
    func inspectionOutcome() async throws -> String {
        while true {
            if let outcome = state.withLock({ $0.outcome }) { return outcome }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

@Suite(.serialized) struct SchedulerTests {
    static let sites = """
        网站标识码,网站名称,首页网址,网站类型,主办单位
        4301000002,鸿溪市教育局,http://jyj.hongxi.gov.cn/,部门网站,鸿溪市教育局
        4301000003,鸿溪市公安局,http://gaj.hongxi.gov.cn/,部门网站,鸿溪市公安局
        4301000004,鸿溪市民政局,http://mzj.hongxi.gov.cn/,部门网站,鸿溪市民政局

        """
    /// 2022-04-01 00:30 CST, so the day holds the monthly inspection (01:00 on the 1st).
    static let start = ChinaTime.parseMoment("2022-04-01T00:30:00")!

    /// A fresh store with the three sites (PostgreSQL: on the server of `scripts/test.sh`;
    /// the tests using it carry `.requires(ToolAvailability.postgres)`).
    static func freshStore(_ backend: String) async throws -> (Store, DatabaseLocation) {
        let location: DatabaseLocation
        if backend == "sqlite" {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-sched-\(UUID().uuidString)")
            location = .sqlite(path: directory.appendingPathComponent("jobs.sqlite").path)
        } else {
            try ToolAvailability.require(ToolAvailability.postgres)
            let base = try #require(ProcessInfo.processInfo.environment["GOVWATCH_TEST_POSTGRES_URL"])
            var components = try #require(URLComponents(string: base))
            let name = "gw_sched_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let created = try await ChildProcess.program("psql", [
                "-q", "-h", components.host ?? "127.0.0.1", "-p", String(components.port ?? 5432), "-U", components.user ?? "postgres",
                "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)",
            ])
            try #require(created.status == 0, "\(created.stderr)")
            components.path = "/\(name)"
            location = .postgres(url: components.string!)
        }
        let store = try await Store.open(location)
        _ = try await RegistryImporter.importFile(.sites, data: Data(sites.utf8), file: "sites.csv", into: store)
        return (store, location)
    }

    @Test func aSimulatedDayProbesEverySiteAtLeastTwentyTimesSpreadOverTheDay() async throws {
        let (store, _) = try await Self.freshStore("sqlite")
        let lanes = 4
        let clock = SimulatedClock(Self.start, participants: lanes + 1)
        let executor = RecordingExecutor()
        let scheduler = Scheduler(store: store, executor: executor, clock: clock, concurrency: lanes)
        try await scheduler.run(until: Self.start.addingTimeInterval(86_400))
        let runs = executor.all
        for code in ["4301000002", "4301000003", "4301000004"] {
            let probes = runs.filter { $0.job == "probe:\(code)" }.map(\.at).sorted()
            #expect(probes.count >= 20, "\(code): \(probes.count)")
            // Spread: never two probes of a site within 6 minutes, never a gap over 2 hours.
            for (a, b) in zip(probes, probes.dropFirst()) {
                #expect(b.timeIntervalSince(a) > 360 && b.timeIntervalSince(a) < 7_200)
            }
        }
        // Jitter: the three sites are not probed at the same moments.
        let firstProbes = Set(runs.filter { $0.job.hasPrefix("probe:") }.prefix(3).map(\.at))
        #expect(firstProbes.count == 3)
        #expect(runs.filter { $0.job == "feeds" }.count == 24)
        #expect(runs.filter { $0.job == "patrol" }.count == 1)
        #expect(runs.filter { $0.job == "digest" }.count == 1)
        #expect(runs.filter { $0.job == "inspection" }.count == 1)
        // A failing run is recorded and rescheduled like any other.
        let jobs = try await store.jobs()
        #expect(jobs.first { $0.name == "feeds" }?.runs == 24)
        #expect(jobs.allSatisfy { $0.leaseOwner == nil && $0.nextRunAt > Self.start.addingTimeInterval(86_400 - 3_600) })
        await store.close()
    }

    @Test func afterDowntimeEachMissedJobRunsOnce() async throws {
        let (store, _) = try await Self.freshStore("sqlite")
        let clock = SimulatedClock(Self.start)
        let executor = RecordingExecutor()
        let scheduler = Scheduler(store: store, executor: executor, clock: clock)
        try await scheduler.syncJobs()
        // Down for three days and a half: dozens of slots missed per job.
        let back = Self.start.addingTimeInterval(3.5 * 86_400)
        clock.set(back)
        try await scheduler.run(once: true)
        let runs = executor.all
        let names = try await store.jobs().map(\.name)
        #expect(runs.count == names.count, "one run per job: \(runs.map(\.job))")
        #expect(Set(runs.map(\.job)) == Set(names))
        #expect(try await store.jobs().allSatisfy { $0.nextRunAt > back && $0.runs == 1 })
        // Nothing more is due right after.
        #expect(try await scheduler.runDue().isEmpty)
        await store.close()
    }

    @Test func twoSchedulersOnOneSQLiteDatabaseNeverRunAJobTwice() async throws {
        try await twoSchedulersOnOneDatabaseNeverRunAJobTwice("sqlite")
    }

    @Test(.requires(ToolAvailability.postgres)) func twoSchedulersOnOnePostgreSQLDatabaseNeverRunAJobTwice() async throws {
        try await twoSchedulersOnOneDatabaseNeverRunAJobTwice("postgres")
    }

    private func twoSchedulersOnOneDatabaseNeverRunAJobTwice(_ backend: String) async throws {
        let (first, location) = try await Self.freshStore(backend)
        // A second, independent connection pool: what a second process has.
        let second = try await Store.open(location)
        let lanes = 2
        let clock = SimulatedClock(Self.start, participants: 2 * (lanes + 1))
        let a = RecordingExecutor(name: "A")
        let b = RecordingExecutor(name: "B")
        let end = Self.start.addingTimeInterval(6 * 3_600)
        let schedulerA = Scheduler(store: first, executor: a, clock: clock, owner: "A", concurrency: lanes)
        let schedulerB = Scheduler(store: second, executor: b, clock: clock, owner: "B", concurrency: lanes)
        async let runA: Void = schedulerA.run(until: end)
        async let runB: Void = schedulerB.run(until: end)
        _ = try await (runA, runB)
        let runs = a.all + b.all
        // Each (job, slot) ran exactly once across both schedulers.
        let slots = runs.map { "\($0.job)@\($0.due.timeIntervalSince1970)" }
        #expect(Set(slots).count == slots.count, "double runs: \(Dictionary(grouping: slots, by: { $0 }).filter { $0.value.count > 1 }.keys)")
        #expect(runs.filter { $0.job == "inspection" }.count == 1)
        #expect(runs.filter { $0.job == "probe:4301000002" }.count >= 5)
        let jobs = try await first.jobs()
        #expect(jobs.map(\.runs).reduce(0, +) == runs.count)
        await first.close()
        await second.close()
    }

    /// The monthly inspection crawls for hours; it must not hold up the probes, which feed the
    /// availability veto. Real (scaled) time: one simulated hour per second.
    @Test func aLongInspectionHoldsOneLaneAndTheProbesKeepTheirSlots() async throws {
        let (store, _) = try await Self.freshStore("sqlite")
        // 00:50 on the 1st: the inspection is due at 01:00, each site's probes hourly.
        let clock = ScaledSchedulerClock(start: Self.start.addingTimeInterval(20 * 60), speed: 3_600)
        let executor = LongInspectionExecutor(probesPerSite: 2, sites: 3)
        let scheduler = Scheduler(store: store, executor: executor, clock: clock, concurrency: 2, kinds: [.probe, .inspection])
        let running = Task { try await scheduler.run(until: Self.start.addingTimeInterval(86_400)) }
        let outcome = try await executor.inspectionOutcome()
        running.cancel()
        _ = try? await running.value
        #expect(outcome == "released", "the probes did not run while the inspection did: \(executor.probesDuringInspection)")
        #expect(Set(executor.probesDuringInspection).count == 3)
        await store.close()
    }

    @Test func scheduleSlotsAreStableAndCoverTheDay() {
        let schedule = JobSchedule()
        var at = Self.start
        var times: [Date] = []
        for _ in 0..<48 {
            at = schedule.nextRun(kind: .probe, name: "probe:4301000002", after: at)
            times.append(at)
        }
        // 24 a day: slot by slot.
        #expect(times.filter { $0 < Self.start.addingTimeInterval(86_400) }.count >= 23)
        #expect(schedule.nextRun(kind: .probe, name: "probe:x", after: Self.start) == schedule.nextRun(kind: .probe, name: "probe:x", after: Self.start))
        #expect(JobSchedule(probesPerDay: 5).probesPerDay == 20, "never fewer than the indicators' 20 a day")
        let monthly = schedule.nextRun(kind: .inspection, name: "inspection", after: ChinaTime.parseMoment("2022-04-01T01:00:00")!)
        #expect(monthly == ChinaTime.parseMoment("2022-05-01T01:00:00")!)
        let digest = schedule.nextRun(kind: .digest, name: "digest", after: Self.start)
        #expect(digest == ChinaTime.parseMoment("2022-04-01T08:00:00")!)
    }
}

/// The scheduler's inspections and patrols follow the indicator set in force in the database
/// (a province's, stored with `govwatch indicators set`), read at each run.
@Suite struct SchedulerIndicatorSetTests {
    @Test func jobsUseTheStoredIndicatorSetAndItsContentLevels() async throws {
        let (store, _) = try await SchedulerTests.freshStore("sqlite")
        let client = try InspectionHTTPClient.make(proxy: nil)
        let executor = StandardJobExecutor(
            store: store, http: try SimpleHTTP(client: client, proxy: nil), crawl: CrawlConfiguration(), indicators: nil,
            scanner: try ContentScanner.standard(), loop: RectificationLoop(store: store),
            digests: DigestSender(store: store, folder: nil, webhook: nil))
        let (national, nationalScanner) = try await executor.ruleSet()
        #expect(national.reference == IndicatorSet.national2019.reference)
        #expect(nationalScanner.levels.privacy == .deduction)

        // A province makes personal information on sites a veto item.
        var province = IndicatorSet.national2019
        province.id = "hunan-2024"
        province.indicators[IndicatorID.siteContentPrivacy.rawValue]?.level = .veto
        try await store.storeIndicatorSet(province)
        let (inForce, scanner) = try await executor.ruleSet()
        #expect(inForce.reference == province.reference)
        #expect(scanner.levels.privacy == .veto)
        let finding = scanner.scan("联系人张三，身份证号 110101199003074514").findings(
            target: Target(kind: .site, code: "4301000002", name: "鸿溪市教育局"), url: "http://jyj.hongxi.gov.cn/a.html")
        #expect(!finding.isEmpty && finding.allSatisfy { $0.level == .veto })
        try await client.shutdown()
        await store.close()
    }

    /// `schedule run --queue-inspections`: the monthly inspection is left to the workers,
    /// with the indicator set in force written into the queued request.
    @Test func theMonthlyInspectionCanBeQueuedForTheWorkers() async throws {
        let (store, _) = try await SchedulerTests.freshStore("sqlite")
        let client = try InspectionHTTPClient.make(proxy: nil)
        var executor = StandardJobExecutor(
            store: store, http: try SimpleHTTP(client: client, proxy: nil), crawl: CrawlConfiguration(), indicators: nil,
            scanner: try ContentScanner.standard(), loop: RectificationLoop(store: store),
            digests: DigestSender(store: store, folder: nil, webhook: nil))
        executor.queueInspections = true
        var province = IndicatorSet.national2019
        province.id = "hunan-2024"
        try await store.storeIndicatorSet(province)
        try await store.ensureJob(name: "inspection", kind: "inspection", parameter: nil, firstRunAt: SchedulerTests.start)
        let job = try #require(try await store.jobs().first)
        let message = try await executor.execute(job, kind: .inspection, now: ChinaTime.parseMoment("2022-04-01T01:00:00")!)
        #expect(message == "检查批次 r-20220331-0001 已排队：网站 3 个，政务新媒体账号 0 个，由检查工作进程执行")
        let queued = try QueuedInspection.decode(try #require(try await store.queuedRequest(runCode: "r-20220331-0001")))
        #expect(queued.indicators == province && queued.asOf == ChinaTime.parseMoment("2022-04-01T00:00:00")!)
        // Three site tasks and the run's finish; nothing was crawled here.
        #expect(try await store.openInspectionTaskCount() == 4)
        #expect(try await store.scorecards(of: "r-20220331-0001").1.isEmpty)
        try await client.shutdown()
        await store.close()
    }
}
