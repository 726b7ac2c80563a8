import FluentKit
import SQLKit

/// Rectification tickets (整改单), their append-only audit log, and feedback attachments.
struct CreateTickets: AsyncMigration {
    var name: String { "003_CreateTickets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("tickets")
            .field(.id, .int, .identifier(auto: true))
            .field("fingerprint", .string, .required)
            .field("unit_id", .int, .required, .references("units", .id))
            .field("target_kind", .string, .required)
            .field("target_code", .string, .required)
            .field("target_name", .string, .required)
            .field("indicator", .string, .required)
            .field("level", .string, .required)
            .field("url", .string)
            .field("evidence", .string)
            .field("state", .string, .required)
            .field("occurrences", .int, .required)
            .field("first_seen", .datetime, .required)
            .field("last_seen", .datetime, .required)
            .field("deadline", .string)
            .field("assignee", .string)
            .field("feedback_text", .string)
            .field("reopened", .int, .required)
            .field("signature", .string, .required)
            .field("last_run", .string)
            .unique(on: "fingerprint")
            .create()
        // Listing by unit and state, and the active tickets every re-inspection loads.
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "tickets_unit_state").on("tickets").column("unit_id").column("state").run()
            try await sql.create(index: "tickets_state").on("tickets").column("state").run()
        }
        try await database.schema("ticket_events")
            .field(.id, .int, .identifier(auto: true))
            .field("ticket_id", .int, .required, .references("tickets", .id))
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("from_state", .string)
            .field("to_state", .string, .required)
            .field("reason", .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "ticket_events_ticket").on("ticket_events").column("ticket_id").column("id").run()
        }
        // Files a unit attaches to its feedback (the stamped PDF): bytes kept in the database so
        // a backup holds everything, with the SHA-256 that proves what was submitted.
        try await database.schema("ticket_attachments")
            .field(.id, .int, .identifier(auto: true))
            .field("ticket_id", .int, .required, .references("tickets", .id))
            .field("event_id", .int, .required, .references("ticket_events", .id))
            .field("file_name", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("content", .data, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["ticket_attachments", "ticket_events", "tickets"] {
            try await database.schema(table).delete()
        }
    }
}
