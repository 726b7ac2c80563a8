import FluentKit
import Foundation
import SQLKit

/// What `prune` dropped (or, in a dry run, would drop).
public struct PruneReport: Sendable, Equatable {
    /// The runs kept whole, newest first.
    public var keptRuns: [String] = []
    /// The runs beyond retention whose working state was dropped, newest first.
    public var prunedRuns: [String] = []
    public var crawlSessions = 0
    public var crawlURLs = 0
    public var probes = 0
    public var inspectionTasks = 0
    public var queuedInspections = 0
    public var dryRun = false
    /// Availability probes before this time were dropped (nil: none).
    public var probesBefore: Date?
}

extension Store {
    /// The stored setting holding how many inspection runs `prune` keeps whole.
    public static let retentionKeepRunsKey = "retention.keep_runs"
    /// A year of monthly runs: the current and previous quarter's notices, with margin.
    public static let defaultRetentionKeepRuns = 12
    /// Probes this long before the oldest kept run stay: the availability window a run
    /// reads (`siteUnreachable.windowDays`, 7 by default) with margin for longer settings.
    public static let probeRetentionMargin: TimeInterval = 31 * 86_400

    /// How many runs `prune` keeps when not told: the stored setting, else the default.
    public func retentionKeepRuns() async throws -> Int {
        if let stored = try await setting(Self.retentionKeepRunsKey), let value = Int(stored), value >= 1 { return value }
        return Self.defaultRetentionKeepRuns
    }

    public func setRetentionKeepRuns(_ value: Int?) async throws {
        try await setSetting(Self.retentionKeepRunsKey, to: value.map(String.init))
    }

    /// Drops the working state of inspection runs beyond retention: their crawl sessions
    /// with every crawled URL and page record (but the newest finished crawl of each site,
    /// which the next crawl's conditional requests read), their task-queue rows, and
    /// availability probes older than the kept runs need. Runs, findings, scorecards, bonus
    /// points, tickets with their history and attachments stay: the notices of every period,
    /// their previous-period comparison and every ticket's evidence are built from them.
    ///
    /// A run is kept when it is among the newest `keepRuns` (by as-of date) or its as-of date
    /// is within `keepDays` of `now`; with neither, the stored retention setting applies.
    public func prune(keepRuns: Int?, keepDays: Int?, now: Date = Date(), dryRun: Bool) async throws -> PruneReport {
        var report = PruneReport(dryRun: dryRun)
        var effectiveKeepRuns = keepRuns
        if keepRuns == nil, keepDays == nil { effectiveKeepRuns = try await retentionKeepRuns() }
        let runs = try await InspectionRunRow.query(on: database).sort(\.$asOf, .descending).sort(\.$id, .descending).all()
        var kept: [InspectionRunRow] = []
        var pruned: [InspectionRunRow] = []
        for (index, run) in runs.enumerated() {
            let byCount = effectiveKeepRuns.map { index < $0 } ?? false
            let byAge = keepDays.map { run.asOf >= now.addingTimeInterval(-Double($0) * 86_400) } ?? false
            if byCount || byAge { kept.append(run) } else { pruned.append(run) }
        }
        report.keptRuns = kept.map(\.code)
        report.prunedRuns = pruned.map(\.code)
        // The housekeeping that keeps the write counters one row a table (PostgreSQL).
        if !dryRun { try await compactDataVersions() }
        guard !pruned.isEmpty else { return report }

        let prunedCodes = Set(pruned.map(\.code))
        let sessions = try await CrawlSessionRow.query(on: database).all()
        var newestFinished: [String: Int] = [:]
        for session in sessions where session.status == "finished" {
            newestFinished[session.siteCode] = max(newestFinished[session.siteCode] ?? 0, session.id ?? 0)
        }
        let droppedSessions = sessions.filter { session in
            guard let runCode = session.key.split(separator: "/").first.map(String.init), prunedCodes.contains(runCode) else {
                return false
            }
            return newestFinished[session.siteCode] != session.id
        }.compactMap(\.id)
        // Probes: what the oldest kept run's availability window read, with margin, stays.
        let probeCutoff = kept.map(\.asOf).min().map { $0.addingTimeInterval(-Self.probeRetentionMargin) }
        report.probesBefore = probeCutoff
        let codes = Array(prunedCodes)

        report.crawlSessions = droppedSessions.count
        report.crawlURLs = droppedSessions.isEmpty ? 0 : try await CrawlURLRow.query(on: database).filter(\.$sessionID ~~ droppedSessions).count()
        if let probeCutoff { report.probes = try await ProbeRow.query(on: database).filter(\.$probedAt < probeCutoff).count() }
        report.inspectionTasks = try await sqlDatabase.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("inspection_tasks").where(SQLColumn("run_code"), .in, SQLBind.group(codes)).first()?.decode(column: "n", as: Int.self) ?? 0
        report.queuedInspections = try await sqlDatabase.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("queued_inspections").where(SQLColumn("run_code"), .in, SQLBind.group(codes)).first()?.decode(column: "n", as: Int.self) ?? 0
        guard !dryRun else { return report }

        try await database.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw BackupError("数据库驱动不支持 SQL") }
            for chunk in stride(from: 0, to: droppedSessions.count, by: 500).map({ Array(droppedSessions[$0..<min($0 + 500, droppedSessions.count)]) }) {
                try await CrawlURLRow.query(on: db).filter(\.$sessionID ~~ chunk).delete()
                try await CrawlSessionRow.query(on: db).filter(\.$id ~~ chunk).delete()
            }
            if let probeCutoff { try await ProbeRow.query(on: db).filter(\.$probedAt < probeCutoff).delete() }
            try await sql.delete(from: "inspection_tasks").where(SQLColumn("run_code"), .in, SQLBind.group(codes)).run()
            try await sql.delete(from: "queued_inspections").where(SQLColumn("run_code"), .in, SQLBind.group(codes)).run()
        }
        return report
    }
}
