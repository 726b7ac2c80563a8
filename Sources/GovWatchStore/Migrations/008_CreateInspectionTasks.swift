import FluentKit
import SQLKit

/// An inspection queued for worker processes (`govwatch inspect --queue`, `govwatch worker`):
/// what it asks for, and one task per site, one for the accounts and one to finish the run.
struct CreateInspectionTasks: AsyncMigration {
    var name: String { "008_CreateInspectionTasks" }

    func prepare(on database: any Database) async throws {
        // The request as JSON (targets, as-of time, indicator set, dictionaries, crawl limits):
        // a worker on another machine has no `--indicators` or `--dictionary` file.
        try await database.schema("queued_inspections")
            .field(.id, .int, .identifier(auto: true))
            .field("run_code", .string, .required)
            .field("request", .string, .required)
            .field("queued_at", .datetime, .required)
            .unique(on: "run_code")
            .create()
        // A worker claims a task by moving its lease with one conditional UPDATE (lease free
        // or expired), as the scheduler claims its jobs.
        try await database.schema("inspection_tasks")
            .field(.id, .int, .identifier(auto: true))
            .field("run_code", .string, .required)
            .field("target", .string, .required)
            .field("lease_owner", .string)
            .field("lease_expires_at", .datetime)
            .field("attempts", .int, .required)
            .field("done_at", .datetime)
            .field("last_error", .string)
            .unique(on: "run_code", "target")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "inspection_tasks_open").on("inspection_tasks").column("done_at").column("id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("inspection_tasks").delete()
        try await database.schema("queued_inspections").delete()
    }
}
