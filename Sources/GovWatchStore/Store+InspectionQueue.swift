import FluentKit
import FluentPostgresDriver
import Foundation
import NIOCore
import NIOPosix
import SQLKit

/// A task of a queued inspection: a site (`site 4390000002`), the accounts of a unit
/// (`accounts 鸿溪市教育局`; `accounts` alone, all of them, in runs queued before the split), or
/// finishing the run (`finish`: claimable once every other task of its run is done).
public struct InspectionTask: Sendable, Hashable {
    public var id: Int
    public var runCode: String
    public var target: String
    /// Claims so far, this one included.
    public var attempts: Int

    /// Every account of the run in one task: what runs queued before accounts were split by
    /// unit hold.
    public static let accounts = "accounts"
    public static let finish = "finish"
    public static func site(_ code: String) -> String { "site \(code)" }
    /// The accounts of one unit: a national run has tens of thousands of accounts, and their
    /// feeds are read by many workers at once, a unit each (the duplicate-account check is
    /// per unit, so it needs nothing from another unit's task).
    public static func accounts(unit: String) -> String { "accounts \(unit)" }

    /// The site's 网站标识码 for a site task.
    public var siteCode: String? { target.hasPrefix("site ") ? String(target.dropFirst(5)) : nil }
    /// The unit of an accounts task (nil for the whole-registry `accounts` task and others).
    public var accountsUnit: String? { target.hasPrefix("accounts ") ? String(target.dropFirst(9)) : nil }
    public var isAccounts: Bool { target == Self.accounts || accountsUnit != nil }

    /// How long a task that failed its `attempt`-th attempt waits before the next one: a
    /// minute, doubled each attempt, at most an hour (`base` shortens it in tests).
    public static func retryDelay(afterAttempt attempt: Int, base: TimeInterval = 60) -> TimeInterval {
        min(base * pow(2, Double(max(0, attempt - 1))), max(base, 3_600))
    }
}

/// A queue row as it stands, for progress pages and tests.
public struct InspectionTaskState: Sendable, Hashable {
    public var target: String
    public var attempts: Int
    public var leaseOwner: String?
    public var retryAt: Date?
    public var doneAt: Date?
    public var lastError: String?
}

/// Inspections queued for worker processes. Tasks are leased as the scheduler's jobs are
/// (`Store+Jobs`): one conditional UPDATE decides which worker gets a task, on SQLite and on
/// PostgreSQL alike; a worker that dies loses its task when the lease expires.
extension Store {
    /// Queues `targets` of the run (plus its `finish` task) with the request workers need;
    /// queuing the same run again adds only what is missing. Returns the tasks added.
    @discardableResult
    public func queueInspection(runCode: String, request: String, targets: [String], at now: Date) async throws -> Int {
        try await database.transaction { db in
            guard let sql = db as? any SQLDatabase else { return 0 }
            try await sql.insert(into: "queued_inspections")
                .columns("run_code", "request", "queued_at")
                .values(SQLBind(runCode), SQLBind(request), SQLBind(now))
                .ignoringConflicts(with: ["run_code"])
                .run()
            var added = 0
            for target in targets + [InspectionTask.finish] {
                let rows = try await sql.insert(into: "inspection_tasks")
                    .columns("run_code", "target", "attempts")
                    .values(SQLBind(runCode), SQLBind(target), SQLBind(0))
                    .ignoringConflicts(with: ["run_code", "target"])
                    .returning("id")
                    .all()
                added += rows.count
            }
            return added
        }
    }

    /// The request a run was queued with (JSON), nil when it was not queued.
    public func queuedRequest(runCode: String) async throws -> String? {
        guard let sql = database as? any SQLDatabase else { return nil }
        return try await sql.select().column("request").from("queued_inspections").where("run_code", .equal, runCode).first()?
            .decode(column: "request", as: String.self)
    }

