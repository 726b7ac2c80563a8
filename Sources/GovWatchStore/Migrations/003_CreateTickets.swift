import FluentKit

/// Rectification tickets (整改单) and their audit log.
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
            .unique(on: "fingerprint")
            .create()
        try await database.schema("ticket_events")
            .field(.id, .int, .identifier(auto: true))
            .field("ticket_id", .int, .required, .references("tickets", .id))
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("from_state", .string)
            .field("to_state", .string, .required)
            .field("reason", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["ticket_events", "tickets"] {
            try await database.schema(table).delete()
        }
    }
}
