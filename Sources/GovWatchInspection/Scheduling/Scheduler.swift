import Foundation
import GovWatchCore
import GovWatchStore

/// Where a scheduler's time comes from: the wall clock in production, a simulated clock in
/// tests (a simulated day runs in a moment).
public protocol SchedulerClock: Sendable {
    func now() -> Date
    /// Waits until `date` (or returns early when cancelled).
    func sleep(until date: Date) async throws
    /// Simulated seconds per wall-clock second (1 for the wall clock): how often a running
    /// job renews its lease in real time.
    var speed: Double { get }
}

extension SchedulerClock {
    public var speed: Double { 1 }
}

/// The wall clock.
public struct SystemSchedulerClock: SchedulerClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until date: Date) async throws {
        let seconds = date.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .milliseconds(Int64(seconds * 1_000))) }
    }
}

/// A clock that runs `speed` times faster than the wall clock from `start`, for rehearsing a
/// day of scheduling in minutes (and for tests that drive several scheduler *processes*:
/// given the same `anchor`, every process reads the same simulated time).
public struct ScaledSchedulerClock: SchedulerClock {
    /// The simulated time at `anchor`.
    public var start: Date
    /// Simulated seconds per wall-clock second.
    public var speed: Double
    /// The wall-clock moment that corresponds to `start`.
    public var anchor: Date

    public init(start: Date, speed: Double, anchor: Date = Date()) {
        self.start = start
        self.speed = max(speed, 0.001)
        self.anchor = anchor
    }

    public func now() -> Date { start.addingTimeInterval(Date().timeIntervalSince(anchor) * speed) }

    public func sleep(until date: Date) async throws {
        let wallSeconds = date.timeIntervalSince(now()) / speed
        if wallSeconds > 0 { try await Task.sleep(for: .microseconds(Int64(wallSeconds * 1_000_000))) }
    }
}

/// What runs a job.
public protocol JobExecutor: Sendable {
    /// Runs `job` at `now`; returns a line for the log. Throwing marks the run failed (it is
    /// still rescheduled for its next slot).
    func execute(_ job: ScheduledJob, kind: JobKind, now: Date) async throws -> String
}

/// The scheduler: recurring jobs persisted in the database, run by whichever scheduler
/// process claims them first.
///
/// - Jobs: a probe job per site (`probe:CODE`, ≥ 20 a day), and one `patrol` (daily),
///   `inspection` (monthly), `feeds` (hourly) and `digest` (daily) job.
/// - Catch-up: a job whose time passed while no scheduler ran is due; it runs once and is
///   rescheduled for its first slot after now.
/// - Lanes: `concurrency` jobs run at once, each lane taking the next due job when it is free,
///   so a long job never holds up the short ones.
/// - No double runs: a job is claimed with an atomic lease (`Store.claimJob`), renewed while
///   it runs; a scheduler that dies holding one loses it when the lease expires, and another
///   takes over.
public struct Scheduler: Sendable {
    public var store: Store
    public var executor: any JobExecutor
    public var clock: any SchedulerClock
    public var schedule: JobSchedule
    /// This process, in leases: `host:pid:random`.
    public var owner: String
    /// Jobs run at the same time by this scheduler.
    public var concurrency: Int
    /// Kinds this scheduler creates and runs (all by default): a probe-only worker runs
    /// `[.probe]` beside a scheduler that runs the rest.
    public var kinds: Set<JobKind>

    public init(
        store: Store, executor: any JobExecutor, clock: any SchedulerClock = SystemSchedulerClock(),
        schedule: JobSchedule = JobSchedule(), owner: String? = nil, concurrency: Int = 8, kinds: Set<JobKind> = Set(JobKind.allCases)
    ) {
        self.store = store
        self.executor = executor
        self.clock = clock
        self.schedule = schedule
        self.owner = owner ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
        self.concurrency = max(1, concurrency)
        self.kinds = kinds
    }

    /// The times in force: those an administrator stored on the 设置 page, else this
    /// scheduler's own (read at each use, so a change needs no restart).
    func currentSchedule() async throws -> JobSchedule {
        try await JobSchedule.stored(in: store, over: schedule)
    }

    /// This scheduler's kinds as stored in the jobs table.
    var kindNames: Set<String> { Set(kinds.map(\.rawValue)) }

    /// How long a run may hold its job before another scheduler may assume it died.
    public static func leaseDuration(_ kind: JobKind) -> TimeInterval {
        switch kind {
        case .inspection: 12 * 3_600
        case .patrol: 4 * 3_600
        case .probe, .feeds, .digest, .prune: 30 * 60
        }
    }

    /// One run of one job.
    public struct RunRecord: Sendable, Hashable {
        public var job: String
        public var kind: JobKind
        /// The slot it ran for: its scheduled time (earlier than `startedAt` after downtime).
        public var due: Date
        public var startedAt: Date
        public var message: String
        public var failed: Bool
    }

    /// Creates the jobs the registry needs (a probe job per site) and removes those of sites
    /// no longer registered. New jobs are first due at their first slot after now.
    public func syncJobs() async throws {
        let now = clock.now()
        let schedule = try await currentSchedule()
        if kinds.contains(.probe) {
            let sites = try await store.sites()
            var names: Set<String> = []
            for site in sites {
                let name = "probe:\(site.code)"
                names.insert(name)
                try await store.ensureJob(
                    name: name, kind: JobKind.probe.rawValue, parameter: site.code,
                    firstRunAt: schedule.nextRun(kind: .probe, name: name, after: now))
            }
            try await store.removeJobs(kind: JobKind.probe.rawValue, except: names)
        }
        for kind in [JobKind.patrol, .inspection, .feeds, .digest, .prune] where kinds.contains(kind) {
            try await store.ensureJob(
                name: kind.rawValue, kind: kind.rawValue, parameter: nil,
                firstRunAt: schedule.nextRun(kind: kind, name: kind.rawValue, after: now))
        }
    }