    /// Takes the lease of the oldest open task no worker holds, for `owner` until
    /// `now + duration`; nil when there is none (a run's `finish` waits for its other tasks).
    public func claimInspectionTask(owner: String, now: Date, leaseFor duration: TimeInterval) async throws -> InspectionTask? {
        guard let sql = database as? any SQLDatabase else { return nil }
        let lease: SQLQueryString = """
            lease_owner = \(bind: owner), lease_expires_at = \(bind: now.addingTimeInterval(duration)), attempts = attempts + 1
            """
        if sql.dialect.name == "postgresql" {
            // The queue's textbook claim: the oldest claimable row no other transaction has
            // locked, locked and leased in one statement. Workers never wait for each other
            // nor collide on the same row (`benchmarks/queue.sh`: 2-3× the claims a second of
            // the portable claim below at 8 to 32 workers).
            return try await sql.raw(
                """
                UPDATE inspection_tasks SET \(lease) WHERE id = (SELECT id FROM inspection_tasks t WHERE \(Self.claimable("t", now: now))
                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, run_code, target, attempts
                """
            ).first().map(Self.task)
        }
        // SQLite runs one writer at a time: read the oldest candidates, then claim one with a
        // conditional UPDATE. Its conditions are on the row itself, never in a subquery, so a
        // database that re-checks a row changed meanwhile (PostgreSQL does) re-checks them all.
        let batch = 16
        while true {
            let candidates = try await sql.raw(
                "SELECT id FROM inspection_tasks t WHERE \(Self.claimable("t", now: now)) ORDER BY id LIMIT \(literal: batch)"
            ).all()
            for candidate in candidates {
                let id = try candidate.decode(column: "id", as: Int.self)
                let won = try await sql.raw(
                    """
                    UPDATE inspection_tasks SET \(lease) WHERE id = \(bind: id) AND \(Self.claimable("inspection_tasks", now: now))
                    RETURNING id, run_code, target, attempts
                    """
                ).first()
                if let won { return try Self.task(won) }
            }
            // Every task read was taken meanwhile (and is now leased): a fresh read shows the rest.
            if candidates.count < batch { return nil }
        }
    }

    /// Open, lease free or expired, and for a `finish` task no other task of its run open;
    /// `table` names the row's table (or its alias) in the statement.
    private static func claimable(_ table: String, now: Date) -> SQLQueryString {
        """
        \(unsafeRaw: table).done_at IS NULL AND (\(unsafeRaw: table).lease_owner IS NULL OR \(unsafeRaw: table).lease_expires_at < \(bind: now))
        AND (\(unsafeRaw: table).retry_at IS NULL OR \(unsafeRaw: table).retry_at <= \(bind: now))
        AND (\(unsafeRaw: table).target <> \(bind: InspectionTask.finish) OR NOT EXISTS (SELECT 1 FROM inspection_tasks o
        WHERE o.run_code = \(unsafeRaw: table).run_code AND o.target <> \(bind: InspectionTask.finish) AND o.done_at IS NULL))
        """
    }

    private static func task(_ row: any SQLRow) throws -> InspectionTask {
        InspectionTask(
            id: try row.decode(column: "id", as: Int.self), runCode: try row.decode(column: "run_code", as: String.self),
            target: try row.decode(column: "target", as: String.self), attempts: try row.decode(column: "attempts", as: Int.self))
    }

