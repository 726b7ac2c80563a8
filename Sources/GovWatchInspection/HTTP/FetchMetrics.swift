import GovWatchStore
import Logging
import Metrics

/// What inspections record through swift-metrics (exported at `/metrics` by the processes
/// that bootstrap a backend; without one the calls cost next to nothing).
///
/// Each metric is looked up at record time rather than kept in a `static let`: a metric
/// made before the process bootstraps its backend would stay bound to the no-op one.
/// Label values are bounded sets (status classes, indicator ids, job kinds), never a URL or
/// a site code, so the number of series stays small at national scale.
enum InspectionMetrics {
    /// One HTTP exchange of the fetch path (`CrawlFetcher`, `SimpleHTTP`): its status class
    /// (`error` when no response came), the body bytes read and how long it took.
    static func fetched(status: Int?, bytes: Int, latency: Duration) {
        Counter(label: "govwatch_fetch_responses_total", dimensions: [("status_class", statusClass(status))]).increment()
        if bytes > 0 { Counter(label: "govwatch_fetch_bytes_total").increment(by: bytes) }
        let (seconds, attoseconds) = latency.components
        Metrics.Timer(label: "govwatch_fetch_duration_seconds").recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// `2xx`…`5xx`, or `error` for a failure without a status.
    static func statusClass(_ status: Int?) -> String {
        guard let status, (100...599).contains(status) else { return "error" }
        return "\(status / 100)xx"
    }

    /// Findings a run stored, by indicator.
    static func stored(findings indicators: [String]) {
        var counts: [String: Int] = [:]
        for indicator in indicators { counts[indicator, default: 0] += 1 }
        for (indicator, count) in counts {
            Counter(label: "govwatch_findings_total", dimensions: [("indicator", indicator)]).increment(by: count)
        }
    }

    /// An event of the inspection queue: `queued`, `leased`, `failed`.
    static func queueTasks(_ event: String, count: Int = 1) {
        guard count > 0 else { return }
        Counter(label: "govwatch_queue_tasks_total", dimensions: [("event", event)]).increment(by: count)
    }

    /// A lease renewal of a queue task (`task`) or a scheduler job (`job`); `renewed` is false
    /// when the lease had been taken over.
    static func leaseRenewal(_ lease: String, renewed: Bool) {
        Counter(label: "govwatch_lease_renewals_total", dimensions: [("lease", lease), ("result", renewed ? "renewed" : "lost")])
            .increment()
    }

    /// A scheduler job started `lag` seconds after its slot, and how it ended.
    static func schedulerJob(kind: String, lagSeconds: Double, failed: Bool) {
        Metrics.Timer(label: "govwatch_scheduler_lag_seconds", dimensions: [("kind", kind)])
            .recordNanoseconds(Int64(max(0, lagSeconds) * 1e9))
        Counter(label: "govwatch_scheduler_jobs_total", dimensions: [("kind", kind), ("result", failed ? "failed" : "ok")]).increment()
    }
}

/// The inspection a task is working for, as log metadata: every log line written while a
/// site, the accounts or a queue task is inspected carries `run`, `site` (or `target`) and
/// `task`, through the metadata provider the process bootstraps logging with.
public enum InspectionLogContext {
    @TaskLocal public static var metadata: Logger.Metadata = [:]

    /// The provider to bootstrap swift-log with (`LoggingSystem.bootstrap(_:metadataProvider:)`).
    public static let metadataProvider = Logger.MetadataProvider { metadata }

    /// Runs `body` with `extra` added to the current metadata.
    public static func with<T>(_ extra: Logger.Metadata, _ body: () async throws -> T) async rethrows -> T {
        var merged = metadata
        merged.merge(extra) { _, new in new }
        return try await $metadata.withValue(merged, operation: body)
    }

    /// The logger of inspections (workers, runner).
    static let logger = Logger(label: "govwatch.inspection")
}

extension InspectionWorker {
    /// A queue task's log metadata: `run`, `task` (its id in the queue), and `site` for a
    /// site's task or `target` for the others (accounts, finishing the run).
    static func logMetadata(_ task: InspectionTask) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["run": .string(task.runCode), "task": .stringConvertible(task.id)]
        if let site = task.siteCode {
            metadata["site"] = .string(site)
        } else {
            metadata["target"] = .string(task.target)
        }
        return metadata
    }
}

extension InspectionLogContext {
    /// Runs `body` as the inspection of `site` in run `run`.
    static func withSite<T>(run: String, site: String, _ body: () async throws -> T) async rethrows -> T {
        try await with(["run": .string(run), "site": .string(site)], body)
    }

    /// Runs `body` as the inspection of another target (`accounts`) in run `run`.
    static func withTarget<T>(run: String, target: String, _ body: () async throws -> T) async rethrows -> T {
        try await with(["run": .string(run), "target": .string(target)], body)
    }

    /// Runs `body` as the scheduler's job `name`.
    static func withJob<T>(_ name: String, _ body: () async throws -> T) async rethrows -> T {
        try await with(["job": .string(name)], body)
    }

    /// Runs `body` as the queue task `task`.
    static func withTask<T>(_ task: InspectionTask, _ body: () async throws -> T) async rethrows -> T {
        try await with(InspectionWorker.logMetadata(task), body)
    }

    static func siteStarted(_ code: String) {
        logger.info("开始检查网站", metadata: ["site": .string(code)])
    }

    static func siteFinished(_ code: String, findings: Int, verdict: String) {
        logger.info("网站检查完成", metadata: ["site": .string(code), "findings": .stringConvertible(findings), "verdict": .string(verdict)])
    }

    static func taskLeased(attempt: Int) {
        logger.info("领取检查任务", metadata: ["attempt": .stringConvertible(attempt)])
    }

    static func taskFailed(attempt: Int, error: any Error) {
        logger.error("检查任务失败", metadata: ["attempt": .stringConvertible(attempt), "error": .string("\(error)")])
    }
}
