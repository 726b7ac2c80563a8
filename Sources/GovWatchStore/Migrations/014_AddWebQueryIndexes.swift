import FluentKit
import SQLKit

/// Indexes for the web platform's pages at city scale (`benchmarks/web.sh`: 1,000,000
/// findings, 50,000 tickets, a probe per site every quarter hour). Without them:
///
/// - a target's page (`/sites/{code}`) counted and paged its findings of a run through the
///   (run_id, fingerprint) unique index, reading every finding of the run (80,000 rows with
///   their evidence) four times a request. `findings_run_target` answers `run_id = ? AND
///   target_code = ?` from the index, in the page's order (kind, code, indicator,
///   fingerprint: the kind follows the code because the code is always fixed there);
/// - the week of probes of a site scanned the whole probe table and sorted it;
/// - a target's newest scorecard scanned every scorecard of every run;
/// - the overview's overdue tickets (`state = 'open' AND deadline < today`) read every open
///   ticket to compare deadlines, and its backlog per unit and state (with the sum of
///   reopenings) read all 50,000 tickets with their evidence instead of an index.
struct AddWebQueryIndexes: AsyncMigration {
    var name: String { "014_AddWebQueryIndexes" }

    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("findings_run_target", "findings", ["run_id", "target_code", "target_kind", "indicator", "fingerprint"]),
        ("probes_site_time", "probes", ["site_id", "probed_at"]),
        ("probes_time", "probes", ["probed_at"]),
        ("scorecards_target", "scorecards", ["target_kind", "target_code", "run_id"]),
        ("tickets_state_deadline", "tickets", ["state", "deadline"]),
        ("tickets_backlog", "tickets", ["unit_id", "state", "reopened"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var create = sql.create(index: index.name).on(index.table)
            for column in index.columns { create = create.column(column) }
            try await create.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes.reversed() { try await sql.drop(index: index.name).run() }
    }
}