    /// Extends `owner`'s lease of a running task to `until`; false when the lease was lost.
    @discardableResult
    public func renewInspectionTask(_ id: Int, owner: String, until: Date) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { return false }
        return try await !sql.update("inspection_tasks").set("lease_expires_at", to: until)
            .where("id", .equal, id).where("lease_owner", .equal, owner).where("done_at", .is, SQLLiteral.null)
            .returning("id").all().isEmpty
    }

    /// Ends `owner`'s run of a task: done, or (with `error`) released for another attempt
    /// until `maximumAttempts`, then done with its error. A released task is claimable again
    /// `retryAfter` later (by default `InspectionTask.retryDelay`). False when the lease was lost.
    @discardableResult
    public func completeInspectionTask(
        _ task: InspectionTask, owner: String, at now: Date, error: String? = nil, maximumAttempts: Int = 3,
        retryAfter: TimeInterval? = nil
    ) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { return false }
        let update = sql.update("inspection_tasks")
            .set("lease_owner", to: SQLLiteral.null).set("lease_expires_at", to: SQLLiteral.null)
            .set("last_error", to: error.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
        if error == nil || task.attempts >= maximumAttempts {
            update.set("done_at", to: now).set("retry_at", to: SQLLiteral.null)
        } else {
            let delay = retryAfter ?? InspectionTask.retryDelay(afterAttempt: task.attempts)
            update.set("retry_at", to: SQLBind(now.addingTimeInterval(delay)))
        }
        return try await !update.where("id", .equal, task.id).where("lease_owner", .equal, owner).returning("id").all().isEmpty
    }

    /// Every task of a run, in queue order: attempts, lease, next attempt, error.
    public func inspectionTaskStates(runCode: String) async throws -> [InspectionTaskState] {
        guard let sql = database as? any SQLDatabase else { return [] }
        return try await sql.select().columns("target", "attempts", "lease_owner", "retry_at", "done_at", "last_error")
            .from("inspection_tasks").where("run_code", .equal, runCode).orderBy("id").all().map { row in
                InspectionTaskState(
                    target: try row.decode(column: "target", as: String.self), attempts: try row.decode(column: "attempts", as: Int.self),
                    leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
                    retryAt: try row.decode(column: "retry_at", as: Date?.self), doneAt: try row.decode(column: "done_at", as: Date?.self),
                    lastError: try row.decode(column: "last_error", as: String?.self))
            }
    }

    /// Tasks not yet done, of every queued run.
    public func openInspectionTaskCount() async throws -> Int {
        guard let sql = database as? any SQLDatabase else { return 0 }
        return try await sql.raw("SELECT count(*) AS n FROM inspection_tasks WHERE done_at IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The tasks of a run that ended with an error after every attempt: target and error.
    public func failedInspectionTasks(runCode: String) async throws -> [(target: String, error: String)] {
        guard let sql = database as? any SQLDatabase else { return [] }
        return try await sql.select().columns("target", "last_error").from("inspection_tasks")
            .where("run_code", .equal, runCode).where("done_at", .isNot, SQLLiteral.null).where("last_error", .isNot, SQLLiteral.null)
            .orderBy("id").all()
            .map { (try $0.decode(column: "target", as: String.self), try $0.decode(column: "last_error", as: String.self)) }
    }
}

/// Telling a lost database connection from a failed query: a worker waits out the first
/// (the server restarts, the network heals) and counts only the second against a task.
extension Store {
    /// Whether `error` says the connection to the database is gone or cannot be made: the
    /// server closed it or shut down (SQLSTATE class 08, 57P01–57P03), the socket failed or
    /// was refused, or no pooled connection came within the pool's wait.
    public static func isConnectionLoss(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            switch error.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
                return true
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            default:
                return error.underlying.map(isConnectionLoss) ?? false
            }
        }
        if error is NIOConnectionError || error is ChannelError { return true }
        if let error = error as? IOError {
            return [ECONNREFUSED, ECONNRESET, ECONNABORTED, EPIPE, ENETUNREACH, EHOSTUNREACH, ETIMEDOUT].contains(error.errnoCode)
        }
        if error is ConnectionPoolTimeoutError { return true }
        return false
    }

    /// Whether the database answers a trivial query now.
    public func isReachable() async -> Bool {
        guard let sql = database as? any SQLDatabase else { return false }
        do {
            _ = try await sql.raw("SELECT 1 AS one").first()
            return true
        } catch {
            return false
        }
    }
}
