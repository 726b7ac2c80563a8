import FluentKit
import SQLKit

/// The scheduler's persisted jobs (with their lease) and the notifications that could not be
/// delivered.
struct CreateJobsAndNotifications: AsyncMigration {
    var name: String { "006_CreateJobsAndNotifications" }

    func prepare(on database: any Database) async throws {
        // One row per recurring job. A scheduler claims a due job by moving its lease with one
        // conditional UPDATE (lease free or expired), so two schedulers never run it twice.
        try await database.schema("scheduled_jobs")
            .field(.id, .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parameter", .string)
            .field("next_run_at", .datetime, .required)
            .field("lease_owner", .string)
            .field("lease_expires_at", .datetime)
            .field("last_started_at", .datetime)
            .field("last_finished_at", .datetime)
            .field("last_status", .string)
            .field("last_error", .string)
            .field("runs", .int, .required)
            .unique(on: "name")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "scheduled_jobs_due").on("scheduled_jobs").column("next_run_at").run()
        }
        // Webhook deliveries that failed after every retry, kept for an administrator.
        try await database.schema("notification_failures")
            .field(.id, .int, .identifier(auto: true))
            .field("channel", .string, .required)
            .field("destination", .string, .required)
            .field("ticket_event_id", .int)
            .field("payload", .string, .required)
            .field("attempts", .int, .required)
            .field("last_error", .string, .required)
            .field("failed_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["notification_failures", "scheduled_jobs"] {
            try await database.schema(table).delete()
        }
    }
}
