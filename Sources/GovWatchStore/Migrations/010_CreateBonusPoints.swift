import FluentKit

/// Bonus points (加分) entered by hand per portal and run (`govwatch bonus set`), with the
/// indicator set's bonus rule in force when they were entered.
struct CreateBonusPoints: AsyncMigration {
    var name: String { "010_CreateBonusPoints" }

    func prepare(on database: any Database) async throws {
        try await database.schema("bonus_points")
            .field(.id, .int, .identifier(auto: true))
            .field("run_id", .int, .required, .references("inspection_runs", .id))
            .field("site_code", .string, .required)
            .field("points", .double, .required)
            .field("reason", .string, .required)
            .field("entry_score", .double, .required)
            .field("max_bonus", .double, .required)
            .field("entered_at", .datetime, .required)
            .unique(on: "run_id", "site_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("bonus_points").delete()
    }
}
