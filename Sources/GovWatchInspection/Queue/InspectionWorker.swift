import Foundation
import GovWatchCore
import GovWatchStore
import Synchronization

/// A worker of queued inspections (`govwatch worker`): many of them, on many machines, share
/// one database and split an inspection between them, a site at a time.
///
/// `govwatch inspect --queue` starts (or continues) a run and queues a task per site not yet
/// done, one per unit for its accounts and one to finish the run. Each of a worker's lanes claims the
/// oldest open task with a lease, renewed while it runs, and runs it as `inspect` would run
/// that part: a site's crawl state and findings are stored as it goes, so when a worker dies
/// another one takes the task over once the lease expires and resumes the crawl where it
/// stopped; findings are keyed by fingerprint, so nothing is duplicated. The worker that
/// finishes the run also runs the rectification loop (tickets, re-inspection).
///
/// A database outage does not end a worker: an error that means the connection is gone is
/// waited out (backoff from half a second, doubled up to `reconnectCap`), then the task goes on
/// where its stored state left it if the lease is still this worker's, or is left to the worker
/// that took it over. Only a real failure counts as an attempt, and is retried after
/// `InspectionTask.retryDelay` (its next-attempt time is in the queue row).
public struct InspectionWorker: Sendable {
    public var store: Store
    /// Crawls the sites and reads the feeds (its `sitesAtOnce` is not used: lanes are).
    public var runner: InspectionRunner
    public var webhook: TicketWebhook?
    /// This process, in leases: `host:pid:random`.
    public var owner: String
    /// Tasks run at the same time.
    public var lanes: Int
    /// How long a task may hold its lease before another worker may assume this one died;
    /// renewed every third of it while the task runs.
    public var leaseDuration: TimeInterval
    /// How often an idle lane looks for a task.
    public var pollInterval: Duration
    /// The wait before a failed task's second attempt (doubled for each further one).
    public var retryBase: TimeInterval
    /// The longest wait between two attempts to reach a database that went away.
    public var reconnectCap: Duration
    /// The requests of the runs this worker has seen: a run's request is decoded and its
    /// scanner compiled once, not once per site.
    private let requests = RequestCache()

    public init(
        store: Store, runner: InspectionRunner, webhook: TicketWebhook? = nil, owner: String? = nil, lanes: Int = 4,
        leaseDuration: TimeInterval = 30 * 60, pollInterval: Duration = .seconds(5), retryBase: TimeInterval = 60,
        reconnectCap: Duration = .seconds(30)
    ) {
        self.store = store
        self.runner = runner
        self.webhook = webhook
        self.owner = owner ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
        self.lanes = max(1, lanes)
        self.leaseDuration = leaseDuration
        self.pollInterval = pollInterval
        self.retryBase = retryBase
        self.reconnectCap = reconnectCap
    }

    public struct MissingRequest: Error, CustomStringConvertible {
        public var runCode: String
        public var description: String { "检查批次 \(runCode) 没有排队记录" }
    }

    public struct UnknownSite: Error, CustomStringConvertible {
        public var code: String
        public var description: String { "网站标识码未登记：\(code)" }
    }

