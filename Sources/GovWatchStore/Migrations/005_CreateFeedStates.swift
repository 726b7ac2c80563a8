import FluentKit

/// What the last poll of each account's feed saw: validators for conditional requests and
/// the last problem, so a failing feed is reported without stopping the others.
struct CreateFeedStates: AsyncMigration {
    var name: String { "005_CreateFeedStates" }

    func prepare(on database: any Database) async throws {
        try await database.schema("feed_states")
            .field(.id, .int, .identifier(auto: true))
            .field("account_ref", .int, .required, .references("accounts", .id))
            .field("feed_url", .string, .required)
            .field("etag", .string)
            .field("last_modified", .string)
            .field("polled_at", .datetime, .required)
            .field("problem", .string)
            .unique(on: "account_ref")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("feed_states").delete()
    }
}
