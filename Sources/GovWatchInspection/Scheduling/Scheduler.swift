import Foundation
import GovWatchCore
import GovWatchStore

/// Where a scheduler's time comes from: the wall clock in production, a simulated clock in
/// tests (a simulated day runs in a moment).
public protocol SchedulerClock: Sendable {
    func now() -> Date
    /// Waits until `date` (or returns early when cancelled).
    func sleep(until date: Date) async throws
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
/// - No double runs: a job is claimed with an atomic lease (`Store.claimJob`); a scheduler
///   that dies holding one loses it when the lease expires, and another takes over.
public struct Scheduler: Sendable {
    public var store: Store
    public var executor: any JobExecutor
    public var clock: any SchedulerClock
    public var schedule: JobSchedule
    /// This process, in leases: `host:pid:random`.
    public var owner: String
    /// Jobs run at the same time by this scheduler.
    public var concurrency: Int
    /// Kinds this scheduler creates jobs for (all by default).
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

    /// How long a run may hold its job before another scheduler may assume it died.
    public static func leaseDuration(_ kind: JobKind) -> TimeInterval {
        switch kind {
        case .inspection: 12 * 3_600
        case .patrol: 4 * 3_600
        case .probe, .feeds, .digest: 30 * 60
        }
    }

    /// One run of one job.
    public struct RunRecord: Sendable, Hashable {
        public var job: String
        public var kind: JobKind
        public var startedAt: Date
        public var message: String
        public var failed: Bool
    }

    /// Creates the jobs the registry needs (a probe job per site) and removes those of sites
    /// no longer registered. New jobs are first due at their first slot after now.
    public func syncJobs() async throws {
        let now = clock.now()
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
        for kind in [JobKind.patrol, .inspection, .feeds, .digest] where kinds.contains(kind) {
            try await store.ensureJob(
                name: kind.rawValue, kind: kind.rawValue, parameter: nil,
                firstRunAt: schedule.nextRun(kind: kind, name: kind.rawValue, after: now))
        }
    }

    /// Runs every job due now (each at most once), `concurrency` at a time, and returns what ran.
    public func runDue() async throws -> [RunRecord] {
        let due = try await store.dueJobs(at: clock.now(), limit: 1_000)
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
        guard try await store.claimJob(job.id, owner: owner, now: started, leaseFor: Self.leaseDuration(kind)) else { return nil }
        var message: String
        var failure: String?
        do {
            message = try await executor.execute(job, kind: kind, now: started)
        } catch {
            failure = "\(error)"
            message = "失败：\(error)"
        }
        let finished = clock.now()
        try await store.completeJob(
            job.id, owner: owner, nextRunAt: schedule.nextRun(kind: kind, name: job.name, after: finished), finishedAt: finished,
            error: failure)
        return RunRecord(job: job.name, kind: kind, startedAt: started, message: message, failed: failure != nil)
    }

    /// Runs in the foreground: syncs the jobs, runs what is due, sleeps until the next job (at
    /// most `syncInterval`, to notice new sites), until `until` (forever when nil) or, with
    /// `once`, after the first pass.
    public func run(
        until: Date? = nil, once: Bool = false, syncInterval: TimeInterval = 300,
        log: @Sendable (RunRecord) -> Void = { _ in }
    ) async throws {
        var lastSync = Date.distantPast
        while !Task.isCancelled {
            let now = clock.now()
            if let until, now >= until { return }
            if now.timeIntervalSince(lastSync) >= syncInterval || once {
                try await syncJobs()
                lastSync = now
            }
            for record in try await runDue() { log(record) }
            if once { return }
            let next = try await store.jobs().map(\.nextRunAt).min() ?? now.addingTimeInterval(syncInterval)
            var wake = min(max(next, clock.now()), lastSync.addingTimeInterval(syncInterval))
            if let until { wake = min(wake, until) }
            // Another scheduler holds the job that is due: look again in a while rather than spin.
            if wake <= clock.now() { wake = clock.now().addingTimeInterval(15) }
            try await clock.sleep(until: wake)
        }
    }
}