    /// Runs tasks until cancelled or, with `exitWhenIdle`, until no task of any run is open.
    /// `log` receives a Chinese line per finished target, per failed task and per finished run.
    public func run(exitWhenIdle: Bool, log: @escaping @Sendable (String) -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<lanes {
                group.addTask { try await lane(exitWhenIdle: exitWhenIdle, log: log) }
            }
            try await group.waitForAll()
        }
    }

    func lane(exitWhenIdle: Bool, log: @escaping @Sendable (String) -> Void) async throws {
        while !Task.isCancelled {
            let claimed = try await persistently("领取任务", log: log) {
                try await store.claimInspectionTask(owner: owner, now: Date(), leaseFor: leaseDuration)
            }
            if let task = claimed {
                try await InspectionLogContext.withTask(task) { try await perform(task, log: log) }
                continue
            }
            // Open tasks other workers hold, or failed ones waiting for their next attempt, are
            // waited for: should a worker die, its task is claimable again when the lease expires.
            if exitWhenIdle, try await persistently("查询任务", log: log, { try await store.openInspectionTaskCount() }) == 0 { return }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// Runs a claimed task with its lease renewed, and records it done, or failed (to be tried
    /// again after a backoff, up to three attempts in all). A lost database connection is no
    /// failure: once the database answers again the task goes on, its lease renewed, or, when
    /// another worker took it over meanwhile, is left to that worker.
    public func perform(_ task: InspectionTask, log: @escaping @Sendable (String) -> Void) async throws {
        InspectionMetrics.queueTasks("leased")
        InspectionLogContext.taskLeased(attempt: task.attempts)
        let renewal = Task { [store, owner, leaseDuration] in
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(Int64(leaseDuration / 3 * 1_000)))
                do {
                    let renewed = try await store.renewInspectionTask(task.id, owner: owner, until: Date().addingTimeInterval(leaseDuration))
                    InspectionMetrics.leaseRenewal("task", renewed: renewed)
                    guard renewed else { return }
                } catch where Store.isConnectionLoss(error) {
                    continue  // the task itself waits for the database and renews on its return
                }
            }
        }
        defer { renewal.cancel() }
        let name = "批次 \(task.runCode) \(Self.describe(task.target))"
        while true {
            do {
                try await execute(task, log: log)
            } catch let error as CancellationError {
                throw error
            } catch {
                if await isOutage(error) {
                    log("数据库连接中断，任务暂停：\(name)：\(error)")
                    try await waitForDatabase(log: log)
                    let kept = try await persistently("续租任务", log: log) {
                        try await store.renewInspectionTask(task.id, owner: owner, until: Date().addingTimeInterval(leaseDuration))
                    }
                    guard kept else {
                        log("数据库已恢复，任务租约已由其他工作进程接管：\(name)")
                        return
                    }
                    log("数据库已恢复，继续任务：\(name)")
                    continue
                }
                InspectionMetrics.queueTasks("failed")
                InspectionLogContext.taskFailed(attempt: task.attempts, error: error)
                log("任务失败（第 \(task.attempts) 次）：\(name)：\(error)")
                let retryAfter = InspectionTask.retryDelay(afterAttempt: task.attempts, base: retryBase)
                _ = try await persistently("记录任务失败", log: log) {
                    try await store.completeInspectionTask(task, owner: owner, at: Date(), error: "\(error)", retryAfter: retryAfter)
                }
                return
            }
            if try await !persistently("记录任务完成", log: log, { try await store.completeInspectionTask(task, owner: owner, at: Date()) }) {
                // Its lease ran out (a stall longer than the lease) and another worker took the
                // task over; what this one stored stays, keyed by fingerprint.
                log("任务已由其他工作进程接管：\(name)")
            }
            return
        }
    }

    /// Whether `error` comes from a database that went away: a connection error, or any error
    /// while the database does not answer (a crawl may wrap the store's error in its own).
    func isOutage(_ error: any Error) async -> Bool {
        if Store.isConnectionLoss(error) { return true }
        return await !store.isReachable()
    }

    /// Runs a store operation until it succeeds or fails for a reason other than a lost
    /// connection, waiting for the database between tries.
    func persistently<Value>(
        _ what: String, log: @escaping @Sendable (String) -> Void, _ operation: () async throws -> Value
    ) async throws -> Value {
        while true {
            do {
                return try await operation()
            } catch let error as CancellationError {
                throw error
            } catch {
                guard await isOutage(error) else { throw error }
                log("数据库连接中断（\(what)）：\(error)")
                try await waitForDatabase(log: log)
            }
        }
    }

    /// Returns once the database answers, trying after 0.5 s, 1 s, 2 s … up to `reconnectCap`
    /// between tries, a line logged per try.
    func waitForDatabase(log: @escaping @Sendable (String) -> Void) async throws {
        var delay = Duration.milliseconds(500)
        while true {
            log("数据库暂不可用，\(Self.seconds(delay)) 秒后重新连接")
            try await Task.sleep(for: delay)
            if await store.isReachable() {
                log("数据库连接已恢复")
                return
            }
            delay = min(delay * 2, reconnectCap)
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1_000 == 0 ? String(milliseconds / 1_000) : String(format: "%.1f", Double(milliseconds) / 1_000)
    }

    func execute(_ task: InspectionTask, log: @escaping @Sendable (String) -> Void) async throws {
        let request = try await request(of: task.runCode)
        let progress: @Sendable (String) -> Void = { log("\($0)  （批次 \(task.runCode)）") }
        switch task.target {
        case InspectionTask.finish:
            let outcome = try await runner.finish(task.runCode, resumed: false)
            let loop = RectificationLoop(store: store, policy: RectificationPolicy(indicators: request.indicators), webhook: webhook)
            let rectification = try await loop.afterInspection(outcome, request: request)
            let failed = try await store.failedInspectionTasks(runCode: task.runCode)
            let passed = outcome.scorecards.filter(\.passed).count
            var line = "检查批次 \(task.runCode) 完成：\(outcome.scorecards.count) 个对象，合格 \(passed) 个，问题 \(outcome.findings.count) 个；\(rectification.summary)"
            if !failed.isEmpty { line += "；未完成 \(failed.count) 项：" + failed.map { Self.describe($0.target) }.joined(separator: "、") }
            log(line)
        case _ where task.isAccounts:
            // Targets stored before a worker died are done: their scorecard is in the run.
            let done = try await runner.doneTargets(of: task.runCode)
            let registry = try await store.accounts()
            let accounts = (request.inspectsEverything ? registry : registry.filter { request.accountIDs.contains($0.id) })
                .filter { account in task.accountsUnit.map { $0 == account.unit } ?? true }
                .filter { !done.contains("account \($0.id)") }
            for (account, problem) in try await runner.inspect(accounts, request: request, runCode: task.runCode, progress: progress) {
                log("数据源异常  \(account.id)  \(account.name)：\(problem)")
            }
        default:
            guard let code = task.siteCode, let site = try await store.site(code) else {
                throw UnknownSite(code: task.siteCode ?? task.target)
            }
            guard try await !store.hasScorecard(in: task.runCode, kind: "site", code: code) else { return }
            let columns = try await store.columns(site: code)
            try await runner.inspect(site, columns: columns, request: request, runCode: task.runCode, progress: progress)
        }
    }

    /// The run's queued request, from the cache or the database.
    func request(of runCode: String) async throws -> InspectionRequest {
        if let known = requests.entries.withLock({ $0[runCode] }) { return known }
        guard let json = try await store.queuedRequest(runCode: runCode) else { throw MissingRequest(runCode: runCode) }
        let request = try QueuedInspection.decode(json).request()
        requests.entries.withLock { entries in
            if entries.count >= 16 { entries.removeAll() }  // a worker that runs for years sees a run a month
            entries[runCode] = request
        }
        return request
    }

    final class RequestCache: Sendable {
        let entries = Mutex<[String: InspectionRequest]>([:])
    }

    /// `网站 4390000002`, `政务新媒体账号`, `汇总评分与整改`.
    static func describe(_ target: String) -> String {
        switch target {
        case InspectionTask.finish: "汇总评分与整改"
        case InspectionTask.accounts: "政务新媒体账号"
        case _ where target.hasPrefix("accounts "): "政务新媒体账号（\(target.dropFirst(9))）"
        default: target.hasPrefix("site ") ? "网站 \(target.dropFirst(5))" : target
        }
    }
}