    /// Runs every job of this scheduler's kinds due now (each at most once), `concurrency` at a
    /// time, and returns what ran (`run(once:)`).
    public func runDue() async throws -> [RunRecord] {
        let due = try await store.dueJobs(at: clock.now(), kinds: kindNames, limit: 1_000)
        var records: [RunRecord] = []
        try await withThrowingTaskGroup(of: RunRecord?.self) { group in
            var pending = due.makeIterator()
            func startNext() {
                guard let job = pending.next() else { return }
                group.addTask { try await runIfClaimed(job) }
            }
            for _ in 0..<concurrency { startNext() }
            while let record = try await group.next() {
                if let record { records.append(record) }
                startNext()
            }
        }
        return records.sorted { ($0.startedAt, $0.job) < ($1.startedAt, $1.job) }
    }

    /// Claims and runs one job; nil when another scheduler has it or it is no longer due.
    func runIfClaimed(_ job: ScheduledJob) async throws -> RunRecord? {
        guard let kind = JobKind(rawValue: job.kind) else { return nil }
        let started = clock.now()
        // The slot read in `runDue` may be stale by now (the jobs of one pass are claimed one
        // after another): claiming that slot only keeps the log's slot the one that runs.
        guard try await store.claimJob(job.id, slot: job.nextRunAt, owner: owner, now: started, leaseFor: Self.leaseDuration(kind))
        else { return nil }
        // While the job runs, its lease is renewed every third of its duration: a long
        // inspection must not look dead to the other schedulers and be run a second time.
        let lease = Self.leaseDuration(kind)
        let renewal = Task { [store, clock, owner] in
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(Int64(lease / 3 / clock.speed * 1_000)))
                let renewed = try await store.renewJobLease(job.id, owner: owner, until: clock.now().addingTimeInterval(lease))
                InspectionMetrics.leaseRenewal("job", renewed: renewed)
                guard renewed else { return }
            }
        }
        var message: String
        var failure: String?
        do {
            message = try await InspectionLogContext.withJob(job.name) {
                try await executor.execute(job, kind: kind, now: started)
            }
        } catch {
            failure = "\(error)"
            message = "失败：\(error)"
        }
        renewal.cancel()
        InspectionMetrics.schedulerJob(kind: kind.rawValue, lagSeconds: started.timeIntervalSince(job.nextRunAt), failed: failure != nil)
        let finished = clock.now()
        let schedule = try await currentSchedule()
        try await store.completeJob(
            job.id, owner: owner, nextRunAt: schedule.nextRun(kind: kind, name: job.name, after: finished), finishedAt: finished,
            error: failure)
        return RunRecord(job: job.name, kind: kind, due: job.nextRunAt, startedAt: started, message: message, failed: failure != nil)
    }

    /// Runs in the foreground until `until` (forever when nil) or, with `once`, runs what is
    /// due now and returns.
    ///
    /// `concurrency` lanes each run one due job after another and sleep while none is due;
    /// beside them the jobs are synced with the registry every `syncInterval` (new sites get a
    /// probe job). Because a lane takes the next job as soon as it is free, an inspection that
    /// crawls for hours holds one lane, and the probes keep their slots on the others.
    public func run(
        until: Date? = nil, once: Bool = false, syncInterval: TimeInterval = 300,
        log: @escaping @Sendable (RunRecord) -> Void = { _ in }
    ) async throws {
        if let until, clock.now() >= until { return }
        try await syncJobs()
        if once {
            for record in try await runDue() { log(record) }
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await keepJobsInSync(until: until, every: syncInterval) }
            for _ in 0..<concurrency {
                group.addTask { try await runLane(until: until, idleAtMost: syncInterval, log: log) }
            }
            try await group.waitForAll()
        }
    }

    /// Syncs the jobs with the registry every `interval` until `until`.
    func keepJobsInSync(until: Date?, every interval: TimeInterval) async throws {
        while !Task.isCancelled {
            var wake = clock.now().addingTimeInterval(interval)
            if let until { wake = min(wake, until) }
            try await clock.sleep(until: wake)
            if let until, clock.now() >= until { return }
            try await syncJobs()
        }
    }

    /// One lane: runs the earliest due job it can claim, again and again; when none is left,
    /// sleeps until one may be (at most `idleAtMost`, so jobs added by a sync are noticed).
    func runLane(until: Date?, idleAtMost: TimeInterval, log: @Sendable (RunRecord) -> Void) async throws {
        while !Task.isCancelled {
            let now = clock.now()
            if let until, now >= until { return }
            if let record = try await runNextDue() {
                log(record)
                continue
            }
            var wake = try await store.nextClaimableJobTime(kinds: kindNames, excludingOwner: owner) ?? now.addingTimeInterval(idleAtMost)
            wake = min(wake, now.addingTimeInterval(idleAtMost))
            // Due, yet just claimed by another scheduler or another lane: look again in a
            // (wall-clock) second rather than spin.
            if wake <= now { wake = now.addingTimeInterval(clock.speed) }
            if let until { wake = min(wake, until) }
            try await clock.sleep(until: wake)
        }
    }

    /// Claims the earliest due job no scheduler holds and runs it; nil when there is none.
    func runNextDue() async throws -> RunRecord? {
        let batch = 2 * concurrency
        while true {
            let due = try await store.dueJobs(at: clock.now(), kinds: kindNames, limit: batch)
            for job in due {
                if let record = try await runIfClaimed(job) { return record }
            }
            // Every job read was taken meanwhile (and is now leased): a fresh read shows the rest.
            if due.count < batch { return nil }
        }
    }
}
