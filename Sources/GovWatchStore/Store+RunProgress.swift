import FluentKit
import Foundation
import SQLKit

/// How far a run has come, read from the store so any `serve` process can show it whichever
/// worker does the work: the run's queued tasks, and per site the crawl state rows the
/// crawler commits (the numbers the command line's progress line prints).
public struct RunProgress: Sendable, Hashable {
    /// One site's crawl in this run (session key `runCode/siteCode`).
    public struct SiteCrawl: Sendable, Hashable {
        public var siteCode: String
        /// `running` or `finished`.
        public var status: String
        /// URLs done (pages fetched and links checked).
        public var done: Int
        /// Admitted URLs not yet done.
        public var queued: Int
        /// Done URLs that failed (4xx/5xx or a transport error).
        public var errors: Int
        public var startedAt: Date
        public var finishedAt: Date?
    }

    /// Queued tasks of the run (sites, accounts, finishing), 0 for a run started by `inspect`.
    public var tasks = 0
    public var tasksDone = 0
    public var tasksFailed = 0
    public var crawls: [SiteCrawl] = []

    public init() {}
}

extension Store {
    /// The progress of `runCode`: its queue tasks and its site crawls (at most `limit`
    /// crawls, the newest first; counts by state use the crawl table's frontier index).
    public func runProgress(_ runCode: String, limit: Int = 200) async throws -> RunProgress {
        guard let sql = database as? any SQLDatabase else { return RunProgress() }
        var progress = RunProgress()
        if let row = try await sql.raw(
            """
            SELECT count(*) AS total,
                   coalesce(sum(CASE WHEN done_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS done,
                   coalesce(sum(CASE WHEN done_at IS NOT NULL AND last_error IS NOT NULL THEN 1 ELSE 0 END), 0) AS failed
            FROM inspection_tasks WHERE run_code = \(bind: runCode)
            """
        ).first() {
            progress.tasks = try row.decode(column: "total", as: Int.self)
            progress.tasksDone = try row.decode(column: "done", as: Int.self)
            progress.tasksFailed = try row.decode(column: "failed", as: Int.self)
        }
        let sessions = try await sql.select().columns("id", "site_code", "status", "started_at", "finished_at")
            .from("crawl_sessions").where("session_key", .like, runCode + "/%")
            .orderBy("id", .descending).limit(limit).all()
        for session in sessions {
            let id = try session.decode(column: "id", as: Int.self)
            var crawl = RunProgress.SiteCrawl(
                siteCode: try session.decode(column: "site_code", as: String.self),
                status: try session.decode(column: "status", as: String.self), done: 0, queued: 0, errors: 0,
                startedAt: try session.decode(column: "started_at", as: Date.self),
                finishedAt: try session.decode(column: "finished_at", as: Date?.self))
            let states = try await sql.raw(
                """
                SELECT state, count(*) AS n,
                       coalesce(sum(CASE WHEN error IS NOT NULL OR status >= 400 THEN 1 ELSE 0 END), 0) AS failed
                FROM crawl_urls WHERE session_id = \(bind: id) GROUP BY state
                """
            ).all()
            for state in states {
                let count = try state.decode(column: "n", as: Int.self)
                switch try state.decode(column: "state", as: String.self) {
                case "queued": crawl.queued += count
                case "skipped": break
                default:
                    crawl.done += count
                    crawl.errors += try state.decode(column: "failed", as: Int.self)
                }
            }
            progress.crawls.append(crawl)
        }
        return progress
    }
}
