import FluentKit

/// What a scorecard says beside its score: the homepage could not be read (未能完成检查), and
/// how many discovered columns awaiting confirmation were left out of the column vetoes.
/// Optional columns: a scorecard stored before them (null) was a full judgement of confirmed
/// columns.
struct AddScorecardCompleteness: AsyncMigration {
    var name: String { "009_AddScorecardCompleteness" }

    func prepare(on database: any Database) async throws {
        try await database.schema("scorecards").field("incomplete", .bool).update()
        try await database.schema("scorecards").field("unconfirmed_columns", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("scorecards").deleteField("unconfirmed_columns").update()
        try await database.schema("scorecards").deleteField("incomplete").update()
    }
}
