import FluentKit

/// Inspection runs, their findings and scorecards, and availability probes.
struct CreateInspections: AsyncMigration {
    var name: String { "002_CreateInspections" }

    func prepare(on database: any Database) async throws {
        try await database.schema("inspection_runs")
            .field(.id, .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("as_of", .datetime, .required)
            .field("indicator_set", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("status", .string, .required)
            .unique(on: "code")
            .create()
        try await database.schema("findings")
            .field(.id, .int, .identifier(auto: true))
            .field("run_id", .int, .required, .references("inspection_runs", .id))
            .field("target_kind", .string, .required)
            .field("target_code", .string, .required)
            .field("target_name", .string, .required)
            .field("indicator", .string, .required)
            .field("level", .string, .required)
            .field("url", .string)
            .field("detail", .string, .required)
            .field("evidence", .string)
            .field("fingerprint", .string, .required)
            // A rerun of an interrupted inspection cannot duplicate a finding.
            .unique(on: "run_id", "fingerprint")
            .create()
        try await database.schema("scorecards")
            .field(.id, .int, .identifier(auto: true))
            .field("run_id", .int, .required, .references("inspection_runs", .id))
            .field("target_kind", .string, .required)
            .field("target_code", .string, .required)
            .field("target_name", .string, .required)
            .field("score", .double, .required)
            .field("vetoes", .string, .required)
            .field("passed", .bool, .required)
            .unique(on: "run_id", "target_kind", "target_code")
            .create()
        try await database.schema("probes")
            .field(.id, .int, .identifier(auto: true))
            .field("site_id", .int, .required, .references("sites", .id))
            .field("probed_at", .datetime, .required)
            .field("ok", .bool, .required)
            .field("status", .int)
            .field("latency_ms", .int)
            .field("error", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["probes", "scorecards", "findings", "inspection_runs"] {
            try await database.schema(table).delete()
        }
    }
}
