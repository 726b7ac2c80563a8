import FluentKit

/// Settings an administrator stores in the database (e.g. the indicator set in force).
struct CreateSettings: AsyncMigration {
    var name: String { "006_CreateSettings" }

    func prepare(on database: any Database) async throws {
        try await database.schema("settings")
            .field(.id, .int, .identifier(auto: true))
            .field("key", .string, .required)
            .field("value", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("settings").delete()
    }
}
