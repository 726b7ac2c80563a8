import FluentKit
import SQLKit

/// The web platform's people and their traces: users, browser sessions, API tokens,
/// login attempts (for throttling) and the audit log of every change.
///
/// The audit log is a table of its own rather than `ticket_events` extended: ticket
/// events carry a ticket's state machine (from/to state, attachments point at them),
/// while the audit log records every change of any object (users, settings, imports,
/// logins, ticket actions) with the acting user and the address it came from.
struct CreateUsersAndAudit: AsyncMigration {
    var name: String { "011_CreateUsersAndAudit" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field(.id, .int, .identifier(auto: true))
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("unit_id", .int, .references("units", .id))
            .field("password_hash", .string, .required)
            .field("disabled", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "username")
            .create()
        try await database.schema("user_sessions")
            .field(.id, .int, .identifier(auto: true))
            .field("token_hash", .string, .required)
            .field("user_id", .int, .required, .references("users", .id, onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("address", .string)
            .unique(on: "token_hash")
            .create()
        try await database.schema("api_tokens")
            .field(.id, .int, .identifier(auto: true))
            .field("token_hash", .string, .required)
            .field("user_id", .int, .required, .references("users", .id, onDelete: .cascade))
            .field("label", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime)
            .field("revoked", .bool, .required)
            .field("last_used_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("login_attempts")
            .field(.id, .int, .identifier(auto: true))
            .field("username", .string, .required)
            .field("address", .string, .required)
            .field("at", .datetime, .required)
            .field("succeeded", .bool, .required)
            .create()
        try await database.schema("audit_log")
            .field(.id, .int, .identifier(auto: true))
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("object", .string, .required)
            .field("detail", .string, .required)
            .field("address", .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_attempts_username_at").on("login_attempts").column("username").column("at").run()
            try await sql.create(index: "login_attempts_address_at").on("login_attempts").column("address").column("at").run()
            try await sql.create(index: "audit_log_object").on("audit_log").column("object").column("id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["audit_log", "login_attempts", "api_tokens", "user_sessions", "users"] {
            try await database.schema(table).delete()
        }
    }
}
