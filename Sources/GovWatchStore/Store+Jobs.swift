import FluentKit
import Foundation
import SQLKit

/// A recurring job of the scheduler as stored.
public struct ScheduledJob: Sendable, Hashable {
    public var id: Int
    /// Unique: `probe:4301000001`, `patrol`, `inspection`, `feeds`, `digest`.
    public var name: String
    public var kind: String
    public var parameter: String?
    public var nextRunAt: Date
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var lastStartedAt: Date?
    public var lastFinishedAt: Date?
    /// `ok` or `failed`.
    public var lastStatus: String?
    public var lastError: String?
    public var runs: Int
}

/// The scheduler's jobs and their leases.
///
/// A job is claimed with one conditional UPDATE (`next_run_at` due, lease free or expired)
/// whose RETURNING clause says whether this scheduler won: both SQLite and PostgreSQL apply
/// it atomically, so of two schedulers on one database exactly one gets the job.
extension Store {
    /// Adds the job unless one of that name exists (concurrent schedulers may both try).
    public func ensureJob(name: String, kind: String, parameter: String?, firstRunAt: Date) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.insert(into: ScheduledJobRow.schema)
            .columns("name", "kind", "parameter", "next_run_at", "runs")
            .values(SQLBind(name), SQLBind(kind), SQLBind(parameter), SQLBind(firstRunAt), SQLBind(0))
            .ignoringConflicts(with: ["name"])
            .run()
    }

    /// Removes jobs of `kind` not named in `keep` (a site removed from the registry).
    public func removeJobs(kind: String, except keep: Set<String>) async throws {
        let stale = try await ScheduledJobRow.query(on: database).filter(\.$kind == kind).all().filter { !keep.contains($0.name) }
        for row in stale { try await row.delete(on: database) }
    }

    /// Every job, by next run time.
    public func jobs() async throws -> [ScheduledJob] {
        try await ScheduledJobRow.query(on: database).sort(\.$nextRunAt).sort(\.$id).all().map(\.job)
    }

    /// Jobs due at `now` whose lease is free or expired, earliest first; only those of `kinds`
    /// when given.
    public func dueJobs(at now: Date, kinds: Set<String>? = nil, limit: Int = 100) async throws -> [ScheduledJob] {
        let query = ScheduledJobRow.query(on: database).filter(\.$nextRunAt <= now)
        if let kinds { query.filter(\.$kind ~~ Array(kinds).sorted()) }
        return try await query
            .group(.or) { $0.filter(\.$leaseOwner == nil).filter(\.$leaseExpiresAt < now) }
            .sort(\.$nextRunAt).sort(\.$id).limit(limit).all().map(\.job)
    }

    /// When a job of `kinds` may next be claimable by `owner`: the earliest slot of a free job,
    /// or the earliest lease expiry of a job another scheduler holds (if that scheduler died,
    /// the job is due again then). Jobs `owner` runs itself are left out: it knows when they
    /// end. Nil when there is no such job.
    public func nextClaimableJobTime(kinds: Set<String>, excludingOwner owner: String) async throws -> Date? {
        let kinds = Array(kinds).sorted()
        let free = try await ScheduledJobRow.query(on: database).filter(\.$kind ~~ kinds).filter(\.$leaseOwner == nil)
            .min(\.$nextRunAt)
        let held = try await ScheduledJobRow.query(on: database).filter(\.$kind ~~ kinds).filter(\.$leaseOwner != nil)
            .filter(\.$leaseOwner != owner).min(\.$leaseExpiresAt)
        return [free, held ?? nil].compactMap { $0 }.min()
    }

    /// Takes the lease of a due job for `owner` until `now + duration`; true when this caller
    /// won it, false when it is not due, another scheduler holds it, or its slot is no longer
    /// `slot` (the `nextRunAt` the caller read: another scheduler ran that slot since and
    /// moved the job on — its next slot is for a fresh read to claim).
    public func claimJob(_ id: Int, slot: Date, owner: String, now: Date, leaseFor duration: TimeInterval) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { return false }
        let rows = try await sql.update(ScheduledJobRow.schema)
            .set("lease_owner", to: owner)
            .set("lease_expires_at", to: now.addingTimeInterval(duration))
            .set("last_started_at", to: now)
            .where("id", .equal, id)
            .where("next_run_at", .lessThanOrEqual, now)
            // The slot as read back (PostgreSQL keeps microseconds): a later slot is minutes away.
            .where("next_run_at", .lessThan, slot.addingTimeInterval(0.001))
            .where { $0.where("lease_owner", .is, SQLLiteral.null).orWhere("lease_expires_at", .lessThan, now) }
            .returning("id")
            .all()
        return !rows.isEmpty
    }

    /// Extends `owner`'s lease of a running job to `until`; false when the lease was lost.
    @discardableResult
    public func renewJobLease(_ id: Int, owner: String, until: Date) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { return false }
        let rows = try await sql.update(ScheduledJobRow.schema)
            .set("lease_expires_at", to: until)
            .where("id", .equal, id)
            .where("lease_owner", .equal, owner)
            .returning("id")
            .all()
        return !rows.isEmpty
    }

    /// Ends `owner`'s run of the job: schedules the next run, frees the lease, records the
    /// outcome. False when the lease was lost meanwhile (expired and taken by another).
    @discardableResult
    public func completeJob(_ id: Int, owner: String, nextRunAt: Date, finishedAt: Date, error: String?) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { return false }
        let rows = try await sql.update(ScheduledJobRow.schema)
            .set("next_run_at", to: nextRunAt)
            .set("lease_owner", to: SQLLiteral.null)
            .set("lease_expires_at", to: SQLLiteral.null)
            .set("last_finished_at", to: finishedAt)
            .set("last_status", to: error == nil ? "ok" : "failed")
            .set("last_error", to: error.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .set("runs", to: SQLRaw("runs + 1"))
            .where("id", .equal, id)
            .where("lease_owner", .equal, owner)
            .returning("id")
            .all()
        return !rows.isEmpty
    }
}

extension ScheduledJobRow {
    var job: ScheduledJob {
        ScheduledJob(
            id: id!, name: name, kind: kind, parameter: parameter, nextRunAt: nextRunAt, leaseOwner: leaseOwner,
            leaseExpiresAt: leaseExpiresAt, lastStartedAt: lastStartedAt, lastFinishedAt: lastFinishedAt, lastStatus: lastStatus,
            lastError: lastError, runs: runs)
    }
}
